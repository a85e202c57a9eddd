import { imageBox } from '../../core/types.ts';
import { decodeImage } from '../../trax/image-decode.ts';
import { type Region, boundingBox } from '../../trax/region.ts';
import { type ServerObject, TraxServer } from '../../trax/server.ts';
import type { Frame, Tracker, TrackerFactory } from '../base/tracker.ts';

type State = { region: Region; props?: Record<string, string> };

/** One state per tracker: objects added on this frame answer with their own region, the others track. */
async function track(trackers: Tracker[], known: number, added: ServerObject[], frame: Frame): Promise<State[]> {
  const states: State[] = [];
  for (const [k, t] of trackers.entries()) {
    if (k >= known) {
      states.push({ region: added[k - known].region });
      continue;
    }
    const out = await t.update(frame);
    const [x, y, width, height] = out.box;
    states.push({
      region: { kind: 'rectangle', x, y, width, height },
      props: out.confidence === undefined ? {} : { confidence: String(out.confidence) },
    });
  }
  return states;
}

/**
 * A siambench tracker behind a TraX server: one tracker instance per object (so multi-object
 * clients work), polygons and masks given to it as their bounding boxes, rectangles back with the
 * tracker's confidence. Like the reference trackers, a request it cannot serve ends the session
 * with `quit` and its reason.
 */
export async function serveTracker(factory: TrackerFactory): Promise<void> {
  const server = await TraxServer.open({
    name: factory.name,
    description: factory.description,
    family: 'siambench',
    images: ['path', 'memory', 'buffer'],
    regions: ['rectangle', 'polygon'],
    channels: ['color'],
    multiobject: true,
  });
  let trackers: Tracker[] = [];
  let index = 0;
  // Frames of a sequence share the first one's size: a tracker that reads no pixels needs no decode at all.
  let size: { width: number; height: number } | undefined;
  const frameOf = async (text: string, first: boolean): Promise<Frame> => {
    const path = /^file:(\/\/)?/.test(text) ? text.replace(/^file:(\/\/)?/, '') : undefined;
    if (!factory.needsPixels && path !== undefined && size && !first) return { index: index++, path, ...size, data: new Uint8Array(0) };
    const image = await decodeImage(text, factory.needsPixels);
    size = { width: image.width, height: image.height };
    return { index: index++, ...image };
  };
  const start = async (frame: Frame, objects: ServerObject[]) => {
    for (const o of objects) {
      const box = boundingBox(o.region);
      if (!box) throw new Error(`cannot track from a ${o.region.kind} region`);
      const t = await factory.create({ seed: 1 });
      await t.init(frame, imageBox(box));
      trackers.push(t);
    }
  };
  try {
    for (;;) {
      const req = await server.wait();
      if (req.type === 'quit') break;
      const frame = await frameOf(req.images[0], req.type === 'initialize');
      if (req.type === 'initialize') {
        for (const t of trackers) await t.dispose?.();
        trackers = [];
        await start(frame, req.objects);
        // The initialisation is answered with the regions given, as the reference trackers do.
        server.status(req.objects.map((o) => ({ region: o.region })));
        continue;
      }
      const known = trackers.length;
      await start(frame, req.objects);
      const states = await track(trackers, known, req.objects, frame);
      server.status(states);
    }
  } catch (err) {
    server.quit(String((err as Error)?.message ?? err).split('\n')[0]);
  } finally {
    for (const t of trackers) await t.dispose?.();
  }
}

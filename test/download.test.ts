/**
 * `siambench download` against a fake OTB mirror on the loopback address, built from the real frames
 * of ../shared/realdata/frames (KiteSurf, Football1: zipped as the OTB site zips a sequence), with
 * faults injected per request: a connection cut mid-file, wrong bytes, a 404, a slow and a stalled
 * server, a checksum that no longer matches the one recorded at the first download.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { UserError } from '../src/core/errors.ts';
import { downloadDataset } from '../src/benchmarks/download/index.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';
import { tempDir } from './helpers/files.ts';

type Fault = 'cut' | 'wrong' | 'slow' | 'stall' | 'changed';

/** The mirror: zips by name, a queue of faults per file, and every Range header it was sent. */
function mirror(zips: Map<string, Buffer>) {
  const faults = new Map<string, Fault[]>();
  const ranges: string[] = [];
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '').replace(/^\/otb\//, ''));
    const zip = zips.get(name);
    if (!zip) return void res.writeHead(404).end();
    ranges.push(`${name} ${req.headers.range ?? '-'}`);
    const fault = faults.get(name)?.shift();
    let body = zip;
    if (fault === 'wrong' || fault === 'changed') {
      body = Buffer.from(zip);
      for (let i = 1000; i < body.length; i += 997) body[i] ^= 0xff;
    }
    const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const part = body.subarray(from);
    res.writeHead(from > 0 ? 206 : 200, {
      'content-length': part.length,
      ...(from > 0 ? { 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` } : {}),
    });
    if (fault === 'cut') {
      res.write(part.subarray(0, part.length >> 1), () => res.destroy());
    } else if (fault === 'stall') {
      res.write(part.subarray(0, part.length >> 2)); // then silence until the client gives up
    } else if (fault === 'slow') {
      const step = Math.ceil(part.length / 10);
      let at = 0;
      const tick = () => {
        res.write(part.subarray(at, at + step));
        at += step;
        if (at < part.length) setTimeout(tick, 100);
        else res.end();
      };
      tick();
    } else res.end(part);
  });
  return { server, faults, ranges };
}

async function serve(t: { after: (fn: () => Promise<void>) => void }, zips: Map<string, Buffer>) {
  const m = mirror(zips);
  await new Promise<void>((r) => m.server.listen(0, '127.0.0.1', r));
  // A stalled response keeps its connection: close them all, or close() would wait for them.
  t.after(() => new Promise<void>((r) => (m.server.close(() => r()), m.server.closeAllConnections())));
  return { ...m, url: `http://127.0.0.1:${(m.server.address() as AddressInfo).port}/otb` };
}

function zipOf(dir: string, seq: string): Buffer {
  cpSync(real('frames', 'otb', seq), join(dir, seq), { recursive: true });
  execFileSync('zip', ['-qr', `${seq}.zip`, seq], { cwd: dir });
  return readFileSync(join(dir, `${seq}.zip`));
}

const SEQS = ['KiteSurf', 'Football1'];

test(
  'download: cut, wrong bytes, slow and stalled transfers end in checked sequences; a 404 and a changed file are one-line errors',
  { skip: SKIP_REALDATA },
  async (t) => {
    const dir = tempDir(t, 'download-');
    const zips = new Map(SEQS.map((s) => [`${s}.zip`, zipOf(dir, s)]));
    const m = await serve(t, zips);
    const root = join(dir, 'otb');
    const log: string[] = [];
    const req = { dataset: 'OTB100', root, mirror: m.url, retries: 3, idleMs: 700, log: (l: string) => log.push(l) };

    m.faults.set('KiteSurf.zip', ['cut', 'stall']);
    m.faults.set('Football1.zip', ['wrong', 'slow']);
    const first = await downloadDataset({ ...req, sequences: SEQS });
    assert.deepEqual(first, { fetched: SEQS, skipped: [] });
    // The cut and the stall were resumed from where they stopped, not from the start.
    const kite = m.ranges.filter((r) => r.startsWith('KiteSurf'));
    assert.equal(kite.length, 3);
    assert.equal(kite[0], 'KiteSurf.zip -');
    assert.match(kite[1], /^KiteSurf\.zip bytes=\d+-$/);
    assert.match(kite[2], /^KiteSurf\.zip bytes=\d+-$/);
    // Wrong bytes on a first download (no checksum known yet) fail the unpack: fetched again from the start.
    assert.deepEqual(
      m.ranges.filter((r) => r.startsWith('Football1')),
      ['Football1.zip -', 'Football1.zip -'],
    );
    assert.ok(log.some((l) => /Football1\.zip: not a readable zip .*: fetching it again/.test(l)));
    for (const s of SEQS) {
      assert.deepEqual(readdirSync(join(root, s, 'img')).sort(), readdirSync(real('frames', 'otb', s, 'img')).sort());
      assert.ok(readFileSync(join(root, s, 'img', '0001.jpg')).equals(readFileSync(real('frames', 'otb', s, 'img', '0001.jpg'))));
    }
    const manifest = JSON.parse(readFileSync(join(root, 'siambench-download.json'), 'utf8'));
    assert.deepEqual(manifest.ready, SEQS);
    const sha = execFileSync('sha256sum', [join(dir, 'KiteSurf.zip')], { encoding: 'utf8' }).split(' ')[0];
    assert.equal(manifest.files['KiteSurf.zip'].sha256, sha);
    assert.deepEqual(readdirSync(root).sort(), ['.downloads', 'Football1', 'KiteSurf', 'siambench-download.json']);
    assert.deepEqual(readdirSync(join(root, '.downloads')), []);

    // Run again: nothing fetched.
    const before = m.ranges.length;
    assert.deepEqual(await downloadDataset({ ...req, sequences: SEQS }), { fetched: [], skipped: SEQS });
    assert.equal(m.ranges.length, before);

    // A sequence the mirror does not have: one line naming the URL.
    await assert.rejects(downloadDataset({ ...req, sequences: ['Skiing'] }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `${m.url}/Skiing.zip: HTTP 404 (not found: a dead link, or a wrong --mirror)`);
      return true;
    });

    // The user removes KiteSurf; the mirror now serves other bytes: they fail the checksum recorded
    // at the first download on every attempt, and nothing of them is left in place.
    execFileSync('rm', ['-r', join(root, 'KiteSurf')]);
    m.faults.set('KiteSurf.zip', ['changed', 'changed', 'changed', 'changed']);
    await assert.rejects(downloadDataset({ ...req, sequences: ['KiteSurf'] }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(
        e.message,
        new RegExp(`^${m.url}/KiteSurf\\.zip: sha256 [0-9a-f]{64}, the recorded checksum is ${sha} \\(gave up after 4 attempts`),
      );
      assert.ok(!e.message.includes('\n'));
      return true;
    });
    assert.ok(!existsSync(join(root, 'KiteSurf')));
    assert.deepEqual(readdirSync(join(root, '.downloads')), []);
    // The mirror mends: the same command fetches it, verified against the recorded checksum.
    assert.deepEqual(await downloadDataset({ ...req, sequences: ['KiteSurf'] }), { fetched: ['KiteSurf'], skipped: [] });
  },
);

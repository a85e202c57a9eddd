import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatRegion } from '../src/trax/region.ts';
import type { Message } from '../src/trax/message.ts';
import { SKIP_REALDATA } from './helpers/realdata.ts';
import { type ReplayResult, loadSession, replay } from './helpers/trax-replay.ts';

/**
 * siambench's TraX client against every recorded reference tracker (../shared/realdata/trax): what
 * it sends carries what the reference client sent (same messages, arguments and properties, in
 * order), and its results and failure reasons are the recorded outcome, or better where the
 * reference hangs or crashes.
 */
function sameMessages(got: Message[], want: Message[], upTo = want.length) {
  const g = got.slice(0, upTo).map(plain);
  const w = want.slice(0, upTo).map(plain);
  assert.deepEqual(g, w);
}

/** Quit is compared by type only: traxclient adds an empty trax.reason, the Python client none. */
const plain = (m: Message) => (m.type === 'quit' ? { type: 'quit' } : { type: m.type, args: m.args, props: Object.fromEntries(m.props) });

function outputFile(r: ReplayResult): string[] {
  return ['1', ...r.replies.slice(1).map((x) => formatRegion(x.states[0].region))];
}

const NORMAL = [
  'native-rect-path',
  'native-poly-path',
  'legacy-v3-rect-path',
  'legacy-v3-poly-path',
  'pystatic-rect-path',
  'pystatic-poly2rect-path',
  'native-properties',
  'native-depth-channel',
  'native-socket',
  'pystatic-socket',
  'votpy2023-confidence',
  'raw-variants',
  'raw-v1',
];

describe('TraX client replaying the reference trackers', { skip: SKIP_REALDATA }, () => {
  for (const name of NORMAL) {
    test(`${name}: same messages as traxclient, same output file`, async () => {
      const s = loadSession(name);
      const r = await replay(s);
      assert.equal(r.error, null);
      sameMessages(r.sent, r.recorded);
      assert.deepEqual(outputFile(r), s.observed.output_file);
    });
  }

  test('votpy2023-confidence: the tracker-side confidence is kept with each state', async () => {
    const r = await replay(loadSession('votpy2023-confidence'));
    assert.equal(r.client!.hello.custom.vot, 'python');
    assert.deepEqual(
      r.replies.slice(1, 4).map((x) => x.states[0].props.confidence),
      ['0.95', '0.9', '0.85'],
    );
  });

  test('native-query: hello read, then quit only', async () => {
    const r = await replay(loadSession('native-query'));
    assert.equal(r.error, null);
    assert.equal(r.client!.hello.name, 'Static');
    assert.equal(r.client!.hello.description, 'Static demo tracker');
    assert.equal(r.client!.hello.family, 'Demo');
    sameMessages(r.sent, r.recorded);
  });

  for (const name of [
    'pyclient-native-memory',
    'pyclient-native-buffer',
    'pyclient-native-url',
    'pyclient-native-socket',
    'pyclient-votpy2023-toolkit-style',
    'raw-variants-pyclient',
  ]) {
    test(`${name}: the Python client binding's plan gives its messages and results`, async () => {
      const s = loadSession(name);
      const r = await replay(s);
      assert.equal(r.error, null);
      if (name === 'pyclient-native-memory') {
        assert.deepEqual(
          r.sent.map((m) => m.type),
          r.recorded.map((m) => m.type),
        );
        const [got, want] = [r.sent[1].args[0], r.recorded[1].args[0]];
        assert.equal(got.slice(0, 16), want.slice(0, 16)); // image:360;240;rgb;
        assert.equal(got.length, want.length);
        const a = Buffer.from(got.split(';')[3], 'base64');
        const b = Buffer.from(want.split(';')[3], 'base64');
        let diff = 0;
        for (let i = 0; i < a.length; i++) diff += Math.abs(a[i] - b[i]);
        assert.ok(diff / a.length < 2, `mean pixel difference ${diff / a.length} against Pillow's decode`);
      } else sameMessages(r.sent, r.recorded);
      const driver = (s.observed.driver_result as { steps: { states: [string, Record<string, string>][] }[] }).steps;
      assert.deepEqual(
        r.replies.map((x) => x.states.map((st) => [formatRegion(st.region), st.props])),
        driver.map((d) => d.states),
      );
    });
  }

  test('pyclient-native-multiobject: 3 objects, one added, an argument-less initialize before re-initialising', async () => {
    const s = loadSession('pyclient-native-multiobject');
    const r = await replay(s, 'quit', [3, 3, 4, 1, 1]);
    assert.equal(r.error, null);
    sameMessages(r.sent, r.recorded);
    const driver = (s.observed.driver_result as { steps: { states: [string, Record<string, string>][] }[] }).steps;
    assert.deepEqual(
      r.replies.map((x) => x.states.map((st) => [formatRegion(st.region), st.props])),
      driver.map((d) => d.states),
    );
  });
});

/**
 * The faulty sessions: what the recorded tracker did at its end, the frames siambench's client
 * sent before failing (as many as the reference client's), and the one-line reason it gives.
 */
const FAULTS: { name: string; end: string; sent?: number; reason: RegExp; better?: string }[] = [
  {
    name: 'badtracker-sigsegv',
    end: 'signal:SIGSEGV',
    reason: /ended while siambench waited for its answer to frame 4; the tracker was killed by SIGSEGV/,
  },
  { name: 'badtracker-sigabrt', end: 'signal:SIGABRT', reason: /answer to frame 6; the tracker was killed by SIGABRT/ },
  {
    name: 'badtracker_py-startup-crash',
    end: 'exit:1',
    reason: /ended before its TraX hello; the tracker exited with code 1; its output ends: .*TabError/,
  },
  {
    name: 'native-timeout',
    end: 'hang',
    reason:
      /did not answer frame 1 within 3 s \(--timeout\); the tracker did not end on quit within 1 s and was ended by siambench with SIGTERM/,
  },
  {
    name: 'raw-hang',
    end: 'hang',
    reason: /did not answer frame 3 within 2 s \(--timeout\); the tracker did not end on quit .* with SIGTERM; its output ends: .*hanging/,
  },
  {
    name: 'raw-nohello',
    end: 'exit:3',
    reason: /ended before its TraX hello; the tracker exited with code 3; its output ends: .*"starting up..."/,
  },
  { name: 'raw-exit', end: 'exit:0', reason: /answer to frame 4; the tracker exited with code 0/ },
  { name: 'raw-quit', end: 'exit:0', reason: /the tracker quit the session at frame 4: target lost, giving up/ },
  { name: 'raw-badkey', end: 'quit', reason: /state for frame 3 has 2 positional arguments, not 1/ },
  { name: 'raw-garbage', end: 'quit', reason: /state for frame 4: '1,2,3' is not a region/ },
  {
    name: 'votpy2026-single-object-crash',
    end: 'exit:1',
    reason: /quit the session at frame 2 \(no reason given\); the tracker exited with code 1/,
  },
  {
    name: 'native-utf8-property',
    end: 'exit:0',
    reason: /quit the session at frame 2 \(no reason given\) \(a request held non-ASCII bytes/,
  },
  {
    name: 'raw-tabsep',
    end: 'quit',
    reason: /did not answer frame 3 within 3 s .*a line looked like TraX but is not a message .*"@@TRAX:state\\t/,
  },
];

describe('TraX client on the faulty recorded sessions', { skip: SKIP_REALDATA }, () => {
  for (const f of FAULTS) {
    test(`${f.name}: fails with a one-line reason`, async () => {
      const r = await replay(loadSession(f.name), f.end);
      assert.ok(r.error, 'the session must fail');
      assert.ok(!r.error.includes('\n'), `one line: ${r.error}`);
      assert.match(r.error, f.reason);
      // Up to the failure, the same requests as the reference client (its quit aside).
      const upTo = r.recorded.findIndex((m) => m.type === 'quit');
      sameMessages(r.sent, r.recorded, upTo < 0 ? r.recorded.length : upTo);
    });
  }

  test('raw-crlf: a CR LF state is read (the reference drops it and times out), with a warning', async () => {
    const r = await replay(loadSession('raw-crlf'));
    assert.equal(formatRegion(r.replies[2].states[0].region), '207.0000,151.0000,17.0000,50.0000');
    assert.match(r.client!.warnings[0], /CR LF/);
    // The recording ends there: frame 4 gets no answer.
    assert.match(r.error!, /did not answer frame 4 within 3 s/);
  });

  test('raw-barehello: a hello without properties gets the documented defaults (the reference client crashes)', async () => {
    const r = await replay(loadSession('raw-barehello'), 'exit:0');
    const h = r.client!.hello;
    assert.deepEqual([h.version, [...h.images], [...h.regions], h.channels], [1, ['path'], ['rectangle'], ['color']]);
    // Version 1: image and region in one initialize.
    assert.equal(r.sent[0].type, 'initialize');
    assert.equal(r.sent[0].args.length, 2);
    assert.match(r.error!, /ended while siambench waited for its answer to frame 1; the tracker exited with code 0/);
  });

  test('native-invalid-property-key: refused before sending (the reference sends it as a stray argument)', async () => {
    const r = await replay(loadSession('native-invalid-property-key'));
    assert.match(r.error!, /property key 'bad key' is not a TraX key/);
    assert.equal(r.sent.filter((m) => m.type === 'frame').length, 0);
  });

  test('pyclient-pystatic-memory-rejected: the tracker quits with its reason', async () => {
    const r = await replay(loadSession('pyclient-pystatic-memory-rejected'), 'exit:1');
    assert.match(r.error!, /quit the session at frame 1: Exception when waiting for command: Unknown; the tracker exited with code 1/);
    sameMessages(r.sent, r.recorded);
  });
});

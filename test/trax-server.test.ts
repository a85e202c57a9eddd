import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { TraxClient } from '../src/trax/client.ts';
import { encodeImage } from '../src/trax/image.ts';
import type { Message } from '../src/trax/message.ts';
import { type Region, formatRegion, parseRegion } from '../src/trax/region.ts';
import { REPO } from './helpers/cli.ts';
import { SKIP_REALDATA, real } from './helpers/realdata.ts';
import { FRAMES, messages } from './helpers/trax-replay.ts';

/**
 * The tracker side: siambench's TraX server (`npm run -s trax-server`) and its pure-Python
 * integration, fed the reference client's recorded streams and driven by siambench's own client.
 */
const HAVE_PYTHON = spawnSync('python3', ['-c', 'import sys']).status === 0;
if (!HAVE_PYTHON) process.stdout.write('# skipping the Python TraX integration tests: python3 not found\n');
const tmp = mkdtempSync(join(tmpdir(), 'siambench-trax-server-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const SERVER = [process.execPath, '--import', 'tsx', join(REPO, 'src', 'cli', 'trax-server.ts')];
const ECHO = ['python3', join(REPO, 'test', 'fixtures', 'trax', 'echo_server.py')];

function feed(command: string[], input: string, env: Record<string, string> = {}) {
  const r = spawnSync(command[0], command.slice(1), { input, encoding: 'latin1', cwd: REPO, env: { ...process.env, ...env } });
  return { status: r.status, out: messages(r.stdout), stderr: r.stderr };
}

const recordedInput = (name: string) =>
  readFileSync(real('trax', `${name}.client-to-tracker.txt`), 'latin1').replaceAll('{FRAMES}', FRAMES);
const recordedStates = (name: string) =>
  messages(readFileSync(real('trax', `${name}.tracker-to-client.txt`), 'latin1')).filter((m) => m.type === 'state');
const state = (m: Message) => ({ region: m.args[0], props: Object.fromEntries(m.props) });

const STREAMS = [
  'native-rect-path',
  'native-poly-path',
  'legacy-v3-rect-path',
  'legacy-v3-poly-path',
  'pyclient-native-memory',
  'pyclient-native-buffer',
  'pyclient-native-multiobject',
];

describe(
  'the pure-Python integration fed the reference client streams',
  { skip: SKIP_REALDATA || (HAVE_PYTHON ? false : 'no python3') },
  () => {
    for (const name of STREAMS) {
      test(`${name}: the same states as the reference's echoing tracker`, () => {
        const legacy = name.startsWith('legacy');
        const r = feed(ECHO, recordedInput(name), legacy ? { ECHO_VERSION: '3' } : {});
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.out[0].type, 'hello');
        assert.deepEqual(r.out.slice(1).map(state), recordedStates(name).map(state));
        if (name.endsWith('memory')) assert.match(r.stderr, /memory 360x240 rgb 259200 bytes/);
        if (name.endsWith('buffer')) assert.match(r.stderr, /buffer image\/jpeg \d+ bytes/);
      });
    }
  },
);

describe("siambench's trax-server fed the reference client streams", { skip: SKIP_REALDATA }, () => {
  for (const name of STREAMS) {
    test(`${name}: a state per object per request, rectangles from the static tracker`, () => {
      const r = feed(SERVER.concat(['--tracker', 'static']), recordedInput(name));
      assert.equal(r.status, 0, r.stderr);
      const want = recordedStates(name);
      const got = r.out.filter((m) => m.type === 'state');
      assert.equal(got.length, want.length, r.stderr);
      for (const [i, m] of got.entries()) {
        assert.equal(m.args.length, 1);
        const region = parseRegion(m.args[0]) as Region;
        const ref = parseRegion(want[i].args[0]) as Region;
        // The initialisation echoes the region given; later frames hold the static tracker's box:
        // the reference echoes its input, so both are the same box.
        assert.ok(region.kind === ref.kind || region.kind === 'rectangle', `${m.args[0]} vs ${want[i].args[0]}`);
        if (ref.kind === 'rectangle') assert.equal(m.args[0], want[i].args[0]);
      }
      assert.equal(r.out.filter((m) => m.type === 'quit').length, 0, 'a clean session ends without a quit from the tracker');
    });
  }
});

async function drive(command: string[], region: Region, type: 'path' | 'memory', socket = false) {
  const client = await TraxClient.open({
    launch: { command, cwd: REPO, env: process.env as Record<string, string>, socket, logCap: 1 << 20 },
    handshakeMs: 30_000,
    stepMs: 30_000,
  });
  const frame = (i: number) => encodeImage(type, real('frames', 'otb', 'Crossing', 'img', `${String(i).padStart(4, '0')}.jpg`));
  const init = await client.initialize([await frame(1)], [{ region }]);
  const replies = [init];
  for (let i = 2; i <= 4; i++) replies.push(await client.frame([await frame(i)]));
  await client.close();
  return { client, states: replies.map((r) => r.states[0]) };
}

const RECT: Region = { kind: 'rectangle', x: 204, y: 150, width: 17, height: 50 };
const POLY: Region = { kind: 'polygon', points: [204, 150, 221, 150, 221, 200, 204, 200] };

describe("siambench's client driving siambench's server and the Python integration", { skip: SKIP_REALDATA }, () => {
  for (const [region, type, socket] of [
    [RECT, 'path', false],
    [POLY, 'memory', false],
    [RECT, 'memory', true],
  ] as const) {
    test(`trax-server static: ${region.kind}, ${type} images${socket ? ', over TCP' : ''}`, async () => {
      const { client, states } = await drive(SERVER.concat(['--tracker', 'static']), region, type, socket);
      assert.equal(client.hello.version, 4);
      assert.equal(formatRegion(states[0].region), formatRegion(region));
      for (const s of states.slice(1)) assert.equal(formatRegion(s.region), '204.0000,150.0000,17.0000,50.0000');
      assert.equal(states[1].props.confidence, '1');
    });
  }

  test(
    'the example NCC tracker (Python integration, memory images) over stdio and TCP',
    { skip: HAVE_PYTHON ? false : 'no python3' },
    async () => {
      for (const socket of [false, true]) {
        const { client, states } = await drive(['python3', join(REPO, 'python', 'examples', 'ncc_tracker.py')], RECT, 'memory', socket);
        assert.equal(client.hello.custom.vot, 'python');
        assert.deepEqual([...client.hello.images], ['memory']);
        for (const s of states.slice(1)) {
          assert.equal(s.region.kind, 'rectangle');
          assert.ok(Number(s.props.confidence) > 0.5, `confidence ${s.props.confidence}`);
        }
      }
    },
  );
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { loadVot } from '../src/benchmarks/vot/dataset/index.ts';
import { scoreOtbResults } from '../src/benchmarks/otb/benchmark.ts';
import { scoreVotResults } from '../src/benchmarks/vot/benchmark.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';
import { csvRows } from './helpers/files.ts';

/**
 * The whole pipeline on the real frames of ../shared/realdata/frames (issue 9, item 4): `bench` on a
 * partial raw OTB root of the four real sequences (tab and comma ground truth, Football1's 81 images
 * for 74 annotated frames), the VOT reset protocol on the real `bag` with its short tag files, and
 * symbolic links everywhere a user puts them (dataset roots, sequence folders, tracker folders,
 * single result files, images), each scored the same as the real folders. Expectations for the
 * `static` tracker (the first box held still) are worked out here from the ground truth alone.
 */
const SEQS = ['Couple', 'Crossing', 'Football1', 'MotorRolling'] as const;
const FRAMES: Record<(typeof SEQS)[number], number> = { Couple: 140, Crossing: 120, Football1: 74, MotorRolling: 164 };

let tmp = '';
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'realdata-pipeline-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

type Box = [number, number, number, number];
const rows = (file: string): number[][] =>
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) =>
      l
        .trim()
        .split(/[\s,]+/)
        .map(Number),
    );
/** A CSV without its fps column (measured, so it differs between runs). */
const stripFps = (file: string) => csvRows(file).map(({ fps: _fps, ...rest }) => rest);

/** The OTB toolkit's overlap (calcRectInt: pixel-inclusive) and centre error, with its invalid-ground-truth rule. */
function toolkitFrame(box: Box, gt: Box): { iou: number; err: number } {
  if (gt.some((v) => v <= 0)) return { iou: -1, err: -1 };
  const iw = Math.max(0, Math.min(box[0] + box[2] - 1, gt[0] + gt[2] - 1) - Math.max(box[0], gt[0]) + 1);
  const ih = Math.max(0, Math.min(box[1] + box[3] - 1, gt[1] + gt[3] - 1) - Math.max(box[1], gt[1]) + 1);
  const inter = iw * ih;
  const cx = (b: Box) => [b[0] + (b[2] - 1) / 2, b[1] + (b[3] - 1) / 2];
  const [a, c] = [cx(box), cx(gt)];
  return { iou: inter / (box[2] * box[3] + gt[2] * gt[3] - inter), err: Math.hypot(a[0] - c[0], a[1] - c[1]) };
}

/** Success AUC (mean of IoU > t for t = 0:0.05:1) and precision at 20 px of one held box. */
function heldBoxScores(gt: Box[]): { auc: number; p20: number } {
  const frames = gt.map((g) => toolkitFrame(gt[0], g));
  let auc = 0;
  for (let i = 0; i <= 20; i++) auc += frames.filter((f) => f.iou > i * 0.05).length / frames.length;
  return { auc: auc / 21, p20: frames.filter((f) => f.err <= 20).length / frames.length };
}

/** A partial raw OTB root whose sequence folders are symbolic links to the shared real ones. */
function linkedRoot(name: string): string {
  const root = join(tmp, name);
  mkdirSync(root);
  for (const s of SEQS) symlinkSync(real('frames', 'otb', s), join(root, s));
  return root;
}

test(
  'bench on a partial raw OTB root of the four real sequences (symlinked folders): tab and comma ground truth, Football1 runs its 74 annotated frames of 81 images',
  { skip: SKIP_REALDATA },
  async () => {
    const root = linkedRoot('otb-linked');
    // The loader reads both delimiters and lists one image per annotated frame.
    const ds = await loadOtb('OTB100', root);
    assert.deepEqual(
      ds.targets.map((t) => t.name),
      [...SEQS],
    );
    for (const t of ds.targets) {
      const file = real('frames', 'otb', t.name, 'groundtruth_rect.txt');
      const text = readFileSync(file, 'utf8');
      assert.equal(/\t/.test(text), t.name === 'Couple' || t.name === 'Crossing', `${t.name}: delimiter as the README says`);
      assert.deepEqual(t.groundTruth, rows(file), `${t.name}: ground truth as written`);
      assert.equal(t.frames.length, FRAMES[t.name as keyof typeof FRAMES]);
      assert.equal(t.images?.length, t.frames.length, `${t.name}: one image per annotated frame`);
      assert.ok(
        t.images!.every((p, i) => p === join(root, t.name, 'img', `${String(i + 1).padStart(4, '0')}.jpg`)),
        `${t.name}: images in order, through the link`,
      );
    }
    assert.equal(readdirSync(real('frames', 'otb', 'Football1', 'img')).length, 81);
    assert.ok(!ds.warnings.some((w) => /image|Football1/.test(w)), ds.warnings.join('\n'));

    // The output folder is a link too; a second run resumes through it.
    const out = join(tmp, 'bench-otb');
    mkdirSync(join(tmp, 'bench-otb-real'));
    symlinkSync(join(tmp, 'bench-otb-real'), out);
    const r = runCli('bench', ['--dataset', 'OTB100', '--root', root, '--trackers', 'static', '--out', out, '--concurrency', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readdirSync(join(tmp, 'bench-otb-real')).includes('summary.csv'));
    const per = new Map(csvRows(join(out, 'per_sequence.csv')).map((row) => [row.target, row]));
    for (const s of SEQS) {
      const gt = rows(real('frames', 'otb', s, 'groundtruth_rect.txt')) as Box[];
      const boxes = rows(join(out, 'raw', 'static', `${s}.txt`));
      assert.equal(boxes.length, FRAMES[s], `${s}: one box per annotated frame`);
      assert.ok(
        boxes.every((b) => b.join() === gt[0].join()),
        `${s}: static holds the first box`,
      );
      const record = JSON.parse(readFileSync(join(out, 'records', 'static', `${s}.json`), 'utf8'));
      assert.equal(record.status, 'ok');
      assert.equal(record.frames, FRAMES[s]);
      // Scores worked out from the ground truth alone, to the 6 decimals the CSV holds.
      const want = heldBoxScores(gt);
      const row = per.get(s)!;
      assert.equal(Number(row.frames), FRAMES[s]);
      assert.ok(Math.abs(Number(row.success_auc) - want.auc) < 1e-6, `${s}: AUC ${row.success_auc} vs ${want.auc}`);
      assert.ok(Math.abs(Number(row.precision_20) - want.p20) < 1e-6, `${s}: P@20 ${row.precision_20} vs ${want.p20}`);
    }
    const [summary] = csvRows(join(out, 'summary.csv'));
    assert.equal(Number(summary.frames), 498);
    const meanAuc = SEQS.reduce((a, s) => a + Number(per.get(s)!.success_auc), 0) / SEQS.length;
    assert.ok(Math.abs(Number(summary.success_auc) - meanAuc) < 2e-6, 'sequences weigh equally');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.equal(run.sequences, 4);
    assert.match(readFileSync(join(out, 'warnings.txt'), 'utf8'), /96 of 100 OTB100 target\(s\) not in/);
    const again = runCli('bench', ['--dataset', 'OTB100', '--root', root, '--trackers', 'static', '--out', out, '--concurrency', '1']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /resuming: 4 of 4 sequence run\(s\) already done/);
  },
);

test(
  'bench runs siamfc on Football1 through symlinked image files: 74 boxes from 81 images, better than the held box',
  { skip: SKIP_REALDATA },
  () => {
    // A real sequence folder whose ground truth and every image are symbolic links.
    const root = join(tmp, 'otb-file-links');
    const seq = join(root, 'Football1');
    mkdirSync(join(seq, 'img'), { recursive: true });
    symlinkSync(real('frames', 'otb', 'Football1', 'groundtruth_rect.txt'), join(seq, 'groundtruth_rect.txt'));
    for (const f of readdirSync(real('frames', 'otb', 'Football1', 'img')))
      symlinkSync(real('frames', 'otb', 'Football1', 'img', f), join(seq, 'img', f));
    const out = join(tmp, 'bench-siamfc');
    const r = runCli('bench', ['--dataset', 'OTB100', '--root', root, '--trackers', 'siamfc,static', '--out', out, '--concurrency', '2']);
    assert.equal(r.code, 0, r.stderr);
    const boxes = rows(join(out, 'raw', 'siamfc', 'Football1.txt'));
    assert.equal(boxes.length, 74);
    assert.ok(
      boxes.every((b) => b.length === 4 && b.every(Number.isFinite) && b[2] > 0 && b[3] > 0),
      'every box finite and non-empty',
    );
    assert.equal(JSON.parse(readFileSync(join(out, 'records', 'siamfc', 'Football1.json'), 'utf8')).frames, 74);
    const per = new Map(csvRows(join(out, 'per_sequence.csv')).map((row) => [row.tracker, Number(row.success_auc)]));
    assert.ok(
      per.get('siamfc')! > per.get('static')! + 0.1,
      `siamfc read the pixels: AUC ${per.get('siamfc')} vs held box ${per.get('static')}`,
    );
  },
);

test(
  'eval: symlinked roots, sequence folders, tracker folders and result files score exactly as real folders',
  { skip: SKIP_REALDATA },
  async () => {
    const groups: [string, string][] = [
      ['cfnet-release', 'SiamFC-3s'],
      ['otb-toolkit', 'KCF'],
      ['pysot-style', 'SiamRPN'],
    ];
    const src = (group: string, tracker: string, s: string) => real('results', 'OTB100', group, tracker, `${s}.txt`);
    // Real copies: a root of ground-truth files and a results folder of tracker folders.
    const realRoot = join(tmp, 'eval-real-root');
    const realRes = join(tmp, 'eval-real-results');
    for (const s of SEQS) {
      mkdirSync(join(realRoot, s), { recursive: true });
      copyFileSync(real('frames', 'otb', s, 'groundtruth_rect.txt'), join(realRoot, s, 'groundtruth_rect.txt'));
    }
    for (const [g, t] of groups) {
      mkdirSync(join(realRes, t), { recursive: true });
      for (const s of SEQS) copyFileSync(src(g, t, s), join(realRes, t, `${s}.txt`));
    }
    // Links at every level.
    const rootLink = join(tmp, 'eval-root-link');
    symlinkSync(realRoot, rootLink);
    const rootOfLinks = linkedRoot('eval-root-of-links');
    const resLink = join(tmp, 'eval-results-link');
    symlinkSync(realRes, resLink);
    const resOfFolderLinks = join(tmp, 'eval-results-folder-links');
    mkdirSync(resOfFolderLinks);
    for (const [, t] of groups) symlinkSync(join(realRes, t), join(resOfFolderLinks, t));
    const resOfFileLinks = join(tmp, 'eval-results-file-links');
    for (const [g, t] of groups) {
      mkdirSync(join(resOfFileLinks, t), { recursive: true });
      for (const s of SEQS) symlinkSync(src(g, t, s), join(resOfFileLinks, t, `${s}.txt`));
    }

    const score = async (root: string, results: string, name: string) => {
      const ds = await loadOtb('OTB100', root);
      const out = join(tmp, `eval-${name}`);
      const { ev } = await scoreOtbResults(ds, results, out, { convention: 'otb' });
      return { ev, out, warnings: ds.warnings };
    };
    const base = await score(realRoot, realRes, 'real');
    assert.deepEqual(base.ev.trackers.map((t) => t.tracker).sort(), ['KCF', 'SiamFC-3s', 'SiamRPN']);
    assert.ok(base.ev.trackers.every((t) => t.overall.sequences === 4));
    for (const [root, results, name] of [
      [rootLink, resLink, 'linked-root-and-results'],
      [rootOfLinks, resOfFolderLinks, 'linked-sequences-and-trackers'],
      [realRoot, resOfFileLinks, 'linked-result-files'],
    ] as const) {
      const v = await score(root, results, name);
      for (const f of ['summary.csv', 'per_sequence.csv'])
        assert.deepEqual(stripFps(join(v.out, f)), stripFps(join(base.out, f)), `${name}: ${f}`);
      assert.equal(v.warnings.length, base.warnings.length, `${name}: no warning more than the real folders: ${v.warnings.join('\n')}`);
    }
    // The published SiamFC-3s on exactly these four sequences (issue 9: 0.554).
    const siam = base.ev.trackers.find((t) => t.tracker === 'SiamFC-3s')!;
    assert.equal(siam.overall.successAuc.toFixed(3), '0.554');

    // The CLI takes them as well (it used to answer "not an OTB root" and "no tracker folders").
    const cliOut = join(tmp, 'eval-cli');
    const r = runCli('eval', ['--dataset', 'OTB100', '--root', rootOfLinks, '--results', resOfFolderLinks, '--out', cliOut]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(stripFps(join(cliOut, 'summary.csv')), stripFps(join(base.out, 'summary.csv')));

    // Dangling links: named in a warning (or a one-line error where the item was asked for), never dropped in silence.
    const missing = join(tmp, 'nowhere');
    const rootDangling = linkedRoot('eval-root-dangling');
    symlinkSync(join(missing, 'Ghost'), join(rootDangling, 'Ghost'));
    const resDangling = join(tmp, 'eval-results-dangling');
    mkdirSync(resDangling);
    for (const [, t] of groups) symlinkSync(join(realRes, t), join(resDangling, t));
    symlinkSync(join(missing, 'Gone'), join(resDangling, 'Gone'));
    mkdirSync(join(resDangling, 'KCF-partial'));
    for (const s of SEQS)
      symlinkSync(
        s === 'MotorRolling' ? join(missing, `${s}.txt`) : src('otb-toolkit', 'KCF', s),
        join(resDangling, 'KCF-partial', `${s}.txt`),
      );
    const d = await score(rootDangling, resDangling, 'dangling');
    const all = [...d.warnings, ...d.ev.trackers.flatMap((t) => t.warnings)].join('\n');
    assert.match(
      all,
      new RegExp(`${join(rootDangling, 'Ghost')}: dangling symbolic link \\(to ${join(missing, 'Ghost')}\\); not a sequence folder`),
    );
    assert.match(all, new RegExp(`results: ${join(resDangling, 'Gone')}: dangling symbolic link .*not a tracker folder`));
    assert.match(
      all,
      new RegExp(
        `${join(resDangling, 'KCF-partial', 'MotorRolling.txt')}: dangling symbolic link .*MotorRolling counts as having no result`,
      ),
    );
    const partial = d.ev.trackers.find((t) => t.tracker === 'KCF-partial')!;
    assert.equal(partial.overall.sequences, 3);
    for (const t of ['SiamFC-3s', 'KCF', 'SiamRPN']) {
      assert.equal(
        d.ev.trackers.find((x) => x.tracker === t)!.overall.successAuc,
        base.ev.trackers.find((x) => x.tracker === t)!.overall.successAuc,
        t,
      );
    }
    const e = runCli('eval', [
      '--dataset',
      'OTB100',
      '--root',
      rootOfLinks,
      '--results',
      resDangling,
      '--trackers',
      'Gone',
      '--out',
      join(tmp, 'eval-gone'),
    ]);
    assertOneLineError(e, /--trackers: Gone: .*Gone: dangling symbolic link/);
    const onlyDangling = join(tmp, 'eval-only-dangling');
    mkdirSync(onlyDangling);
    symlinkSync(join(missing, 'Gone'), join(onlyDangling, 'Gone'));
    assertOneLineError(
      runCli('eval', ['--dataset', 'OTB100', '--root', rootOfLinks, '--results', onlyDangling, '--out', join(tmp, 'eval-x')]),
      /--results: no tracker folders in .*Gone: dangling symbolic link/,
    );
    const rootGone = join(tmp, 'eval-root-gone');
    symlinkSync(missing, rootGone);
    assertOneLineError(
      runCli('eval', ['--dataset', 'OTB100', '--root', rootGone, '--results', realRes, '--out', join(tmp, 'eval-y')]),
      /--root: .*eval-root-gone: dangling symbolic link/,
    );
  },
);

// ---- VOT: the reset protocol on the real bag ----

type Pt = [number, number];

/**
 * Whether a convex polygon and an axis-aligned rectangle share area (separating axis test: no axis
 * of either shape on which their projections are apart or only touch).
 */
function shareArea(poly: Pt[], rect: [number, number, number, number]): boolean {
  const [l, t, r, b] = rect;
  const box: Pt[] = [
    [l, t],
    [r, t],
    [r, b],
    [l, b],
  ];
  const axes: Pt[] = [
    [1, 0],
    [0, 1],
  ];
  for (let i = 0; i < poly.length; i++) {
    const [p, q] = [poly[i], poly[(i + 1) % poly.length]];
    axes.push([q[1] - p[1], p[0] - q[0]]);
  }
  for (const [ax, ay] of axes) {
    const proj = (pts: Pt[]) => pts.map(([x, y]) => x * ax + y * ay);
    const a = proj(poly),
      c = proj(box);
    if (Math.max(...a) <= Math.min(...c) || Math.max(...c) <= Math.min(...a)) return false;
  }
  return true;
}

/** The supervised protocol for a held box, from the ground truth alone: codes per frame. */
function heldBoxProtocol(gt: number[][], width: number, height: number): (number | 'box')[] {
  const n = gt.length;
  const lines: (number | 'box')[] = new Array(n).fill(0);
  let start = 0;
  while (start < n) {
    const xs = gt[start].filter((_, i) => i % 2 === 0),
      ys = gt[start].filter((_, i) => i % 2 === 1);
    // The held box is the initial polygon's bounding box, clipped to the image as overlaps are.
    const rect: [number, number, number, number] = [
      Math.max(0, Math.min(...xs)),
      Math.max(0, Math.min(...ys)),
      Math.min(width - 1, Math.max(...xs)),
      Math.min(height - 1, Math.max(...ys)),
    ];
    lines[start] = 1;
    let failed = -1;
    for (let i = start + 1; i < n; i++) {
      const poly: Pt[] = [];
      for (let k = 0; k < gt[i].length; k += 2) poly.push([gt[i][k], gt[i][k + 1]]);
      if (!shareArea(poly, rect)) {
        lines[i] = 2;
        failed = i;
        break;
      }
      lines[i] = 'box';
    }
    if (failed < 0) break;
    start = failed + 5;
  }
  return lines;
}

test(
  'VOT reset protocol on the real bag (symlinked root): failures where the held box leaves the target, re-initialised 5 frames later, short tag files padded',
  { skip: SKIP_REALDATA },
  async () => {
    const root = join(tmp, 'vot-link');
    symlinkSync(real('frames', 'vot'), root);
    const out = join(tmp, 'bench-vot');
    const r = runCli('bench', ['--dataset', 'VOT2016', '--root', root, '--trackers', 'static', '--out', out, '--concurrency', '1']);
    assert.equal(r.code, 0, r.stderr);

    const gt = rows(real('frames', 'vot', 'bag', 'groundtruth.txt'));
    assert.equal(gt.length, 196);
    const want = heldBoxProtocol(gt, 480, 360);
    const failures = want.flatMap((c, i) => (c === 2 ? [i] : []));
    assert.deepEqual(failures, [30, 50, 65], 'worked out from the ground truth');
    const bagDir = join(out, 'raw', 'static', 'baseline', 'bag');
    // A deterministic tracker: three identical runs, then the toolkit stops.
    assert.deepEqual(
      readdirSync(bagDir)
        .filter((f) => /^bag_\d{3}\.txt$/.test(f))
        .sort(),
      ['bag_001.txt', 'bag_002.txt', 'bag_003.txt'],
    );
    const lines = readFileSync(join(bagDir, 'bag_001.txt'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 196);
    let held = '';
    lines.forEach((line, i) => {
      const w = want[i];
      if (w === 'box') assert.equal(line, held, `frame ${i + 1}: the held box`);
      else assert.equal(line, String(w), `frame ${i + 1}: code ${w}`);
      if (w === 1) {
        // Re-initialised on the bounding box of that frame's polygon, which it then holds.
        const xs = gt[i].filter((_, k) => k % 2 === 0),
          ys = gt[i].filter((_, k) => k % 2 === 1);
        const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)];
        held = lines[i + 1];
        assert.deepEqual(
          held
            .split(',')
            .map(Number)
            .map((v, k) => Math.abs(v - box[k]) < 1e-3),
          [true, true, true, true],
          `frame ${i + 2}: ${held} vs ${box}`,
        );
      }
    });
    assert.deepEqual(
      failures.map((f) => lines.slice(f, f + 6).join(' ')),
      failures.map(() => '2 0 0 0 0 1'),
    );
    for (const rep of ['002', '003']) assert.equal(readFileSync(join(bagDir, `bag_${rep}.txt`), 'utf8'), lines.join('\n') + '\n');
    const record = JSON.parse(readFileSync(join(out, 'records', 'static', 'bag.json'), 'utf8'));
    assert.deepEqual(record.failures, [3, 3, 3]);
    assert.equal(record.frames, 3 * (196 - 3 * 4), 'skipped frames are never read');

    // Tags: four files stop at frame 157 and are padded with 0, each reported; failures count under
    // the tags their frame carries; `empty` is the frames with no tag.
    const warnings = readFileSync(join(out, 'warnings.txt'), 'utf8');
    const tags: Record<string, number[]> = {};
    for (const tag of ['camera_motion', 'illum_change', 'motion_change', 'size_change', 'occlusion']) {
      const v = readFileSync(real('frames', 'vot', 'bag', `${tag}.tag`), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map(Number);
      if (v.length < 196) assert.match(warnings, new RegExp(`bag/${tag}: ${v.length} of 196 frames tagged; padded with 0`));
      tags[tag] = Array.from({ length: 196 }, (_, i) => v[i] ?? 0);
    }
    assert.equal(Object.values(tags).filter((v) => v.length === 196).length, 5);
    tags.empty = Array.from({ length: 196 }, (_, i) => (Object.values(tags).every((v) => v[i] === 0) ? 1 : 0));
    const byTag = new Map(csvRows(join(out, 'tags.csv')).map((row) => [row.tag, row]));
    for (const [tag, v] of Object.entries(tags)) {
      const row = byTag.get(tag)!;
      assert.equal(
        Number(row.frames),
        v.reduce((a, b) => a + b, 0),
        `${tag}: tagged frames`,
      );
      assert.equal(Number(row.failures), failures.filter((f) => v[f] === 1).length, `${tag}: failures on tagged frames`);
    }
    assert.equal(byTag.get('empty')!.frames, '63');
    const [seqRow] = csvRows(join(out, 'sequences.csv'));
    assert.equal(Number(seqRow.failures), 3);

    // The raw results scored again through symlinked tracker folders and result files: same numbers.
    const ds = await loadVot('VOT2016', root);
    const base = await scoreVotResults(ds, join(out, 'raw'), join(tmp, 'vot-eval-real'), { convention: 'legacy' });
    const folderLinks = join(tmp, 'vot-results-folder-links');
    mkdirSync(folderLinks);
    symlinkSync(join(out, 'raw', 'static'), join(folderLinks, 'static'));
    const fileLinks = join(tmp, 'vot-results-file-links');
    mkdirSync(join(fileLinks, 'held', 'baseline', 'bag'), { recursive: true });
    for (const f of readdirSync(bagDir)) symlinkSync(join(bagDir, f), join(fileLinks, 'held', 'baseline', 'bag', f));
    symlinkSync(join(tmp, 'nowhere'), join(fileLinks, 'Gone'));
    for (const [dir, name] of [
      [folderLinks, 'static'],
      [fileLinks, 'held'],
    ] as const) {
      const ds2 = await loadVot('VOT2016', root);
      const v = await scoreVotResults(ds2, dir, join(tmp, `vot-eval-${name}`), { convention: 'legacy' });
      const t = v.ev.trackers.find((x) => x.tracker === name)!;
      const b = base.ev.trackers[0];
      assert.deepEqual([t.eao, t.accuracy, t.failures, t.frames, t.runs], [b.eao, b.accuracy, b.failures, b.frames, b.runs], name);
      assert.deepEqual(t.tags, b.tags);
      if (name === 'held')
        assert.ok(
          ds2.warnings.some((w) => w.includes(`${join(fileLinks, 'Gone')}: dangling symbolic link`)),
          ds2.warnings.join('\n'),
        );
    }
  },
);

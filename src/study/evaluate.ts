import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDataset } from '../benchmarks/index.ts';
import { ensureSynthetic } from '../synthetic/index.ts';
import { selectTrackers } from '../trackers/registry.ts';
import { runBench } from '../runner/bench.ts';
import type { PerRunRow } from './per-run.ts';
import { elapsed, type StudyRequest } from './request.ts';
import type { TestSetSpec } from './spec.ts';
import type { TrainJob } from './training.ts';

/** Tracks every trained model on one test set (one bench run, resumable); its per_run.csv rows. */
export async function evaluateTestSet(req: StudyRequest, set: TestSetSpec, trained: TrainJob[], dataDir: string): Promise<PerRunRow[]> {
  const { spec, log } = req;
  const out = resolve(req.out);
  const byTracker = new Map(trained.map((j) => [j.name, j]));
  const rows: PerRunRow[] = [];
  let loaded;
  if (set.kind === 'synthetic') {
    const dir = join(dataDir, set.name);
    const m = await ensureSynthetic(dir, {
      splits: ['test'],
      testSequences: set.sequences,
      testFrames: set.frames,
      seed: set.seed,
      onSplit: (_s, status, s) =>
        log(
          `[study] test set ${set.name} (${set.sequences} synthetic sequences): ${status}${status === 'generated' ? ` in ${s.toFixed(0)} s` : ''} in ${dir}`,
        ),
    });
    loaded = await loadDataset('otb', 'synthetic', join(dir, m.splits.test!.layouts.otb!));
  } else {
    const root = resolve(set.root);
    if (!existsSync(root)) {
      log(`[study] test set ${set.name}: ${root} is absent, skipped`);
      return [];
    }
    loaded = await loadDataset('otb', set.dataset, root);
  }
  const t0 = performance.now();
  log(`[study] test set ${set.name}: ${trained.length} model(s) on ${loaded.kind === 'otb' ? loaded.ds.targets.length : 0} sequences`);
  const outcome = await runBench({
    data: loaded,
    trackers: selectTrackers(trained.map((j) => j.dir)),
    out: join(out, 'eval', set.name),
    concurrency: req.concurrency,
    compute: req.compute,
    convention: 'otb',
    seed: 1,
    log: (l) => log(`[study] ${set.name}: ${l}`),
  });
  if (outcome.evaluation.kind !== 'otb') throw new Error('study test sets are one-pass');
  for (const t of outcome.evaluation.ev.trackers) {
    const job = byTracker.get(t.tracker)!;
    for (const q of t.perSequence) {
      rows.push({
        config: job.config.name,
        seed: job.seed,
        testSet: set.name,
        sequence: q.target,
        auc: q.successAuc,
        precision: q.precision20,
        loss: job.config.loss,
        baseline: job.config.name === spec.baseline,
        attributes: q.attributes,
      });
    }
  }
  log(`[study] test set ${set.name}: scored in ${elapsed(t0)}`);
  return rows;
}

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../core/fs-atomic.ts';
import { type Checksum, fetchVerified } from './fetch.ts';
import { checkOtbSequence, OTB_MIRROR, otbSequences } from './otb.ts';
import { unzip } from './unzip.ts';

export interface DownloadRequest {
  dataset: string;
  root: string;
  /** Base URL of the files (default: the dataset's own site). */
  mirror?: string;
  sequences?: string[];
  retries: number;
  idleMs: number;
  log: (line: string) => void;
}

/** What the root remembers: each file's sha256 at its first download, and the sequences checked ready. */
interface Manifest {
  dataset: string;
  files: Record<string, { url: string; sha256: string; bytes: number }>;
  ready: string[];
}

const MANIFEST = 'siambench-download.json';

function readManifest(root: string, dataset: string): Manifest {
  const file = join(root, MANIFEST);
  if (!existsSync(file)) return { dataset, files: {}, ready: [] };
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message}); move it away to download again`);
  }
  if (m.dataset !== dataset) throw new UserError(`--root: ${root} holds a download of ${m.dataset}, not ${dataset}`);
  return m;
}

/**
 * Fetches one sequence's zip (resumed, verified), unpacks it into a hidden folder beside its place,
 * checks it with the loader, then renames it into place: a sequence folder under the root is whole
 * or absent. A zip that does not unpack (wrong bytes on the first download, when no checksum is
 * known yet) is deleted and fetched again. Its sha256 is recorded once the sequence checked out; the
 * zip itself is removed.
 */
async function fetchSequence(req: DownloadRequest, m: Manifest, seq: string, mirror: string): Promise<number> {
  const name = `${seq}.zip`;
  const url = `${mirror.replace(/\/$/, '')}/${encodeURIComponent(seq)}.zip`;
  const store = join(req.root, '.downloads');
  await mkdir(store, { recursive: true });
  const known = m.files[name];
  const expect: Checksum | undefined = known ? { algorithm: 'sha256', hex: known.sha256, source: 'recorded' } : undefined;
  const staging = join(req.root, `.unpack-${seq}-${process.pid}`);
  for (let n = 0; ; n++) {
    const got = await fetchVerified(url, join(store, name), {
      retries: req.retries,
      idleMs: req.idleMs,
      ...(expect ? { expect } : {}),
      progress: progressLine(req, seq),
    });
    await rm(staging, { recursive: true, force: true });
    try {
      await unzip(got.path, staging);
    } catch (e) {
      await rm(got.path, { force: true });
      await rm(staging, { recursive: true, force: true });
      const why = `${url}: not a readable zip (${(e as Error).message})`;
      if (n >= req.retries) throw new UserError(`${why}; removed, run again to fetch it anew`);
      req.log(`  ${why}: fetching it again`);
      continue;
    }
    let frames: number;
    try {
      frames = await checkOtbSequence(req.dataset, staging, seq);
      await rename(join(staging, seq), join(req.root, seq));
    } catch (e) {
      // A zip whose contents fail the check is not kept for the next run to trust.
      await rm(got.path, { force: true });
      throw e;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    m.files[name] = { url, sha256: got.sha256, bytes: got.bytes };
    await rm(got.path, { force: true });
    return frames;
  }
}

function progressLine(req: DownloadRequest, seq: string): (bytes: number, total: number | undefined) => void {
  let shown = 0;
  return (bytes, total) => {
    if (bytes - shown < 8 << 20) return;
    shown = bytes;
    req.log(`  ${seq}: ${(bytes / 2 ** 20).toFixed(0)}${total ? ` of ${(total / 2 ** 20).toFixed(0)}` : ''} MiB`);
  };
}

/**
 * `siambench download`: every sequence of an OTB set not yet in `root`, each fetched, verified,
 * unpacked and checked as fetchSequence says. Sequences already checked ready are skipped, so a run
 * that stopped anywhere resumes where it was.
 */
export async function downloadDataset(req: DownloadRequest): Promise<{ fetched: string[]; skipped: string[] }> {
  const sequences = otbSequences(req.dataset, req.sequences);
  await mkdir(req.root, { recursive: true });
  const m = readManifest(req.root, req.dataset);
  const fetched: string[] = [];
  const skipped: string[] = [];
  for (const [i, seq] of sequences.entries()) {
    if (m.ready.includes(seq) && existsSync(join(req.root, seq))) {
      skipped.push(seq);
      continue;
    }
    if (existsSync(join(req.root, seq)))
      throw new UserError(`${join(req.root, seq)}: already there but not downloaded by siambench; move it away`);
    const frames = await fetchSequence(req, m, seq, req.mirror ?? OTB_MIRROR);
    m.ready.push(seq);
    await writeFileAtomic(join(req.root, MANIFEST), `${JSON.stringify(m, null, 1)}\n`);
    fetched.push(seq);
    req.log(`[${i + 1}/${sequences.length}] ${seq}: ${frames} frames, checked`);
  }
  return { fetched, skipped };
}

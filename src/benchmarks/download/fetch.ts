import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { UserError } from '../../core/errors.ts';

/** A checksum a file must have: published by the dataset (VOT's description) or recorded at its first download. */
export interface Checksum {
  algorithm: 'md5' | 'sha1' | 'sha256';
  hex: string;
  source: 'published' | 'recorded';
}

export interface FetchOptions {
  /** Attempts per file after a cut connection, a stall or a checksum mismatch (resumed where possible). */
  retries: number;
  /** A connection that sends nothing for this long is dropped and the file resumed. */
  idleMs: number;
  expect?: Checksum;
  /** Bytes so far, for the progress line. */
  progress?: (bytes: number, total: number | undefined) => void;
}

export interface Fetched {
  path: string;
  bytes: number;
  sha256: string;
  attempts: number;
}

/** Why one attempt failed: `fatal` ends the download (a 404), anything else is retried. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly fatal = false,
  ) {
    super(message);
  }
}

async function hashFile(path: string, algorithm: string): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * One HTTP attempt: appends to `part` from its current size with a Range request; a server that
 * ignores the range (200) restarts the file. Resolves when the body ended with every byte announced.
 */
function attempt(url: string, part: string, opts: FetchOptions): Promise<void> {
  const have = existsSync(part) ? statSync(part).size : 0;
  const get = url.startsWith('https:') ? https.get : http.get;
  return new Promise<void>((resolve, reject) => {
    const req = get(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {} }, (res) => {
      const status = res.statusCode ?? 0;
      if (status === 416 && have > 0) {
        res.resume();
        // The part is as long as the file or longer: start again rather than trust it.
        rm(part, { force: true }).then(() => reject(new AttemptError(`${url}: range not satisfiable; starting again`)), reject);
        return;
      }
      if (status === 404 || status === 410 || status === 403) {
        res.resume();
        reject(new AttemptError(`${url}: HTTP ${status}${status === 404 ? ' (not found: a dead link, or a wrong --mirror)' : ''}`, true));
        return;
      }
      if (status !== 200 && status !== 206) {
        res.resume();
        reject(new AttemptError(`${url}: HTTP ${status}`));
        return;
      }
      const append = status === 206;
      const length = Number(res.headers['content-length']);
      const expected = Number.isFinite(length) ? length : undefined;
      const total = expected === undefined ? undefined : expected + (append ? have : 0);
      let received = 0;
      const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        opts.progress?.((append ? have : 0) + received, total);
      });
      res.on('aborted', () => out.destroy(new AttemptError(`${url}: connection cut after ${received} bytes`)));
      res.on('error', (e) => out.destroy(new AttemptError(`${url}: ${e.message}`)));
      res.pipe(out);
      out.on('error', (e) => reject(e instanceof AttemptError ? e : new AttemptError(`${part}: ${e.message}`, true)));
      out.on('finish', () => {
        if (expected !== undefined && received !== expected) reject(new AttemptError(`${url}: ${received} of ${expected} bytes received`));
        else resolve();
      });
    });
    req.setTimeout(opts.idleMs, () => req.destroy(new AttemptError(`${url}: no data for ${opts.idleMs / 1000} s`)));
    req.on('error', (e) => reject(e instanceof AttemptError ? e : new AttemptError(`${url}: ${e.message}`)));
  });
}

/**
 * Downloads `url` to `dest` through `dest.part`: a cut or stalled connection is resumed with HTTP
 * Range, a file whose checksum is not the expected one is deleted and fetched again from the start,
 * and `dest` appears (renamed) only once it is whole and verified. Fails with one line naming the URL.
 */
export async function fetchVerified(url: string, dest: string, opts: FetchOptions): Promise<Fetched> {
  const part = `${dest}.part`;
  let last = '';
  for (let n = 1; n <= opts.retries + 1; n++) {
    try {
      await attempt(url, part, opts);
    } catch (e) {
      if (!(e instanceof AttemptError)) throw e;
      if (e.fatal) throw new UserError(e.message);
      last = e.message;
      continue;
    }
    if (opts.expect) {
      const got = await hashFile(part, opts.expect.algorithm);
      if (got !== opts.expect.hex.toLowerCase()) {
        await rm(part, { force: true });
        last = `${url}: ${opts.expect.algorithm} ${got}, the ${opts.expect.source} checksum is ${opts.expect.hex}`;
        continue;
      }
    }
    const sha256 = await hashFile(part, 'sha256');
    await rename(part, dest);
    return { path: dest, bytes: statSync(dest).size, sha256, attempts: n };
  }
  throw new UserError(`${last} (gave up after ${opts.retries + 1} attempts; run again to resume)`);
}

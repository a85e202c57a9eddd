import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';

/**
 * Unpacks a zip into `dir`, checking every entry's CRC-32 and size: a stored (uncompressed) entry with
 * wrong bytes would otherwise unpack silently. yauzl refuses absolute and `..` names. Any defect
 * rejects, naming the entry; the caller removes the half-written folder.
 */
export function unzip(file: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('cannot open'));
      const fail = (e: Error) => (zip.close(), reject(e));
      zip.on('error', fail);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const path = join(dir, entry.fileName);
        if (entry.fileName.endsWith('/')) {
          mkdir(path, { recursive: true }).then(() => zip.readEntry(), fail);
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(e ?? new Error(`${entry.fileName}: cannot read`));
          let crc = 0;
          const check = new Transform({
            transform(chunk: Buffer, _enc, done) {
              crc = crc32(chunk, crc);
              done(null, chunk);
            },
            flush(done) {
              done(crc >>> 0 === entry.crc32 ? null : new Error(`${entry.fileName}: CRC-32 mismatch`));
            },
          });
          mkdir(dirname(path), { recursive: true })
            .then(() => pipeline(stream, check, createWriteStream(path)))
            .then(() => zip.readEntry(), fail);
        });
      });
      zip.readEntry();
    });
  });
}

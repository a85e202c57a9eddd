/**
 * Parsers that misbehave, for test/fuzz-watchdog.test.ts, run as its own process. FUZZ_SPIN picks
 * one: `spin` loops forever (a synchronous hang that burns CPU), `block` waits forever in a blocking
 * call (a synchronous hang that spends no CPU, like a read of a FIFO), `slow` waits 2.5 s without CPU
 * and answers (a case on a machine so starved that its thread got no core: no hang).
 */
import fc from 'fast-check';
import { check, fuzz } from './fuzz.ts';

const mode = process.env.FUZZ_SPIN ?? 'spin';
const wait = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

await fuzz(fc.nat(), async () =>
  check(mode, ['x.txt'], () => {
    if (mode === 'block') wait(Infinity);
    if (mode === 'slow') {
      wait(2500);
      return { numbers: [1], warnings: [] };
    }
    for (;;);
  }),
);
console.log('fuzz-spin: done');

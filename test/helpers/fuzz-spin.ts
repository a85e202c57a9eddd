/** A parser that never returns, for test/fuzz-watchdog.test.ts: run as its own process. */
import fc from 'fast-check';
import { check, fuzz } from './fuzz.ts';

await fuzz(fc.nat(), async () =>
  check('spin', ['x.txt'], () => {
    for (;;);
  }),
);

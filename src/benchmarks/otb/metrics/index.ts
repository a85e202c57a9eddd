/** OTB-style metrics: pure functions over box arrays, and the rule sets that combine them. */
export * from './thresholds.ts';
export * from './overlap.ts';
export * from './center.ts';
export * from './curves.ts';
export * from './aggregate.ts';
export * from './speed.ts';
export * from './conventions.ts';

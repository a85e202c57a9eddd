export * from './types.ts';
export { parseVotResult, parseVotTimes } from './parse.ts';
export { importVotResults, MAX_REPETITIONS } from './import.ts';
export { formatVotLine, formatVotResult, formatVotTimes, votResultPath, votTimePath, writeVotRun } from './write.ts';

import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { type ComputeRequest, checkComputeRequest } from '../compute/engine.ts';
import { UserError } from '../core/errors.ts';

// Kept light in parse.ts so that eval and --help start without loading the engines.
export { COMMON_HELP, SEQUENCES_HELP, parseCommand, reportInto, setInvokedAs } from './parse.ts';

export function positiveInt(option: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1) throw new UserError(`${option}: expected a whole number >= 1, got '${raw}'`);
    return v;
  };
}

/**
 * --concurrency, defaulting to the machine's cores; the help says "CPU cores" rather than the number
 * so that it reads the same on every machine (docs/commands.md is generated from it).
 */
export function concurrencyOption(description: string): Option {
  return new Option('--concurrency <n>', description).argParser(positiveInt('--concurrency')).default(availableParallelism(), 'CPU cores');
}

/**
 * The engine options every command that runs a network takes (see compute/engine.ts); their values
 * are checked together by computeRequest before any work starts.
 */
export function addComputeOptions(program: Command): Command {
  return program
    .option('--engine <name>', 'ort | tfjs (default: ort when onnxruntime-node loads, else tfjs)')
    .option('--device <name>', 'ORT execution provider: cpu | cuda (cuda needs the CUDA 12 provider, see docs/trackers.md)')
    .option('--threads <n>', 'ORT intra-op threads per worker (default: CPU cores / workers)', positiveInt('--threads'))
    .option('--backend <name>', 'TensorFlow.js backend: node-gpu | node | wasm | cpu (implies --engine tfjs)');
}

export function computeRequest(o: { engine?: string; device?: string; threads?: number; backend?: string }): ComputeRequest {
  return checkComputeRequest({ engine: o.engine, device: o.device, threads: o.threads, backend: o.backend });
}

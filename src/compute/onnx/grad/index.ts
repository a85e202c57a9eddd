/** Gradient rules, one module per operator family; see tape.ts for how they compose. */
export { Tape, type Shape, size } from './tape.ts';
export { add, sub, mul, scale, shift, neg, reshape, transpose, matmulConst, unbroadcast } from './arith.ts';
export { relu, sigmoid, softplus } from './activation.ts';
export { reduceMean, reduceVariance, reduceMax, reduceMin, reduceLogSumExp } from './reduce.ts';
export { conv, biasAdd, convOutput } from './conv.ts';
export { maxPool } from './pool.ts';
export { batchNormTrain } from './batchnorm.ts';
export { xcorrPairs } from './xcorr.ts';

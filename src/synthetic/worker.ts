import { serve } from '../workers/serve.ts';
import { renderSequence, type SequenceJob, type SequenceResult } from './sequence.ts';

/** Renders the sequences the pool sends, one at a time, reporting every frame. */
void serve<SequenceJob, SequenceResult>(() => ({
  run: (job, progress) => renderSequence(job, () => progress()),
}));

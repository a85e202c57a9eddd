/**
 * Ctrl-C during a run's jobs. Node's default ends the process at once, tearing down worker threads
 * in the middle of native engine calls: ONNX Runtime then aborted with "terminate called after
 * throwing an instance of 'Napi::Error'", which looks like a crash. Instead the first Ctrl-C sets a
 * flag in shared memory that every worker reads between frames: each running job ends at its next
 * frame and disposes of its tracker's engine, no further job starts, and the run ends with
 * Interrupted (one line, exit 130). A second Ctrl-C ends the process at once, with the same line.
 */
export class CtrlC {
  /** 1 once Ctrl-C was pressed: the workers' view (BenchWorkerData.stop). */
  readonly stop = new Int32Array(new SharedArrayBuffer(4));
  private onStop: () => void = () => {};
  private readonly handler = () => {
    if (this.pressed) {
      process.stderr.write('interrupted: rerun the same command to resume\n');
      process.exit(130);
    }
    Atomics.store(this.stop, 0, 1);
    this.onStop();
  };

  get pressed(): boolean {
    return Atomics.load(this.stop, 0) === 1;
  }

  /** Starts listening; `onStop` runs once, at the first Ctrl-C. */
  listen(onStop: () => void): void {
    this.onStop = onStop;
    process.on('SIGINT', this.handler);
  }

  end(): void {
    process.off('SIGINT', this.handler);
  }
}

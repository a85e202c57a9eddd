import { BroadcastChannel, isMainThread } from 'node:worker_threads';

/**
 * Every tracker process group alive in this Node process, whichever thread started it. A worker
 * thread that the pool terminates runs no more code, and Ctrl-C ends the process without 'exit'
 * handlers of workers, so the main thread keeps the list (workers post to it) and ends the groups
 * itself when it exits or is interrupted: no tracker outlives a finished, failed or stopped run.
 */
const CHANNEL = 'siambench-trax-children';
type Note = { pid: number; alive: boolean };

const live = new Set<number>();
let channel: BroadcastChannel | undefined;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function killAll(): void {
  for (const pid of live) killGroup(pid);
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // Then die of the same signal, as the process would have without this handler.
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}

/** In the main thread: listen to the workers and end every group still alive on exit, SIGINT or SIGTERM. */
export function guardChildren(): void {
  if (!isMainThread || channel) return;
  channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (e) => {
    const n = (e as { data: Note }).data;
    if (n.alive) live.add(n.pid);
    else live.delete(n.pid);
  };
  channel.unref();
  process.on('exit', killAll);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

let post: BroadcastChannel | undefined;

/** A tracker process group started (alive) or fully ended. */
export function noteChild(pid: number, alive: boolean): void {
  if (isMainThread) {
    if (alive) live.add(pid);
    else live.delete(pid);
    if (!channel) guardChildren();
    return;
  }
  post ??= new BroadcastChannel(CHANNEL);
  post.unref();
  post.postMessage({ pid, alive } satisfies Note);
}

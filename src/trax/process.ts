import { type ChildProcess, spawn } from 'node:child_process';
import { type Server, type Socket, createServer } from 'node:net';
import { noteChild } from './children.ts';
import type { OutputLog } from './output-log.ts';
import { StderrFile } from './stderr-file.ts';

/** How to start one tracker process (already expanded from its definition). */
export interface LaunchSpec {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  /** TCP on the loopback (TRAX_SOCKET) instead of stdio. */
  socket: boolean;
  /** Cap of the kept output log, in characters. */
  logCap: number;
}

/** Milliseconds between quit and SIGTERM, and between SIGTERM and SIGKILL. */
export const GRACE_MS = 1000;

/**
 * One running tracker: its own process group (so that its children end with it), the protocol
 * stream (stdio or a loopback TCP connection), and its output log. `onText` gets protocol text as
 * it arrives; non-protocol output goes to `log`.
 */
export class TrackerProcess {
  readonly log: OutputLog;
  exit: { code: number | null; signal: string | null } | null = null;
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;
  private server: Server | undefined;
  private conn: Socket | undefined;
  private spawnError: Error | undefined;
  /** The signal siambench had to send to end the process, if quit was not enough. */
  forcedWith: NodeJS.Signals | null = null;

  private readonly stderr: StderrFile;

  private constructor(spec: LaunchSpec, env: Record<string, string>, log: OutputLog, onText: (s: string) => void, onEnd: () => void) {
    this.log = log;
    this.stderr = new StderrFile(log);
    this.child = spawn(spec.command[0], spec.command.slice(1), {
      cwd: spec.cwd,
      env,
      stdio: ['pipe', 'pipe', this.stderr.fd],
      detached: true,
    });
    this.exited = new Promise((done) => {
      this.child.on('error', (err) => {
        this.spawnError = err;
        this.exit ??= { code: null, signal: null };
        done();
      });
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        done();
      });
    });
    if (this.child.pid !== undefined) noteChild(this.child.pid, true);
    this.child.stdin!.on('error', () => {}); // EPIPE after the tracker died: its exit says why
    this.child.stdout!.setEncoding('utf8');
    if (spec.socket) this.child.stdout!.on('data', (s: string) => this.log.append('stdout', s));
    else {
      this.child.stdout!.on('data', onText);
      this.child.stdout!.on('end', onEnd);
    }
  }

  /** Starts the process; in socket mode waits (at most `deadlineMs`) for it to connect. */
  static async start(
    spec: LaunchSpec,
    log: OutputLog,
    onText: (s: string) => void,
    onEnd: () => void,
    deadlineMs: number,
  ): Promise<TrackerProcess> {
    if (!spec.socket) return new TrackerProcess(spec, { ...spec.env }, log, onText, onEnd);
    const server = createServer();
    await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    const p = new TrackerProcess(spec, { ...spec.env, TRAX_SOCKET: String(port) }, log, onText, onEnd);
    p.server = server;
    const conn = await Promise.race([
      new Promise<Socket>((ok) => server.once('connection', ok)),
      p.exited.then(() => null),
      new Promise<null>((ok) => setTimeout(() => ok(null), deadlineMs)),
    ]);
    server.close();
    if (!conn) return p; // the caller's handshake wait reports why (exit or deadline)
    p.conn = conn;
    conn.setNoDelay(true);
    conn.setEncoding('utf8');
    conn.on('data', onText);
    conn.on('end', onEnd);
    conn.on('error', () => {});
    return p;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get connected(): boolean {
    return this.server === undefined || this.conn !== undefined;
  }

  /** Why the process could not be started, if it could not (no such program, not executable). */
  get startError(): string | undefined {
    const e = this.spawnError as NodeJS.ErrnoException | undefined;
    if (!e) return undefined;
    return e.code === 'ENOENT' ? `'${this.child.spawnfile}' was not found (no such file or not on PATH)` : e.message;
  }

  write(text: string): void {
    const out = this.conn ?? this.child.stdin!;
    if (!out.destroyed && out.writable) out.write(text);
  }

  /** Reads what the tracker wrote on stderr so far into the log. */
  drainStderr(): void {
    this.stderr.drain();
  }

  /** How it ended, in words: 'exited with code 3', 'was killed by SIGSEGV'. */
  describeExit(): string {
    if (!this.exit) return 'is still running';
    if (this.startError) return `could not start: ${this.startError}`;
    if (this.forcedWith) return `did not end on quit within ${GRACE_MS / 1000} s and was ended by siambench with ${this.forcedWith}`;
    return this.exit.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit.code}`;
  }

  private signalGroup(signal: NodeJS.Signals): boolean {
    try {
      process.kill(-this.child.pid!, signal);
      return true;
    } catch {
      return false; // no such group any more
    }
  }

  private async waitExit(ms: number): Promise<boolean> {
    if (this.exit) return true;
    await Promise.race([this.exited, new Promise((ok) => setTimeout(ok, ms))]);
    return this.exit !== null;
  }

  /**
   * Ends the process and everything it started: quit (when `quitLine` is given), a grace period,
   * SIGTERM, another, then SIGKILL, each to the whole process group.
   */
  async stop(quitLine: string | null): Promise<void> {
    if (this.child.pid === undefined) return this.stderr.close();
    if (quitLine && !this.exit) this.write(quitLine);
    this.child.stdin!.end();
    if (!(await this.waitExit(quitLine ? GRACE_MS : 0))) {
      this.forcedWith = 'SIGTERM';
      this.signalGroup('SIGTERM');
      if (!(await this.waitExit(GRACE_MS))) {
        this.forcedWith = 'SIGKILL';
        this.signalGroup('SIGKILL');
      }
      await this.waitExit(GRACE_MS);
    }
    // The leader is gone; children it left behind go with its group.
    if (this.signalGroup('SIGTERM')) {
      await new Promise((ok) => setTimeout(ok, 100));
      this.signalGroup('SIGKILL');
    }
    this.conn?.destroy();
    this.server?.close();
    this.stderr.close();
    noteChild(this.child.pid, false);
  }
}

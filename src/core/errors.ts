/**
 * A failure the user can fix (bad file, bad option). The CLI prints its message as one line and exits
 * non-zero; anything else is a bug and keeps its stack trace.
 */
export class UserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserError';
  }
}

/**
 * The user pressed Ctrl-C during a run: the work finished so far is on disk and a rerun of the same
 * command resumes. The CLI prints the message as one line and exits 130 (the shell's code for SIGINT).
 */
export class Interrupted extends Error {
  constructor() {
    super('interrupted: rerun the same command to resume');
    this.name = 'Interrupted';
  }
}

/** `file:line: message`, the form every parser uses so that editors can jump to the spot. */
export function atLine(file: string, line: number, message: string): UserError {
  return new UserError(`${file}:${line}: ${message}`);
}

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

/** `file:line: message`, the form every parser uses so that editors can jump to the spot. */
export function atLine(file: string, line: number, message: string): UserError {
  return new UserError(`${file}:${line}: ${message}`);
}

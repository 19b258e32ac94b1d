/**
 * The one error type users see. The message names what went wrong, where (file, field, line)
 * and what to do about it; the CLI prints it on one line and exits non-zero.
 */
export class NtlError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'NtlError';
    this.exitCode = exitCode;
  }
}

export function isNtlError(e: unknown): e is NtlError {
  return e instanceof NtlError;
}

/**
 * An error the user can fix (bad config, missing file...). The CLI prints its message without a
 * stack trace and exits with `exitCode`.
 */
export class DiffstructError extends Error {
  override readonly name: string = 'DiffstructError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/**
 * A mistake of the person running Agora (a folder that may not be replaced, a busy port…), not
 * of the content and not a bug: the CLI prints its one-line French message and exits 1.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

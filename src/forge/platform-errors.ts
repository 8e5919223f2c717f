import { NeedsAuthenticationError } from '@forge/api';

/**
 * `requestJira` as the user throws `NeedsAuthenticationError` when the user has not yet allowed
 * the app to act for them. Forge turns it into the "allow access" prompt only if it reaches the
 * platform unwrapped and uncaught, so every handler's catch rethrows it first.
 */
export const isForgeAuthError = (error: unknown): error is NeedsAuthenticationError =>
  error instanceof NeedsAuthenticationError;

/** The `NeedsAuthenticationError` in `error` or its `cause` chain, if any (wrapping loses the prompt). */
export const forgeAuthErrorIn = (error: unknown): NeedsAuthenticationError | undefined => {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    if (isForgeAuthError(current)) return current;
    seen.add(current);
    current = current.cause;
  }
  return undefined;
};

/** First line of every handler catch: let Forge's "allow access" prompt through, unwrapped. */
export const rethrowForgeAuthError = (error: unknown): void => {
  const auth = forgeAuthErrorIn(error);
  if (auth !== undefined) throw auth;
};

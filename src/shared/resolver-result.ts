export type ResolverError = { code: string; message: string };

export type ResolverResult<T> = { ok: true; data: T } | { ok: false; error: ResolverError };

export const notAvailable = (message: string): ResolverResult<never> => ({
  ok: false,
  error: { code: 'NOT_AVAILABLE', message },
});

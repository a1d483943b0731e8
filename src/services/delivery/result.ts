// The outcome of one try at handing something to a receiver.
export type SendResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

export const OK: SendResult = { ok: true };

export function failed(error: string): SendResult {
  return { ok: false, error };
}

/** One line from whatever was thrown, with the cause a network error hides inside it. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return e.message;
}

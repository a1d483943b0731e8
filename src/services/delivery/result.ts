// The outcome of one try at handing something to a receiver.
import type { FailureClass } from '../../net/guarded-http.js';

/**
 * A failed try, as a class that says nothing about what the receiver answered: the guard
 * refused the target, no connection, no answer in time, TLS failed, a non-2xx status, the
 * channel's stored configuration is unusable, no SMTP server is configured, the SMTP server
 * refused. API callers get only this (and the status); `error` is for the operator.
 */
export type SendFailure = FailureClass | 'http_error' | 'config' | 'not_configured' | 'smtp_error';

export type SendResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: string; readonly failure: SendFailure; readonly status?: number };

export const OK: SendResult = { ok: true };

export function failed(error: string, failure: SendFailure, status?: number): SendResult {
  return status === undefined ? { ok: false, error, failure } : { ok: false, error, failure, status };
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

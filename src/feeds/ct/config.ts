// Checks of what an operator configures for a CT source: mistakes are refused when the source is
// made (a plain Error naming the setting), not retried as feed failures.

/** The log's URL with a trailing slash, so `ct/v1/…`, `checkpoint` and `tile/…` resolve under it. */
export function logBaseUrl(scheme: 'ct' | 'ct-tiles', url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${scheme}:${url}: not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${scheme}:${url}: only http and https logs can be followed`);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  u.search = '';
  u.hash = '';
  return u.href;
}

export function positiveInteger(v: number | undefined, fallback: number, what: string): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${what} must be a whole number from 1, not ${v}`);
  return v;
}

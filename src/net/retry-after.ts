// Retry-After (RFC 9110 §10.2.3), read once for every outbound client that honours it (live
// look-ups' RDAP, CT logs, domain lists): delay-seconds or an HTTP-date.

/** The wait a Retry-After header asks for, in ms; undefined when it is absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, nowMs: number): number | undefined {
  const v = (Array.isArray(header) ? header[0] : header)?.trim();
  if (v === undefined || v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

// Value-level rules shared by the WHOIS parser and its fidelity measure: what counts as a
// redaction placeholder, what is an email address, what is a name-server host name.
import { normaliseDomain } from '../../../fields/domain.js';

/**
 * Texts that stand where a registry withholds a value (GDPR redaction, web-form pointers, "n/a").
 * They are not data: a signature on `whois.registrant.name` must not match every redacted record.
 */
const PLACEHOLDERS: readonly RegExp[] = [
  /redacted/i,
  /not disclosed/i,
  /not shown/i,
  /non-public data/i,
  /data protected/i,
  /\bgdpr\b/i,
  /statutory masking/i,
  /withheld/i,
  /please query the (?:rdds|whois)/i,
  /query the rdds service/i,
  /contact the registrar/i,
  /contact domain holder link/i,
  /webbased whois|web-based whois/i,
  /details are available at/i,
  /^hidden\b/i,
  /^private$/i,
  /^(?:not available|not applicable|unknown|none|null|n\/?a|-+|\.+|\*+\s*n\/a\s*\*+)$/i,
  /^\*+$/,
  /^<.*>$/,
];

/** True when `value` is redaction text ("REDACTED FOR PRIVACY", "Not Disclosed", "n/a"), not data. */
export function isRedaction(value: string): boolean {
  const text = value.trim();
  return text === '' || PLACEHOLDERS.some((re) => re.test(text));
}

/**
 * True when a contact value is a placeholder: redaction text, or a bare URL standing for a
 * contact form (`https://whois.nic.la/contact/git.la/admin`). Registrar names are checked with
 * isRedaction only, since some registrars are called by their web address (`www.NameSRS.com`).
 */
export function isPlaceholder(value: string): boolean {
  const text = value.trim();
  return isRedaction(text) || /^(?:https?:\/\/|www\.)\S+$/i.test(text);
}

// Bounded repetitions keep the scan linear on hostile input (a long run of letters with no `@`).
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g;

const EMAIL_AT = new RegExp(EMAIL.source, 'y');
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;

/**
 * Every email address in `text`, in order: what `text.match(EMAIL)` returns, found faster. The
 * regex alone tries every position of a whole reply; here only the places around an `@` are
 * tried. A match's local part runs up to its `@`, so the only start worth trying for an `@` is
 * the earliest one the `{1,64}` bound allows; if that fails, the domain part fails for every
 * start.
 */
export function emailsIn(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let at = text.indexOf('@', from); at >= 0; at = text.indexOf('@', from)) {
    let start = at;
    while (start > from && at - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    if (start === at) {
      from = at + 1;
      continue;
    }
    EMAIL_AT.lastIndex = start;
    const m = EMAIL_AT.exec(text);
    if (m) {
      out.push(m[0]);
      from = start + m[0].length;
    } else {
      from = at + 1;
    }
  }
  return out;
}

/** The plain regex scan emailsIn must agree with (for tests). */
export function emailsInByRegex(text: string): string[] {
  return text.match(EMAIL) ?? [];
}

/** De-duplicates case-insensitively, keeping the first spelling seen. */
export function uniqueFolded(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const folded = v.toLowerCase();
    if (seen.has(folded)) continue;
    seen.add(folded);
    out.push(v);
  }
  return out;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The host names on a name-server line: `ns1.example.com`, `NS1.EXAMPLE.COM. 192.0.2.1, 2001:db8::1`,
 * `ns1.example.com [OK]`, `ns1.example.com - 192.0.2.1`. IPs and status notes are dropped.
 */
export function nameServerHosts(line: string): string[] {
  const out: string[] = [];
  for (const raw of line.split(/[\s,;]+/)) {
    const token = raw.replace(/^[([]+|[)\]]+$/g, '');
    if (token === '' || token.includes(':') || IPV4.test(token) || !token.includes('.')) continue;
    const host = normaliseDomain(token);
    // A host name's last label is never all digits; that rules out IP fragments and version numbers.
    if (host === undefined || /\.\d+$/.test(host)) continue;
    out.push(host);
  }
  return out;
}

/** The host of a WHOIS server value, which some registries give as a URL (`https://dns.pl/en/whois`). */
export function whoisServerHost(value: string): string | undefined {
  const text = value.trim();
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:\s]+)/i.exec(text);
  const host = url ? url[1]! : text.split(/\s+/)[0] ?? '';
  if (!host.includes('.')) return undefined;
  return normaliseDomain(host);
}

const HANDLE = /^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;

/**
 * Whether a value looks like a registry contact handle (`FMR13403268-NICAT`, `mmr-170347`,
 * `MS57072JP`) rather than a name: one word with letters and at least two digits.
 */
export function looksLikeHandle(value: string): boolean {
  const text = value.trim();
  return text.length <= 40 && HANDLE.test(text) && /[A-Za-z]/.test(text) && /\d.*\d/.test(text);
}

// PassiveTotal v2 shapes (../shared/spec/passivetotal-v2.md) from what Warren stores: the WHOIS
// record, the certificate, and PassiveTotal's time formats. Pure functions; docs/PASSIVETOTAL.md
// lists every choice made where the spec is silent.
import { WHOIS_CONTACTS, type DnAttribute, type WhoisContact } from '../../fields/catalogue.js';
import type { FieldMap } from '../../ingest/records.js';
import type { StoredWhois } from '../../services/passivetotal.js';

// ---------------------------------------------------------------------------------------------
// Times. Stored times are ISO 8601 UTC to the second (`2016-01-01T00:00:00Z`).

function toDate(iso: string): Date | undefined {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** `2016-01-01 00:00:00` (passive DNS, notifications); null when unknown. */
export function ptDateTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$/.exec(iso);
  if (m) return `${m[1]} ${m[2]}`;
  const d = toDate(iso);
  return d ? d.toISOString().slice(0, 19).replace('T', ' ') : null;
}

/** `2016-01-18` (certificate history); null when unknown. */
export function ptDay(iso: string | null | undefined): string | null {
  if (!iso) return null;
  if (/^\d{4}-\d\d-\d\d/.test(iso)) return iso.slice(0, 10);
  const d = toDate(iso);
  return d ? d.toISOString().slice(0, 10) : null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Apr 27 23:59:59 2017 GMT`, as OpenSSL prints validity dates (day padded with a space). */
export function opensslDate(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const d = toDate(iso);
  if (!d) return null;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

/** The ISO time of an OpenSSL-style date (`Apr 27 23:59:59 2017 GMT`) or of an ISO 8601 one. */
export function parseCertificateDate(text: string): string | undefined {
  const t = text.trim();
  const m = /^([A-Za-z]{3})\s+(\d{1,2})\s+(\d\d):(\d\d):(\d\d)\s+(\d{4})(?:\s+(?:GMT|UTC))?$/.exec(t);
  if (m) {
    const month = MONTHS.findIndex((x) => x.toLowerCase() === m[1]!.toLowerCase());
    if (month < 0) return undefined;
    const ms = Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
    const d = new Date(ms);
    if (Number.isNaN(ms) || d.getUTCDate() !== Number(m[2])) return undefined;
    return `${d.toISOString().slice(0, 19)}Z`;
  }
  if (/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?Z?$/.test(t)) {
    const d = toDate(`${t.replace(' ', 'T').replace(/Z?$/, '')}Z`);
    return d ? `${d.toISOString().slice(0, 19)}Z` : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// WHOIS record.

export interface WhoisContactView {
  name?: string;
  organization?: string;
  email?: string;
  telephone?: string;
  street?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

export interface WhoisView {
  domain: string;
  registrar: string | null;
  whoisServer: string | null;
  contactEmail: string | null;
  nameServers: string[];
  registered: string | null;
  registryUpdatedAt: string | null;
  expiresAt: string | null;
  lastLoadedAt: string | null;
  rawText: string | null;
  organization: string | null;
  name: string | null;
  telephone: string | null;
  registrant: WhoisContactView;
  admin: WhoisContactView;
  tech: WhoisContactView;
  billing: WhoisContactView;
  zone: Record<string, never>;
}

/** A stored WHOIS version: its fields (whois.raw included when there was raw text). */
// What the store reads for a WHOIS view; defined with its query (store/passivetotal-queries.ts).
export type { StoredWhois };

function first(fields: FieldMap, name: string): string | null {
  return fields[name]?.[0] ?? null;
}

function contact(fields: FieldMap, c: WhoisContact): WhoisContactView {
  const out: WhoisContactView = {};
  const p = `whois.${c}`;
  const set = (key: keyof WhoisContactView, value: string | null | undefined): void => {
    if (value !== null && value !== undefined && value !== '') out[key] = value;
  };
  set('name', first(fields, `${p}.name`));
  set('organization', first(fields, `${p}.organization`));
  set('email', first(fields, `${p}.email`));
  set('telephone', first(fields, `${p}.phone`));
  // Several street lines are joined with '|', as PassiveTotal's recorded responses show.
  set('street', fields[`${p}.street`]?.join('|'));
  set('city', first(fields, `${p}.city`));
  set('state', first(fields, `${p}.state`));
  set('postalCode', first(fields, `${p}.postal_code`));
  set('country', first(fields, `${p}.country`));
  return out;
}

/** The first value of a contact attribute, registrant first, then admin, tech, billing. */
function anyContact(fields: FieldMap, attr: 'name' | 'organization' | 'email' | 'phone', across: string): string | null {
  for (const c of WHOIS_CONTACTS) {
    const v = first(fields, `whois.${c}.${attr}`);
    if (v) return v;
  }
  return first(fields, across);
}

export function presentWhois(w: StoredWhois): WhoisView {
  const f = w.fields;
  return {
    domain: w.domain,
    registrar: first(f, 'whois.registrar'),
    whoisServer: first(f, 'whois.whois_server'),
    contactEmail: anyContact(f, 'email', 'whois.email'),
    nameServers: [...(f['whois.name_servers'] ?? [])],
    registered: first(f, 'whois.created'),
    registryUpdatedAt: first(f, 'whois.updated'),
    expiresAt: first(f, 'whois.expires'),
    lastLoadedAt: w.observed,
    rawText: first(f, 'whois.raw'),
    organization: anyContact(f, 'organization', 'whois.organization'),
    name: anyContact(f, 'name', 'whois.name'),
    telephone: anyContact(f, 'phone', 'whois.phone'),
    registrant: contact(f, 'registrant'),
    admin: contact(f, 'admin'),
    tech: contact(f, 'tech'),
    billing: contact(f, 'billing'),
    zone: {},
  };
}

export const WHOIS_SEARCH_FIELDS = ['domain', 'email', 'name', 'organization', 'address', 'phone', 'nameserver'] as const;
export type WhoisSearchField = (typeof WHOIS_SEARCH_FIELDS)[number];

/** Every value a WHOIS search field is compared with (any contact), lower case. */
export function whoisSearchValues(fields: FieldMap, field: Exclude<WhoisSearchField, 'domain'>): Set<string> {
  const names: string[] = [];
  const perContact = (attrs: string[]): void => {
    for (const c of WHOIS_CONTACTS) for (const a of attrs) names.push(`whois.${c}.${a}`);
  };
  switch (field) {
    case 'email':
      names.push('whois.email');
      perContact(['email']);
      break;
    case 'name':
      names.push('whois.name');
      perContact(['name']);
      break;
    case 'organization':
      names.push('whois.organization');
      perContact(['organization']);
      break;
    case 'phone':
      names.push('whois.phone');
      perContact(['phone']);
      break;
    case 'address':
      names.push('whois.address');
      perContact(['street', 'city', 'state', 'postal_code', 'country']);
      break;
    case 'nameserver':
      names.push('whois.name_servers');
      break;
  }
  const out = new Set<string>();
  for (const n of names) for (const v of fields[n] ?? []) out.add(v.toLowerCase());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Certificates.

/** The DN attribute names of PassiveTotal's certificate shape and the x509.* attribute behind each. */
export const DN_KEYS: readonly (readonly [string, DnAttribute | undefined])[] = [
  ['CommonName', 'common_name'],
  ['OrganizationName', 'organization'],
  ['OrganizationUnitName', 'organizational_unit'],
  ['Country', 'country'],
  ['StateOrProvinceName', 'state_or_province'],
  // Not in Warren's field catalogue: always null.
  ['Province', undefined],
  ['LocalityName', 'locality'],
  ['StreetAddress', undefined],
  ['EmailAddress', 'email_address'],
  ['GivenName', undefined],
  ['Surname', undefined],
  ['SerialNumber', undefined],
];

export const CERTIFICATE_KEYS: readonly string[] = [
  'sha1',
  'fingerprint',
  'serialNumber',
  'sslVersion',
  'issueDate',
  'expirationDate',
  'subjectAlternativeNames',
  ...DN_KEYS.map(([k]) => `subject${k}`),
  ...DN_KEYS.map(([k]) => `issuer${k}`),
];

/** ssl-certificate/search fields: every key of the certificate shape, and `name`. */
export const CERTIFICATE_SEARCH_FIELDS: readonly string[] = [...CERTIFICATE_KEYS, 'name'];

/** The x509.* field behind a subject/issuer key of the shape; undefined for other keys. */
export function dnFieldOf(key: string): { field: string | undefined } | undefined {
  for (const which of ['subject', 'issuer'] as const) {
    if (!key.startsWith(which)) continue;
    const entry = DN_KEYS.find(([k]) => `${which}${k}` === key);
    if (entry) return { field: entry[1] === undefined ? undefined : `x509.${which}.${entry[1]}` };
  }
  return undefined;
}

/** PassiveTotal's certificate shape; `der: false` (a Warren addition) marks a field-only certificate. */
export type CertificateView = Record<string, string | string[] | boolean | null>;

export interface StoredCertificateData {
  /** Null for a field-only certificate whose source gave no SHA-1. */
  readonly sha1: string | null;
  /** Null for a field-only certificate: what PassiveTotal shows comes from its fields alone. */
  readonly der: Uint8Array | null;
  readonly fields: FieldMap;
  /** Read from the DER at ingest (never decoded here): the version field as encoded, the signed decimal serial. */
  readonly version: number | null;
  readonly serial: string | null;
}

/** sha1 as colon-separated lower-case hex pairs. */
export function fingerprintOf(sha1: string): string {
  return (sha1.toLowerCase().match(/../g) ?? []).join(':');
}

export function presentCertificate(c: StoredCertificateData): CertificateView {
  const f = c.fields;
  const hex = f['x509.serial_number']?.[0];
  // The serial read from the DER at ingest knows the sign; the hex field is the fallback.
  const serial = c.serial ?? (hex && /^[0-9A-Fa-f]+$/.test(hex) ? BigInt(`0x${hex}`).toString(10) : null);
  const view: CertificateView = {
    sha1: c.sha1,
    fingerprint: c.sha1 === null ? null : fingerprintOf(c.sha1),
    serialNumber: serial,
    sslVersion: c.version === null ? null : String(c.version),
    issueDate: opensslDate(f['x509.not_before']?.[0]),
    expirationDate: opensslDate(f['x509.not_after']?.[0]),
    subjectAlternativeNames: [...(f['x509.alternative_names'] ?? [])],
  };
  for (const which of ['subject', 'issuer'] as const) {
    for (const [key, attr] of DN_KEYS) view[`${which}${key}`] = attr === undefined ? null : (f[`x509.${which}.${attr}`]?.[0] ?? null);
  }
  if (c.der === null) view.der = false;
  return view;
}

/**
 * Whether a certificate matches an ssl-certificate/search: exact and case-insensitive on the
 * shape's value (any value of a many-valued attribute), or for `name` a substring of a subject
 * CN or of any SAN. `query` is already normalised for the field (see the route).
 */
export function certificateMatches(c: StoredCertificateData, view: CertificateView, field: string, query: string): boolean {
  const q = query.toLowerCase();
  const f = c.fields;
  if (field === 'name') {
    return [...(f['x509.subject.common_name'] ?? []), ...(f['x509.alternative_names'] ?? [])].some((v) => v.toLowerCase().includes(q));
  }
  if (field === 'subjectAlternativeNames') return (f['x509.alternative_names'] ?? []).some((v) => v.toLowerCase() === q);
  const dn = dnFieldOf(field);
  if (dn) return dn.field !== undefined && (f[dn.field] ?? []).some((v) => v.toLowerCase() === q);
  const v = view[field];
  return typeof v === 'string' && v.toLowerCase() === q;
}

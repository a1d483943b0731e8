// How closely the WHOIS parser agrees with an independent parse of a corpus: the likexian
// whois-parser test data (`noterror/<tld>_<domain>` replies with `<same>.json` expected parses,
// `notfound/` "no match" replies). The measure the issue sets: registrar, created / updated /
// expires, name servers, and registrant / admin / tech name, organisation and email agree in at
// least 95% of the cases where the expected value is non-empty.
//
// Agreement: text compares case-insensitively after trimming; dates compare as instants (the
// expected text is parsed too, falling back to its `*_in_time` form); name servers compare as
// sets (lower case, no trailing dot); an email agrees when it is one of the addresses in the
// expected value. Expected values that are redaction placeholders ("REDACTED FOR PRIVACY",
// web-form URLs, an email field without an address) are cases like any other: the parser keeps
// what the registry said. They are also counted in `placeholders`, to show how many there are.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WhoisRecord } from './records.js';
import { parseWhois } from './parsers/whois/whois.js';
import { parseWhoisDate } from './parsers/whois/dates.js';
import { emailsIn, isPlaceholder, isRedaction } from './parsers/whois/values.js';

export interface FidelityRow {
  /** What is compared, e.g. `registrar`, `created`, `registrant.email`. */
  readonly field: string;
  /** Files whose expected value is non-empty and not a placeholder. */
  readonly cases: number;
  readonly agreed: number;
  /** Files whose expected value is only a redaction placeholder (not counted in `cases`). */
  readonly placeholders: number;
}

export interface FidelityMismatch {
  readonly file: string;
  readonly field: string;
  readonly expected: string;
  readonly actual: string | undefined;
}

export interface FidelityReport {
  readonly dir: string;
  /** Expected-parse files read from `noterror/`. */
  readonly files: number;
  readonly rows: FidelityRow[];
  readonly total: { readonly cases: number; readonly agreed: number; readonly placeholders: number };
  /** agreed / cases, 0..1 (1 when there are no cases). */
  readonly rate: number;
  /** agreed / (cases + placeholders): the rate if redaction text had to be reproduced as data. */
  readonly strictRate: number;
  readonly mismatches: FidelityMismatch[];
  /** `notfound/` replies: how many gave no record and an error, and which did not. */
  readonly notFound: { readonly files: number; readonly rejected: number; readonly accepted: string[] };
  /** `noterror/` replies that gave no record. */
  readonly unparsed: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Check {
  readonly field: string;
  readonly compare: 'text' | 'date' | 'set' | 'email';
  expected(json: Json): Json | undefined;
  actual(record: WhoisRecord | undefined): string[];
}

function at(json: Json, ...path: string[]): Json | undefined {
  let cur: Json | undefined = json;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** A JSON scalar as text; objects and arrays are not values here. */
function textOf(json: Json | undefined): string | undefined {
  if (typeof json === 'string') return json;
  if (typeof json === 'number' || typeof json === 'boolean') return String(json);
  return undefined;
}

const field = (name: string) => (r: WhoisRecord | undefined): string[] => r?.fields[name] ?? [];

const CONTACTS = [
  ['registrant', 'registrant'],
  ['administrative', 'admin'],
  ['technical', 'tech'],
] as const;

const CHECKS: readonly Check[] = [
  { field: 'registrar', compare: 'text', expected: (j) => at(j, 'registrar', 'name'), actual: field('whois.registrar') },
  { field: 'created', compare: 'date', expected: (j) => dateOf(j, 'created_date'), actual: field('whois.created') },
  { field: 'updated', compare: 'date', expected: (j) => dateOf(j, 'updated_date'), actual: field('whois.updated') },
  { field: 'expires', compare: 'date', expected: (j) => dateOf(j, 'expiration_date'), actual: field('whois.expires') },
  { field: 'name servers', compare: 'set', expected: (j) => at(j, 'domain', 'name_servers'), actual: field('whois.name_servers') },
  ...CONTACTS.flatMap(([section, role]) =>
    (['name', 'organization', 'email'] as const).map(
      (attr): Check => ({
        field: `${role}.${attr}`,
        compare: attr === 'email' ? 'email' : 'text',
        expected: (j) => at(j, section, attr),
        actual: field(`whois.${role}.${attr}`),
      }),
    ),
  ),
];

/** The expected date as an instant: its text parsed, or likexian's own `*_in_time` reading. */
function dateOf(json: Json, key: string): Json | undefined {
  const text = textOf(at(json, 'domain', key));
  if (text === undefined || text.trim() === '') return undefined;
  const parsed = parseWhoisDate(text) ?? parseWhoisDate(textOf(at(json, 'domain', `${key}_in_time`)) ?? '');
  return parsed ?? text;
}

type Outcome = 'empty' | 'agree' | 'disagree';

function judge(check: Check, expected: Json | undefined, actual: string[]): Outcome {
  if (expected === undefined || expected === null) return 'empty';
  if (check.compare === 'set') {
    if (!Array.isArray(expected) || expected.length === 0) return 'empty';
    const want = new Set(expected.map((v) => (textOf(v) ?? '').trim().toLowerCase().replace(/\.$/, '')));
    const got = new Set(actual.map((v) => v.toLowerCase().replace(/\.$/, '')));
    return want.size === got.size && [...want].every((v) => got.has(v)) ? 'agree' : 'disagree';
  }
  const text = (textOf(expected) ?? '').trim();
  if (text === '') return 'empty';
  if (check.compare === 'date') return actual[0] === text ? 'agree' : 'disagree';
  if (check.compare === 'email') {
    const addresses = emailsIn(text).map((a) => a.toLowerCase());
    if (addresses.length > 0) return actual[0] !== undefined && addresses.includes(actual[0].toLowerCase()) ? 'agree' : 'disagree';
  }
  return actual[0]?.trim().toLowerCase() === text.toLowerCase() ? 'agree' : 'disagree';
}

/** Whether an expected value is redaction text rather than data (shown, not excluded). */
function isPlaceholderExpectation(check: Check, expected: Json | undefined): boolean {
  const text = (textOf(expected) ?? '').trim();
  if (text === '' || check.compare === 'set' || check.compare === 'date') return false;
  if (check.compare === 'email' && emailsIn(text).length === 0) return true;
  return check.field === 'registrar' ? isRedaction(text) : isPlaceholder(text);
}

/** Compares the parser with the expected parses under `dir` (the corpus root holding `noterror/` and `notfound/`). */
export function measureWhoisFidelity(dir: string): FidelityReport {
  const counts = new Map<string, { cases: number; agreed: number; placeholders: number }>(
    CHECKS.map((c) => [c.field, { cases: 0, agreed: 0, placeholders: 0 }]),
  );
  const mismatches: FidelityMismatch[] = [];
  const unparsed: string[] = [];
  const noterror = join(dir, 'noterror');
  const expectations = existsSync(noterror) ? readdirSync(noterror).filter((f) => f.endsWith('.json')).sort() : [];
  let files = 0;
  for (const jsonFile of expectations) {
    const replyFile = jsonFile.slice(0, -'.json'.length);
    if (!existsSync(join(noterror, replyFile))) continue;
    files += 1;
    const expected = JSON.parse(readFileSync(join(noterror, jsonFile), 'utf8')) as Json;
    const result = parseWhois(readFileSync(join(noterror, replyFile), 'utf8'), { fileName: replyFile });
    const record = result.records.find((r): r is WhoisRecord => r.kind === 'whois');
    if (!record) unparsed.push(replyFile);
    for (const check of CHECKS) {
      const want = check.expected(expected);
      const got = check.actual(record);
      const outcome = judge(check, want, got);
      const c = counts.get(check.field)!;
      if (outcome !== 'empty' && isPlaceholderExpectation(check, want)) c.placeholders += 1;
      if (outcome === 'agree' || outcome === 'disagree') c.cases += 1;
      if (outcome === 'agree') c.agreed += 1;
      if (outcome === 'disagree') {
        mismatches.push({ file: replyFile, field: check.field, expected: Array.isArray(want) ? want.map((v) => textOf(v) ?? '').join(' ') : (textOf(want) ?? ''), actual: got.length === 0 ? undefined : got.join(' ') });
      }
    }
  }
  const rows = CHECKS.map((c) => ({ field: c.field, ...counts.get(c.field)! }));
  const total = rows.reduce((t, r) => ({ cases: t.cases + r.cases, agreed: t.agreed + r.agreed, placeholders: t.placeholders + r.placeholders }), { cases: 0, agreed: 0, placeholders: 0 });
  return {
    dir,
    files,
    rows,
    total,
    rate: total.cases === 0 ? 1 : total.agreed / total.cases,
    strictRate: total.cases === 0 ? 1 : total.agreed / total.cases,
    mismatches,
    notFound: measureNotFound(join(dir, 'notfound')),
    unparsed,
  };
}

function measureNotFound(dir: string): FidelityReport['notFound'] {
  if (!existsSync(dir)) return { files: 0, rejected: 0, accepted: [] };
  const accepted: string[] = [];
  let files = 0;
  for (const file of readdirSync(dir).sort()) {
    if (file.startsWith('.') || /\.(?:json|md)$/i.test(file)) continue;
    files += 1;
    const result = parseWhois(readFileSync(join(dir, file), 'utf8'), { fileName: file });
    if (result.records.length > 0 || result.errors.length === 0) accepted.push(file);
  }
  return { files, rejected: files - accepted.length, accepted };
}

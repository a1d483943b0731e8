// RDAP (RFC 9083) responses → WHOIS records, so that a domain looked up over RDAP is matched with
// the same `whois.*` fields as one looked up over port 43.
//
// What each response gives:
// - domain → one WhoisRecord (a DomainRecord when the object carries no WHOIS data at all, as
//   search results often do: an empty WHOIS record would become the domain's newest one and hide
//   a full one stored earlier);
// - ip network → one NetworkRecord, its registration (live.md "Network fields": name, handle,
//   CIDR blocks, country, registrant organisation, abuse emails, registry, creation date), and
//   one AsRangeRecord per origin AS when the registry states one (ARIN's
//   `arin_originas0_originautnums`; most do not, and that is no error);
// - autnum, entity, nameserver, help → nothing storable on its own, no error;
// - search results → each contained object as above;
// - error response (`errorCode`) → one ParseError with its title and description.
//
// Redacted data stays absent: values named by RFC 9537 `redacted` members are removed before
// anything is read, and placeholder texts ("REDACTED FOR PRIVACY", "[[REDACTED]]") are dropped.
// `whois.raw` is left absent: it is the text of a port-43 reply for what no parser understood,
// and an RDAP response is structured JSON that this parser reads whole.
import { normaliseDomain } from '../../../fields/domain.js';
import { canonicalIp, canonicalNetwork, ipBytes, ipInteger, networkBounds, rangeToCidrs } from '../../../fields/ip.js';
import { fieldDef } from '../../../fields/catalogue.js';
import { normaliseTimestamp, normaliseValue, toWellFormed } from '../../../fields/normalise.js';
import { jsonDocumentItems } from '../../json-documents.js';
import { MAX_NODES, selectPath, type Located } from './jsonpath.js';
import type {
  AsRangeRecord,
  DomainRecord,
  FieldMap,
  Format,
  IngestRecord,
  NetworkRecord,
  ParseError,
  ParseOptions,
  ParseResult,
  WhoisRecord,
} from '../../records.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function asText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// RFC 9537 redactions: each `redacted` member's JSONPath (jsonpath.ts) names what to remove.

/** Each `redacted` member's path, when it names something left in the response. */
function redactionPaths(member: unknown): string[] {
  if (!isObject(member)) return [];
  const pathLang = asText(member.pathLang) ?? 'jsonpath';
  if (pathLang.toLowerCase() !== 'jsonpath') return [];
  const method = asText(member.method) ?? 'removal';
  // prePath names where a removed value was; it is gone, and the same path may now select a
  // neighbour that was kept. postPath names what is left in its place (empty, partial or
  // replaced), and a server that gives only prePath for those means the same place.
  const post = asText(member.postPath);
  if (post !== undefined) return [post];
  const pre = asText(member.prePath);
  return pre !== undefined && method !== 'removal' ? [pre] : [];
}

/**
 * Removes (sets to null, so array positions keep their meaning) every value a `redacted` member
 * of the response names. Paths are evaluated against the whole response, as RFC 9537 says,
 * including those of members inside search results. All paths are evaluated before anything is
 * removed, since later paths may filter on values earlier ones name.
 */
export function applyRedactions(root: unknown): void {
  if (!isObject(root)) return;
  const members = [...asArray(root.redacted)];
  for (const [key, value] of Object.entries(root)) {
    if (!key.endsWith('SearchResults')) continue;
    for (const result of asArray(value)) if (isObject(result)) members.push(...asArray(result.redacted));
  }
  const targets: Located[] = [];
  for (const member of members) {
    for (const path of redactionPaths(member)) {
      if (targets.length > MAX_NODES) continue;
      // A path this reader cannot read (broken, or absurdly long) redacts nothing.
      targets.push(...(selectPath(root, path) ?? []));
    }
  }
  for (const { parent, key } of targets) {
    if (Array.isArray(parent) && typeof key === 'number') parent[key] = null;
    else if (isObject(parent) && typeof key === 'string') parent[key] = null;
  }
}

// ---------------------------------------------------------------------------------------------
// jCard (RFC 7095) contacts.

/**
 * Texts registries put where data was withheld. Matched against the whole value only, so that
 * real names that merely contain such a word ("Withheld for Privacy ehf", a privacy service
 * signatures want to see) are kept.
 */
const PLACEHOLDER = new RegExp(
  '^[\\s\\[\\]()*<>_.:-]*' +
    '(?:(?:e-?mail|data|contact|info(?:rmation)?|name|address|phone|registrant|personal)\\s+)?' +
    '(?:redacted|withheld|not\\s+disclosed|non-?public(?:\\s+data)?|hidden|private|masked|gdpr\\s+masked|' +
    'data\\s+protected|statutory\\s+masking\\s+enabled|redacted\\s+\\|\\s+eu\\s+data\\s+subject)' +
    '(?:\\s+(?:for|due\\s+to)\\s+(?:privacy|gdpr|data\\s+protection)(?:\\s+(?:purposes|reasons))?)?' +
    '[\\s\\[\\]()*<>_.:-]*$',
  'i',
);

export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text.trim());
}

export interface Contact {
  name?: string;
  organization?: string;
  emails: string[];
  phones: string[];
  street: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

/** Usable text: a string that is neither blank nor a placeholder. */
function usable(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = toWellFormed(value).trim();
  return text === '' || isPlaceholder(text) ? undefined : text;
}

/** A structured jCard component: a string or an array of strings. */
function componentTexts(value: unknown): string[] {
  const parts = Array.isArray(value) ? value : [value];
  return parts.map(usable).filter((t): t is string => t !== undefined);
}

function hasType(params: JsonObject, wanted: string): boolean {
  const type = params.type;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => typeof t === 'string' && t.toLowerCase() === wanted);
}

function readAddress(contact: Contact, params: JsonObject, value: unknown): void {
  const parts = asArray(value);
  const street = [0, 1, 2].flatMap((i) => componentTexts(parts[i]));
  const city = componentTexts(parts[3]).join(' ') || undefined;
  const state = componentTexts(parts[4]).join(' ') || undefined;
  const postalCode = componentTexts(parts[5]).join(' ') || undefined;
  const country = componentTexts(parts[6]).join(' ') || usable(params.cc);
  const label = usable(params.label);
  // Some registries (ARIN) send the address only as a formatted label with empty components;
  // its lines go to street, which keeps them searchable through whois.address.
  if (street.length === 0 && !city && !state && !postalCode && label !== undefined) {
    street.push(...label.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !isPlaceholder(l)));
  }
  contact.street = street;
  if (city) contact.city = city;
  if (state) contact.state = state;
  if (postalCode) contact.postalCode = postalCode;
  if (country) contact.country = country;
}

export function readVcard(vcardArray: unknown): Contact {
  const contact: Contact = { emails: [], phones: [], street: [] };
  let haveAddress = false;
  for (const property of asArray(asArray(vcardArray)[1])) {
    if (!Array.isArray(property)) continue;
    const name = asText(property[0])?.toLowerCase();
    const params: JsonObject = isObject(property[1]) ? property[1] : {};
    const value: unknown = property[3];
    switch (name ?? '') {
      case 'fn':
        contact.name ??= usable(value);
        break;
      case 'org':
        // ORG is the organisation name followed by unit names.
        contact.organization ??= componentTexts(value).join(', ') || undefined;
        break;
      case 'email':
        for (const v of property.slice(3)) {
          const email = usable(v);
          // Registries write instructions ("Please query the RDDS service…") where an address was.
          if (email !== undefined && email.includes('@')) contact.emails.push(email);
        }
        break;
      case 'tel': {
        if (hasType(params, 'fax')) break;
        for (const v of property.slice(3)) {
          // tel URIs and port-43 numbers should compare equal: drop the scheme.
          const phone = usable(typeof v === 'string' ? v.replace(/^\s*tel:/i, '') : v);
          if (phone !== undefined) contact.phones.push(phone);
        }
        break;
      }
      case 'adr': {
        if (haveAddress) break;
        readAddress(contact, params, value);
        haveAddress = contact.street.length > 0 || !!(contact.city ?? contact.state ?? contact.postalCode ?? contact.country);
        break;
      }
      default:
        break;
    }
  }
  return contact;
}

// ---------------------------------------------------------------------------------------------
// Domain objects → fields.

/** Collects normalised, de-duplicated values; a single-valued field keeps its first value. */
class Fields {
  private readonly values = new Map<string, string[]>();

  add(field: string, raw: string | undefined): void {
    if (raw === undefined) return;
    const value = normaliseValue(field, raw);
    if (value === undefined) return;
    const list = this.values.get(field);
    if (list === undefined) this.values.set(field, [value]);
    else if (fieldDef(field)?.many !== false && !list.includes(value)) list.push(value);
  }

  get size(): number {
    return this.values.size;
  }

  toFieldMap(): FieldMap {
    return Object.fromEntries(this.values);
  }
}

const CONTACT_ROLES: ReadonlyMap<string, string> = new Map([
  ['registrant', 'registrant'],
  ['administrative', 'admin'],
  ['technical', 'tech'],
  ['billing', 'billing'],
]);

function rolesOf(entity: JsonObject): string[] {
  return asArray(entity.roles)
    .filter((r): r is string => typeof r === 'string')
    .map((r) => r.trim().toLowerCase());
}

/** Bounds on entity nesting and count: real responses nest two deep and hold a handful. */
const MAX_ENTITY_DEPTH = 8;
const MAX_ENTITIES = 1000;

/** The object's entities and theirs, breadth first so that top-level contacts come first. */
function entitiesOf(object: JsonObject): JsonObject[] {
  const out: JsonObject[] = [];
  let level = asArray(object.entities).filter(isObject);
  for (let depth = 0; depth < MAX_ENTITY_DEPTH && level.length > 0 && out.length < MAX_ENTITIES; depth++) {
    out.push(...level);
    level = level.flatMap((e) => asArray(e.entities).filter(isObject));
  }
  return out.slice(0, MAX_ENTITIES);
}

const UTC_SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** RDAP dates are RFC 3339; anything that does not read as one is dropped, not guessed. */
function eventTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const normal = normaliseTimestamp(value);
  return UTC_SECOND.test(normal) ? normal : undefined;
}

function eventDate(object: JsonObject, action: string): string | undefined {
  for (const event of asArray(object.events)) {
    if (isObject(event) && asText(event.eventAction)?.trim().toLowerCase() === action) {
      const time = eventTime(event.eventDate);
      if (time !== undefined) return time;
    }
  }
  return undefined;
}

function addContact(fields: Fields, prefix: string, c: Contact): void {
  fields.add(`${prefix}.name`, c.name);
  fields.add(`${prefix}.organization`, c.organization);
  fields.add(`${prefix}.email`, c.emails[0]);
  fields.add(`${prefix}.phone`, c.phones[0]);
  for (const line of c.street) fields.add(`${prefix}.street`, line);
  fields.add(`${prefix}.city`, c.city);
  fields.add(`${prefix}.state`, c.state);
  fields.add(`${prefix}.postal_code`, c.postalCode);
  fields.add(`${prefix}.country`, c.country);
}

function domainFields(object: JsonObject): Fields {
  const fields = new Fields();
  const entities = entitiesOf(object);
  const registrar = entities.find((e) => rolesOf(e).includes('registrar'));
  if (registrar) {
    const c = readVcard(registrar.vcardArray);
    fields.add('whois.registrar', c.name ?? c.organization);
  }
  fields.add('whois.whois_server', usable(object.port43));
  for (const ns of asArray(object.nameservers)) {
    if (!isObject(ns)) continue;
    const name = usable(ns.ldhName) ?? usable(ns.unicodeName);
    fields.add('whois.name_servers', name === undefined ? undefined : (normaliseDomain(name) ?? name.toLowerCase()));
  }
  for (const status of asArray(object.status)) fields.add('whois.status', usable(status));
  fields.add('whois.created', eventDate(object, 'registration'));
  fields.add('whois.updated', eventDate(object, 'last changed'));
  fields.add('whois.expires', eventDate(object, 'expiration'));

  // A role's fields come from its first entity whole: mixing two technical contacts' parts
  // would describe a person who does not exist. The unions take every contact.
  const filled = new Set<string>();
  for (const entity of entities) {
    const roles = rolesOf(entity);
    const contact = readVcard(entity.vcardArray);
    // whois.email is every address in the record: registrar, abuse and other roles included.
    for (const email of contact.emails) fields.add('whois.email', email);
    const contactRoles = roles.map((r) => CONTACT_ROLES.get(r)).filter((r): r is string => r !== undefined);
    if (contactRoles.length === 0) continue;
    for (const role of contactRoles) {
      if (filled.has(role)) continue;
      filled.add(role);
      addContact(fields, `whois.${role}`, contact);
    }
    fields.add('whois.name', contact.name);
    fields.add('whois.organization', contact.organization);
    for (const phone of contact.phones) fields.add('whois.phone', phone);
    for (const part of [...contact.street, contact.city, contact.state, contact.postalCode, contact.country]) {
      fields.add('whois.address', part);
    }
  }
  return fields;
}

function domainRecord(object: JsonObject, line: number, options: ParseOptions): ParseResult {
  const named = [usable(object.ldhName), usable(object.unicodeName), options.domain];
  const domain = named.map((n) => (n === undefined ? undefined : normaliseDomain(n))).find((d) => d !== undefined);
  if (domain === undefined) {
    const given = named.find((n) => n !== undefined);
    const why = given === undefined ? 'has no ldhName' : `has no valid name (${JSON.stringify(given)})`;
    return { records: [], errors: [{ line, message: `RDAP domain object ${why}` }] };
  }
  const source = options.source ?? 'rdap';
  const fields = domainFields(object);
  if (fields.size === 0) {
    const record: DomainRecord = { kind: 'domain', domain, observation: { source } };
    return { records: [record], errors: [] };
  }
  const observed = eventDate(object, 'last update of rdap database');
  const record: WhoisRecord = {
    kind: 'whois',
    domain,
    fields: fields.toFieldMap(),
    ...(observed !== undefined && { observed }),
    source,
  };
  return { records: [record], errors: [] };
}

// ---------------------------------------------------------------------------------------------
// IP networks → the network's registration and AS ranges.

function originAutnums(object: JsonObject): number[] {
  const out: number[] = [];
  for (const [key, value] of Object.entries(object)) {
    // ARIN's extension is `arin_originas0_originautnums`; match the suffix so other registries'
    // prefixed copies of the same extension are read too.
    if (!key.toLowerCase().endsWith('originautnums')) continue;
    for (const v of asArray(value)) {
      const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim().replace(/^as/i, '') : '';
      const n = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
      if (Number.isSafeInteger(n) && n <= 0xffffffff && !out.includes(n)) out.push(n);
    }
  }
  return out;
}

/**
 * A network's first or last address. Older RIPE replies append the full-length prefix
 * (`62.239.237.0/32`, `2a00:2381:ffff::/128`), which still names one address; any other prefix
 * does not.
 */
function networkAddress(value: unknown): string | undefined {
  const text = asText(value)?.trim();
  if (text === undefined) return undefined;
  const slash = /^(.*)\/(\d{1,3})$/.exec(text);
  if (!slash) return canonicalIp(text);
  const written = slash[1]!;
  return Number(slash[2]) === (written.includes(':') ? 128 : 32) ? canonicalIp(written) : undefined;
}

/** The registries live.md names, by the domain their servers live under. */
const REGISTRIES: readonly (readonly [string, string])[] = [
  ['arin.net', 'arin'],
  ['ripe.net', 'ripe'],
  ['apnic.net', 'apnic'],
  ['lacnic.net', 'lacnic'],
  ['afrinic.net', 'afrinic'],
];

function registryOfHost(host: string): string | undefined {
  const h = host.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  return REGISTRIES.find(([domain]) => h === domain || h.endsWith(`.${domain}`))?.[1];
}

function urlHost(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** The hosts of links' `href` and `value` (the URL asked for), `self` links first. */
function linkHosts(links: unknown): string[] {
  const objects = asArray(links).filter(isObject);
  const self = objects.filter((l) => asText(l.rel)?.toLowerCase() === 'self');
  const others = objects.filter((l) => asText(l.rel)?.toLowerCase() !== 'self');
  return [...self, ...others].flatMap((l) => [urlHost(l.href), urlHost(l.value)]).filter((h): h is string => h !== undefined);
}

/**
 * Which regional registry answered: its port-43 server, the hosts of the links (the reply's own
 * URL first, then the notices' terms of service), a registry-named extension in rdapConformance
 * (`arin_originas0`), or the "Source" notice RIPE and APNIC give. Absent when none says.
 */
function registryOf(object: JsonObject): string | undefined {
  const hosts = [asText(object.port43), ...linkHosts(object.links), ...asArray(object.notices).filter(isObject).flatMap((n) => linkHosts(n.links))];
  for (const host of hosts) {
    const registry = host === undefined ? undefined : registryOfHost(host);
    if (registry !== undefined) return registry;
  }
  const names = REGISTRIES.map(([, name]) => name);
  for (const c of asArray(object.rdapConformance)) {
    const text = asText(c)?.trim().toLowerCase() ?? '';
    const registry = names.find((name) => text.startsWith(`${name}_`));
    if (registry !== undefined) return registry;
  }
  for (const notice of asArray(object.notices)) {
    if (!isObject(notice) || asText(notice.title)?.trim().toLowerCase() !== 'source') continue;
    for (const line of asArray(notice.description)) {
      const text = asText(line)?.trim().toLowerCase();
      if (text !== undefined && names.includes(text)) return text;
    }
  }
  return undefined;
}

/**
 * The network as CIDR blocks: the cidr0 extension's list when it gives blocks inside the range
 * (a block outside it would be the server's slip; the range is what the registry states), else
 * the range split into the fewest blocks.
 */
function networkCidrs(object: JsonObject, start: string, end: string): string[] {
  const s = ipInteger(start);
  const e = ipInteger(end);
  const out: string[] = [];
  for (const c of asArray(object.cidr0_cidrs)) {
    if (!isObject(c) || !s || !e) continue;
    const prefix = asText(c.v4prefix) ?? asText(c.v6prefix);
    const length = typeof c.length === 'number' || (typeof c.length === 'string' && /^\d{1,3}$/.test(c.length)) ? String(c.length) : undefined;
    if (prefix === undefined || length === undefined) continue;
    const cidr = canonicalNetwork(`${prefix.trim()}/${length}`);
    const bounds = cidr === undefined ? undefined : networkBounds(cidr);
    if (!cidr || !bounds || bounds.family !== s.family || bounds.first < s.value || bounds.last > e.value) continue;
    if (!out.includes(cidr)) out.push(cidr);
  }
  return out.length > 0 ? out : (rangeToCidrs(start, end) ?? []);
}

/** The `network.*` fields of an ip network (live.md "Network fields"). */
function networkFields(object: JsonObject, start: string, end: string): Fields {
  const fields = new Fields();
  fields.add('network.name', usable(object.name));
  fields.add('network.handle', usable(object.handle));
  for (const cidr of networkCidrs(object, start, end)) fields.add('network.range', cidr);
  const country = usable(object.country);
  // RFC 9083: a two-character country code; upper case, as registries write it.
  fields.add('network.country', country !== undefined && /^[a-z]{2}$/i.test(country) ? country.toUpperCase() : country);
  const entities = entitiesOf(object);
  // The registrant's organisation, else its name (an `org` vCard names the organisation in fn).
  // RIPE also lists maintainers as registrants, without a vCard: the first with a name counts.
  for (const entity of entities) {
    if (!rolesOf(entity).includes('registrant')) continue;
    const c = readVcard(entity.vcardArray);
    const organization = c.organization ?? c.name;
    if (organization === undefined) continue;
    fields.add('network.organization', organization);
    break;
  }
  // Abuse contacts at any depth: LACNIC nests them in the registrant, RIPE under the abuse role.
  for (const entity of entities) {
    if (!rolesOf(entity).includes('abuse')) continue;
    for (const email of readVcard(entity.vcardArray).emails) fields.add('network.abuse_email', email);
  }
  fields.add('network.registry', registryOf(object));
  fields.add('network.created', eventDate(object, 'registration'));
  return fields;
}

function networkRecords(object: JsonObject, line: number, options: ParseOptions): ParseResult {
  const start = networkAddress(object.startAddress);
  const end = networkAddress(object.endAddress);
  const startBytes = start === undefined ? undefined : ipBytes(start);
  const endBytes = end === undefined ? undefined : ipBytes(end);
  const handle = usable(object.handle) ?? 'ip network';
  if (start === undefined || end === undefined || !startBytes || !endBytes) {
    return { records: [], errors: [{ line, message: `RDAP ${handle}: no valid startAddress/endAddress` }] };
  }
  if (startBytes.family !== endBytes.family || compareBytes(startBytes.bytes, endBytes.bytes) > 0) {
    return { records: [], errors: [{ line, message: `RDAP ${handle}: ${start} - ${end} is not a range` }] };
  }
  const source = options.source ?? 'rdap';
  const observed = eventDate(object, 'last update of rdap database');
  const network: NetworkRecord = {
    kind: 'network',
    start,
    end,
    fields: networkFields(object, start, end).toFieldMap(),
    ...(observed !== undefined && { observed }),
    source,
  };
  // The network's `name` is a registry handle (NET-…), not the AS name, so `name` stays absent.
  const ranges = originAutnums(object).map((asn): AsRangeRecord => ({ kind: 'as-range', start, end, asn, source }));
  return { records: [network, ...ranges], errors: [] };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------
// Responses.

function objectRecords(object: unknown, line: number, options: ParseOptions): ParseResult {
  if (!isObject(object)) return { records: [], errors: [] };
  const cls = asText(object.objectClassName)?.trim().toLowerCase();
  if (cls === 'domain') return domainRecord(object, line, options);
  if (cls === 'ip network') return networkRecords(object, line, options);
  return { records: [], errors: [] };
}

function errorText(response: JsonObject): string {
  const title = usable(response.title);
  const description = asArray(response.description)
    .map(usable)
    .filter((d): d is string => d !== undefined)
    .join(' ');
  const code = typeof response.errorCode === 'number' ? String(response.errorCode) : asText(response.errorCode);
  const parts = [title, description].filter((p) => p !== undefined && p !== '');
  const what = parts.length > 0 ? parts.join(': ') : `error ${code ?? ''}`.trim();
  return `RDAP error response: ${what}${code !== undefined && !(title ?? '').includes(code) ? ` (${code})` : ''}`;
}

/** Records of one RDAP response (a whole JSON document). */
export function rdapResponseRecords(response: unknown, line: number, options: ParseOptions): ParseResult {
  if (!isObject(response)) {
    return { records: [], errors: [{ line, message: 'not an RDAP response: expected a JSON object' }] };
  }
  if (response.errorCode !== undefined) return { records: [], errors: [{ line, message: errorText(response) }] };
  applyRedactions(response);
  if (response.objectClassName !== undefined) return objectRecords(response, line, options);
  const searches = Object.keys(response).filter((k) => k.endsWith('SearchResults'));
  if (searches.length > 0) {
    const records: IngestRecord[] = [];
    const errors: ParseError[] = [];
    for (const key of searches) {
      for (const object of asArray(response[key])) {
        const r = objectRecords(object, line, options);
        records.push(...r.records);
        errors.push(...r.errors);
      }
    }
    return { records, errors };
  }
  // A help response, or any other that is plainly RDAP, holds nothing to store.
  if (response.rdapConformance !== undefined || response.notices !== undefined) return { records: [], errors: [] };
  return {
    records: [],
    errors: [{ line, message: 'not an RDAP response: no objectClassName, search results, rdapConformance or errorCode' }],
  };
}

/**
 * One response per file is the norm; bulk collections hold one response per line (NDJSON),
 * a JSON array of responses, or pretty-printed responses one after another (`jq .`). All are
 * read, and a broken response costs that response alone.
 */
export function parseRdap(text: string, options: ParseOptions): ParseResult {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { records: [], errors: [{ line: 0, message: 'empty input: no RDAP response' }] };
  const lines = body.split('\n');
  const firstIndex = lines.findIndex((l) => l.trim() !== '');
  const records: IngestRecord[] = [];
  const errors: ParseError[] = [];
  const add = (value: unknown, line: number): void => {
    const r = rdapResponseRecords(value, line, options);
    records.push(...r.records);
    errors.push(...r.errors);
  };
  let firstAlone: unknown;
  try {
    firstAlone = JSON.parse(lines[firstIndex]!.trim());
  } catch {
    firstAlone = undefined;
  }
  if (isObject(firstAlone)) {
    lines.forEach((raw, i) => {
      const lineText = raw.trim();
      if (lineText === '') return;
      try {
        add(JSON.parse(lineText), i + 1);
      } catch (error) {
        errors.push({ line: i + 1, message: `invalid JSON: ${message(error)}` });
      }
    });
    return { records, errors };
  }
  for (const item of jsonDocumentItems(body, 1)) {
    if ('error' in item) errors.push({ line: item.line, message: item.error });
    else add(item.value, item.line);
  }
  return { records, errors };
}

function sniffRdap(head: Buffer, fileName?: string): number {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (!start.startsWith('{') && !start.startsWith('[')) return 0;
  if (/"(?:rdapConformance|objectClassName)"\s*:/.test(text)) return 0.95;
  if (/"errorCode"\s*:/.test(text) && /"(?:title|description)"\s*:/.test(text)) return 0.6;
  return /\.rdap(?:\.json)?(?:\.gz)?$/i.test(fileName ?? '') ? 0.5 : 0;
}

/** RDAP (RFC 9083) JSON responses: domains → WHOIS records, ip networks → registrations (and AS ranges when they state an origin AS). */
export const rdapFormat: Format = {
  name: 'rdap',
  sniff(head, fileName) {
    try {
      return sniffRdap(head, fileName);
    } catch {
      return 0;
    }
  },
  parse(input, options) {
    try {
      return parseRdap(input.toString('utf8'), options);
    } catch (error) {
      // A last resort: parsing must never stop an ingest run.
      return { records: [], errors: [{ line: 0, message: `internal error: ${message(error)}` }] };
    }
  },
};

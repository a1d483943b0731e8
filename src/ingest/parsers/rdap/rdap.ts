// RDAP (RFC 9083) responses → WHOIS records, so that a domain looked up over RDAP is matched with
// the same `whois.*` fields as one looked up over port 43.
//
// What each response gives:
// - domain → one WhoisRecord (a DomainRecord when the object carries no WHOIS data at all, as
//   search results often do: an empty WHOIS record would become the domain's newest one and hide
//   a full one stored earlier);
// - ip network → one AsRangeRecord per origin AS when the registry states one (ARIN's
//   `arin_originas0_originautnums`); most do not, and that is no error;
// - autnum, entity, nameserver, help → nothing storable on its own, no error;
// - search results → each contained object as above;
// - error response (`errorCode`) → one ParseError with its title and description.
//
// Redacted data stays absent: values named by RFC 9537 `redacted` members are removed before
// anything is read, and placeholder texts ("REDACTED FOR PRIVACY", "[[REDACTED]]") are dropped.
// `whois.raw` is left absent: it is the text of a port-43 reply for what no parser understood,
// and an RDAP response is structured JSON that this parser reads whole.
import { normaliseDomain } from '../../../fields/domain.js';
import { canonicalIp, ipBytes } from '../../../fields/ip.js';
import { fieldDef } from '../../../fields/catalogue.js';
import { normaliseTimestamp, normaliseValue, toWellFormed } from '../../../fields/normalise.js';
import { jsonDocumentItems } from '../../json-documents.js';
import type {
  AsRangeRecord,
  DomainRecord,
  FieldMap,
  Format,
  IngestRecord,
  ParseError,
  ParseOptions,
  ParseResult,
  WhoisRecord,
} from '../../records.js';

type JsonObject = Record<string, unknown>;
type Container = JsonObject | unknown[];

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** Array.isArray narrows `unknown` to `any[]`; this keeps the elements `unknown`. */
function arrayOrUndefined(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

function asText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// RFC 9537 redaction paths: the JSONPath subset registries write (RFC 9535 and the older
// Goessner form with `?(…)` filters), enough to find what a `redacted` member points at.

type Selector =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'slice'; readonly start?: number; readonly end?: number; readonly step?: number }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'filter'; readonly test: Expression };

interface Segment {
  readonly descendant: boolean;
  readonly selectors: readonly Selector[];
}

type Operand =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'path'; readonly steps: readonly (string | number)[] };

type Expression =
  | { readonly kind: 'or' | 'and'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'not'; readonly operand: Expression }
  | { readonly kind: 'exists'; readonly path: Operand }
  | { readonly kind: 'compare'; readonly op: string; readonly left: Operand; readonly right: Operand };

class PathSyntaxError extends Error {}

/** Parses one JSONPath; throws PathSyntaxError, which the caller turns into "skip this path". */
class PathParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): Segment[] {
    this.skipSpace();
    this.expect('$');
    const segments: Segment[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) return segments;
      if (this.text.startsWith('..', this.pos)) {
        this.pos += 2;
        segments.push({ descendant: true, selectors: this.peek() === '[' ? this.bracket() : [this.dotted()] });
      } else if (this.peek() === '.') {
        this.pos++;
        segments.push({ descendant: false, selectors: [this.dotted()] });
      } else if (this.peek() === '[') {
        segments.push({ descendant: false, selectors: this.bracket() });
      } else {
        throw new PathSyntaxError(`unexpected "${this.peek()}"`);
      }
    }
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private skipSpace(): void {
    while (/\s/.test(this.peek())) this.pos++;
  }

  private expect(token: string): void {
    this.skipSpace();
    if (!this.text.startsWith(token, this.pos)) throw new PathSyntaxError(`expected "${token}"`);
    this.pos += token.length;
  }

  private dotted(): Selector {
    if (this.peek() === '*') {
      this.pos++;
      return { kind: 'wildcard' };
    }
    return { kind: 'name', name: this.memberName() };
  }

  private memberName(): string {
    const match = /^[A-Za-z_$\u0080-\uFFFF][\w$\u0080-\uFFFF-]*/.exec(this.text.slice(this.pos));
    if (!match) throw new PathSyntaxError('expected a member name');
    this.pos += match[0].length;
    return match[0];
  }

  private bracket(): Selector[] {
    this.expect('[');
    const selectors: Selector[] = [];
    for (;;) {
      selectors.push(this.selector());
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      this.expect(']');
      return selectors;
    }
  }

  private selector(): Selector {
    this.skipSpace();
    const c = this.peek();
    if (c === "'" || c === '"') return { kind: 'name', name: this.stringLiteral() };
    if (c === '*') {
      this.pos++;
      return { kind: 'wildcard' };
    }
    if (c === '?') {
      this.pos++;
      return { kind: 'filter', test: this.orExpression() };
    }
    const start = this.optionalInteger();
    this.skipSpace();
    if (this.peek() !== ':') {
      if (start === undefined) throw new PathSyntaxError('expected a selector');
      return { kind: 'index', index: start };
    }
    this.pos++;
    const end = this.optionalInteger();
    this.skipSpace();
    let step: number | undefined;
    if (this.peek() === ':') {
      this.pos++;
      step = this.optionalInteger();
    }
    return { kind: 'slice', start, end, step };
  }

  private optionalInteger(): number | undefined {
    this.skipSpace();
    const match = /^-?\d+/.exec(this.text.slice(this.pos));
    if (!match) return undefined;
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private stringLiteral(): string {
    const quote = this.peek();
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++]!;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++] ?? '';
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e;
    }
    throw new PathSyntaxError('unterminated string');
  }

  private orExpression(): Expression {
    if (++this.depth > 32) throw new PathSyntaxError('filter nested too deeply');
    let left = this.andExpression();
    while (this.consume('||')) left = { kind: 'or', left, right: this.andExpression() };
    this.depth--;
    return left;
  }

  private andExpression(): Expression {
    let left = this.unary();
    while (this.consume('&&')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  private unary(): Expression {
    if (this.consume('!')) {
      if (++this.depth > 32) throw new PathSyntaxError('filter nested too deeply');
      const operand = this.unary();
      this.depth--;
      return { kind: 'not', operand };
    }
    if (this.consume('(')) {
      const inner = this.orExpression();
      this.expect(')');
      return inner;
    }
    const left = this.operand();
    this.skipSpace();
    const op = /^(==|!=|<=|>=|<|>)/.exec(this.text.slice(this.pos))?.[0];
    if (op === undefined) return { kind: 'exists', path: left };
    this.pos += op.length;
    return { kind: 'compare', op, left, right: this.operand() };
  }

  private consume(token: string): boolean {
    this.skipSpace();
    // `!=` is a comparison, not a negation.
    if (token === '!' && this.text.startsWith('!=', this.pos)) return false;
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  private operand(): Operand {
    this.skipSpace();
    const c = this.peek();
    if (c === "'" || c === '"') return { kind: 'literal', value: this.stringLiteral() };
    if (c === '@') {
      this.pos++;
      return { kind: 'path', steps: this.relativeSteps() };
    }
    const rest = this.text.slice(this.pos);
    const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest)?.[0];
    if (number !== undefined) {
      this.pos += number.length;
      return { kind: 'literal', value: Number(number) };
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (rest.startsWith(word)) {
        this.pos += word.length;
        return { kind: 'literal', value };
      }
    }
    throw new PathSyntaxError('expected a value in a filter');
  }

  /** Singular relative paths (`@.roles[0]`, `@['type']`): all a filter on RDAP needs. */
  private relativeSteps(): (string | number)[] {
    const steps: (string | number)[] = [];
    for (;;) {
      if (this.peek() === '.' && !this.text.startsWith('..', this.pos)) {
        this.pos++;
        steps.push(this.memberName());
      } else if (this.peek() === '[') {
        this.pos++;
        this.skipSpace();
        const c = this.peek();
        const index = c === "'" || c === '"' ? this.stringLiteral() : this.optionalInteger();
        if (index === undefined) throw new PathSyntaxError('expected a name or index after "@["');
        steps.push(index);
        this.expect(']');
      } else {
        return steps;
      }
    }
  }
}

/** A location in the document: the value, and the container and key that hold it. */
interface Located {
  readonly value: unknown;
  readonly parent?: Container;
  readonly key?: string | number;
}

/** Bounds on what paths may visit, so a hostile response cannot make parsing slow. */
const MAX_NODES = 100_000;
const MAX_DESCENT = 64;
/** Real redaction paths are a line long; a longer one is not worth the work. */
const MAX_PATH_LENGTH = 2000;

function resolveSteps(value: unknown, steps: readonly (string | number)[]): { found: boolean; value: unknown } {
  let current = value;
  for (const step of steps) {
    const list = arrayOrUndefined(current);
    if (typeof step === 'number' && list) {
      const i = step < 0 ? list.length + step : step;
      if (i < 0 || i >= list.length) return { found: false, value: undefined };
      current = list[i];
    } else if (typeof step === 'string' && isObject(current) && Object.hasOwn(current, step)) {
      current = current[step];
    } else {
      return { found: false, value: undefined };
    }
  }
  return { found: true, value: current };
}

function operandValue(operand: Operand, at: unknown): { found: boolean; value: unknown } {
  return operand.kind === 'literal' ? { found: true, value: operand.value } : resolveSteps(at, operand.steps);
}

function test(expression: Expression, at: unknown): boolean {
  switch (expression.kind) {
    case 'or':
      return test(expression.left, at) || test(expression.right, at);
    case 'and':
      return test(expression.left, at) && test(expression.right, at);
    case 'not':
      return !test(expression.operand, at);
    case 'exists':
      return operandValue(expression.path, at).found;
    case 'compare': {
      const left = operandValue(expression.left, at);
      const right = operandValue(expression.right, at);
      if (!left.found || !right.found) return expression.op === '!=' && left.found !== right.found;
      const a = left.value;
      const b = right.value;
      if (expression.op === '==') return a === b;
      if (expression.op === '!=') return a !== b;
      const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
      if (!comparable) return false;
      if (expression.op === '<') return a < b;
      if (expression.op === '<=') return a <= b;
      if (expression.op === '>') return a > b;
      return a >= b;
    }
  }
}

function children(node: Located): Located[] {
  const v = node.value;
  const list = arrayOrUndefined(v);
  if (list) return list.map((value, key) => ({ value, parent: list, key }));
  if (isObject(v)) return Object.entries(v).map(([key, value]) => ({ value, parent: v, key }));
  return [];
}

function sliceIndexes(length: number, s: { start?: number; end?: number; step?: number }): number[] {
  const step = s.step ?? 1;
  if (step === 0) return [];
  const norm = (i: number): number => (i >= 0 ? i : length + i);
  const out: number[] = [];
  if (step > 0) {
    const lower = Math.min(Math.max(norm(s.start ?? 0), 0), length);
    const upper = Math.min(Math.max(norm(s.end ?? length), 0), length);
    for (let i = lower; i < upper && out.length < MAX_NODES; i += step) out.push(i);
  } else {
    const upper = Math.min(Math.max(norm(s.start ?? length - 1), -1), length - 1);
    const lower = Math.min(Math.max(norm(s.end ?? -length - 1), -1), length - 1);
    for (let i = upper; i > lower && out.length < MAX_NODES; i += step) out.push(i);
  }
  return out;
}

function select(node: Located, selector: Selector): Located[] {
  const v = node.value;
  switch (selector.kind) {
    case 'name':
      return isObject(v) && Object.hasOwn(v, selector.name) ? [{ value: v[selector.name], parent: v, key: selector.name }] : [];
    case 'index': {
      const list = arrayOrUndefined(v);
      if (!list) return [];
      const i = selector.index < 0 ? list.length + selector.index : selector.index;
      return i >= 0 && i < list.length ? [{ value: list[i], parent: list, key: i }] : [];
    }
    case 'slice': {
      const list = arrayOrUndefined(v);
      return list ? sliceIndexes(list.length, selector).map((i) => ({ value: list[i], parent: list, key: i })) : [];
    }
    case 'wildcard':
      return children(node);
    case 'filter':
      return children(node).filter((child) => test(selector.test, child.value));
  }
}

function descendants(node: Located, depth: number, out: Located[]): void {
  if (depth > MAX_DESCENT || out.length > MAX_NODES) return;
  out.push(node);
  for (const child of children(node)) descendants(child, depth + 1, out);
}

function evaluatePath(root: unknown, segments: readonly Segment[]): Located[] {
  let nodes: Located[] = [{ value: root }];
  for (const segment of segments) {
    const from: Located[] = [];
    if (segment.descendant) for (const node of nodes) descendants(node, 0, from);
    else from.push(...nodes);
    const next: Located[] = [];
    for (const node of from) {
      for (const selector of segment.selectors) next.push(...select(node, selector));
      if (next.length > MAX_NODES) return next.slice(0, MAX_NODES);
    }
    nodes = next;
  }
  return nodes;
}

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
      if (path.length > MAX_PATH_LENGTH || targets.length > MAX_NODES) continue;
      let segments: Segment[];
      try {
        segments = new PathParser(path).parse();
      } catch (error) {
        if (error instanceof PathSyntaxError) continue;
        throw error;
      }
      targets.push(...evaluatePath(root, segments));
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
// IP networks → AS ranges.

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

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function networkRecords(object: JsonObject, line: number, options: ParseOptions): ParseResult {
  const asns = originAutnums(object);
  if (asns.length === 0) return { records: [], errors: [] };
  const startText = asText(object.startAddress);
  const endText = asText(object.endAddress);
  const start = startText === undefined ? undefined : canonicalIp(startText);
  const end = endText === undefined ? undefined : canonicalIp(endText);
  const startBytes = start === undefined ? undefined : ipBytes(start);
  const endBytes = end === undefined ? undefined : ipBytes(end);
  const handle = asText(object.handle) ?? 'ip network';
  if (start === undefined || end === undefined || !startBytes || !endBytes) {
    return {
      records: [],
      errors: [{ line, message: `RDAP ${handle}: origin AS given but no valid startAddress/endAddress` }],
    };
  }
  if (startBytes.family !== endBytes.family || compareBytes(startBytes.bytes, endBytes.bytes) > 0) {
    return { records: [], errors: [{ line, message: `RDAP ${handle}: ${start} - ${end} is not a range` }] };
  }
  const source = options.source ?? 'rdap';
  // The network's `name` is a registry handle (NET-…), not the AS name, so `name` stays absent.
  const records = asns.map((asn): AsRangeRecord => ({ kind: 'as-range', start, end, asn, source }));
  return { records, errors: [] };
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

/** RDAP (RFC 9083) JSON responses: domains → WHOIS records, ip networks with origin AS → AS ranges. */
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

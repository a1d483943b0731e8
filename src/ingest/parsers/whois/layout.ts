// The shape of a WHOIS reply, before any key is interpreted: which lines are `key: value` pairs
// (in their many spellings: `key: value`, `key.....: value`, `[Key]  value`, `a. [Key] value`,
// `Key<TAB>value`, `Record created on 2003-08-01`), which are headers opening a section
// (`Registrant:` over indented lines, `Holder` over `name: …` lines), which lines continue a
// multi-line value, and how blank lines cut the reply into blocks (RIPE-style objects).
import { normaliseKey, keyMeaning, sectionMeaning, isOrganisationHeader, type KeyMeaning, type SectionMeaning } from './keys.js';

export interface Section {
  readonly key: string;
  readonly line: number;
  readonly indent: number;
  readonly meaning: SectionMeaning;
  /** For a context opened by `Registrant: Some Name` rather than by a bare header. */
  readonly value?: string;
  /** Unlabelled lines directly under the header, in order. */
  readonly free: FreeLine[];
  contentIndent?: number;
  hasContent: boolean;
}

export interface FreeLine {
  readonly text: string;
  readonly line: number;
}

export interface Entry {
  /** Normal form of the key (keys.ts normaliseKey). */
  readonly key: string;
  readonly value: string;
  /** Unlabelled lines that continue the value (wrapped addresses, name-server lists). */
  readonly more: string[];
  readonly line: number;
  readonly section: Section | undefined;
  /** Blank-line separated block the entry is in. */
  readonly block: number;
}

export interface Layout {
  readonly entries: Entry[];
  readonly sections: Section[];
}

interface Classified {
  readonly no: number;
  readonly indent: number;
  readonly text: string;
  readonly kind: 'blank' | 'skip' | 'kv' | 'text';
  readonly key?: string;
  readonly value?: string;
  /** `[Key]` spelling (JPRS, DENIC): an empty one alone on its line is a header when it names a section. */
  readonly bracketed?: boolean;
}

/** Lines longer than this are prose or junk; cutting them keeps every regex linear and cheap. */
const MAX_LINE = 2000;

export function layout(text: string): Layout {
  const lines = text.split(/\r\n|\r|\n/).map((raw, i) => classify(raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw, i + 1));
  return new Builder(lines).build();
}

function indentOf(raw: string): number {
  let n = 0;
  for (const ch of raw) {
    if (ch === ' ') n += 1;
    else if (ch === '\t') n += 8 - (n % 8);
    else if (ch === '\u3000' || ch === '\u00a0') n += 1;
    else break;
  }
  return n;
}

function classify(raw: string, no: number): Classified {
  const indent = indentOf(raw);
  const text = raw.trim();
  if (text === '') return { no, indent, text, kind: 'blank' };
  if (isSkipped(text)) return { no, indent, text, kind: 'skip' };
  const kv = splitKeyValue(raw.replace(/^\s+/, ''));
  if (kv) return { no, indent, text, kind: 'kv', key: kv.key, value: kv.value, bracketed: text.startsWith('[') };
  return { no, indent, text, kind: 'text' };
}

/** Comments, banners and rules: `% …`, `# …`, `>>> … <<<`, JPRS `[ … ]`, `*** … ***`, `-----`. */
function isSkipped(text: string): boolean {
  return (
    /^[%#]/.test(text) ||
    text.startsWith('>>>') ||
    /^\[\s.*\]$/.test(text) ||
    /^\*.*\*$/.test(text) ||
    /^[-=_~*+]{2,}$/.test(text)
  );
}

const JP_KEY = /^(?:[a-z]\.\s*)?\[([^\]]{1,60})\]\s*(.*)$/i;
const TAB_KEY = /^([A-Za-z][A-Za-z ]{0,40}?)\t+\s*(\S.*)$/;
const DATE_PHRASE = /^(record created on|record expires on|record last updated on|registered on|expires on|created on|record will expire on)\s+(\d.*|[a-z]{3,9}\s.*)$/i;

/** `key: value` in any of the spellings registries use, or undefined for a line that is not one. */
export function splitKeyValue(text: string): { key: string; value: string } | undefined {
  const jp = JP_KEY.exec(text);
  if (jp) return { key: normaliseKey(jp[1]!), value: jp[2]!.trim() };
  const colon = text.indexOf(':');
  if (colon > 0 && !insideIpv6(text, colon)) {
    const kv = colonPair(text, colon);
    if (kv) return kv;
  }
  const tab = TAB_KEY.exec(text);
  if (tab) return { key: normaliseKey(tab[1]!), value: tab[2]!.trim() };
  const phrase = DATE_PHRASE.exec(text);
  if (phrase) return { key: normaliseKey(phrase[1]!), value: phrase[2]!.trim() };
  return undefined;
}

/** Whether the colon at `at` is part of an IPv6 address (`ns2.example  2001:db8::2`), not a key separator. */
function insideIpv6(text: string, at: number): boolean {
  let start = at;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  let end = at;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  const token = text.slice(start, end);
  return /^[0-9a-f:.]+$/i.test(token) && (token.match(/:/g)?.length ?? 0) >= 2;
}

function colonPair(text: string, colon: number): { key: string; value: string } | undefined {
  const rawKey = text.slice(0, colon).replace(/\.{2,}\s*$/, '').trim();
  const rest = text.slice(colon + 1);
  // `https://…` is a URL, not the key `https`; `09:42:27` is a time, not the key `09`.
  if (rest.startsWith('//') || (/\d$/.test(rawKey) && /^\d/.test(rest))) return undefined;
  if (rawKey === '' || rawKey.length > 160 || /https?|www\./i.test(rawKey)) return undefined;
  const bare = rawKey.replace(/\([^)]*\)/g, '').trim();
  if (bare === '' || bare.length > 60) return undefined;
  return { key: normaliseKey(rawKey), value: rest.replace(/^:+/, '').trim() };
}

/** Whether a key is one the section would hold (`name:` under `Registrant:`, `nserver:` under `Name servers:`). */
function fitsInSection(m: KeyMeaning | undefined, section: SectionMeaning): boolean {
  if (m === undefined) return false;
  switch (m.kind) {
    case 'attr':
      // `Domain:` over `name: example.ee` (.ee) as well as `Registrant:` over `name: …`.
      if (section.kind === 'domain') return m.party === undefined;
      return section.kind === 'party' && (m.party === undefined || m.party === section.party);
    case 'contact':
    case 'handle':
      return section.kind === 'party';
    case 'registrar':
      return section.kind === 'party' && section.party === 'registrar';
    case 'name_server':
      return section.kind === 'name_servers';
    case 'domain':
      return section.kind === 'domain';
    case 'date':
      return section.kind === 'domain' || section.kind === 'dates';
    case 'whois_server':
    case 'status':
    case 'ref':
    case 'party':
      return false;
  }
}

class Builder {
  private readonly entries: Entry[] = [];
  private readonly sections: Section[] = [];
  private section: Section | undefined;
  /** The last entry with a value, which unlabelled lines right after it continue. */
  private last: Entry | undefined;
  private block = 0;
  private blankBefore = false;

  /** Index of the next key-value or text line after each line, computed once so lookahead stays linear. */
  private readonly nextIndex: number[];

  constructor(private readonly lines: readonly Classified[]) {
    this.nextIndex = new Array<number>(lines.length);
    let next = -1;
    for (let j = lines.length - 1; j >= 0; j--) {
      this.nextIndex[j] = next;
      const kind = lines[j]!.kind;
      if (kind === 'kv' || kind === 'text') next = j;
    }
  }

  build(): Layout {
    this.lines.forEach((line, i) => this.step(line, i));
    return { entries: this.entries, sections: this.sections };
  }

  private step(line: Classified, i: number): void {
    if (line.kind === 'blank') {
      this.blank(i);
      return;
    }
    if (line.kind === 'skip') return;
    if (this.blankBefore) {
      this.block += 1;
      this.blankBefore = false;
    }
    const s = this.section;
    // A section whose lines are indented ends at the first line back at (or left of) its header.
    if (s && s.contentIndent !== undefined && s.contentIndent > s.indent && line.indent <= s.indent) this.section = undefined;
    if (line.kind === 'kv') this.keyValue(line, i);
    else this.textLine(line);
  }

  private blank(i: number): void {
    this.blankBefore = true;
    this.last = undefined;
    const s = this.section;
    if (!s || !s.hasContent) return;
    const next = this.nextContent(i);
    if (!next || next.indent <= s.indent) this.section = undefined;
  }

  private keyValue(line: Classified, i: number): void {
    const key = line.key!;
    const value = line.value!;
    if (value === '' && this.isHeader(key, line, i)) {
      this.open(key, line, sectionMeaning(key) ?? (isOrganisationHeader(key) ? { kind: 'party', party: 'registrant', orgFirst: true } : { kind: 'other' }));
      return;
    }
    const context = value === '' ? undefined : this.contextOpened(key, value, i);
    const entry: Entry = { key, value, more: [], line: line.no, section: this.section, block: this.block };
    this.entries.push(entry);
    this.touch(line);
    this.last = value === '' ? undefined : entry;
    if (context) this.open(key, line, context, value);
  }

  private textLine(line: Classified): void {
    const key = normaliseKey(line.text);
    const meaning = line.text.length <= 60 && !line.text.includes('@') ? sectionMeaning(key) : undefined;
    if (meaning) {
      this.open(key, line, meaning);
      return;
    }
    if (this.last) {
      this.last.more.push(line.text);
      return;
    }
    if (this.section) {
      this.section.free.push({ text: line.text, line: line.no });
      this.touch(line);
    }
  }

  private touch(line: Classified): void {
    const s = this.section;
    if (!s) return;
    s.hasContent = true;
    s.contentIndent ??= line.indent;
  }

  private open(key: string, line: Classified, meaning: SectionMeaning, value?: string): void {
    const section: Section = { key, line: line.no, indent: line.indent, meaning, free: [], hasContent: false, ...(value === undefined ? {} : { value }) };
    this.sections.push(section);
    this.section = section;
    this.last = undefined;
  }

  /**
   * An empty `key:` opens a section when the key is a known header, or when indented lines follow
   * (`Data validation:` in .uk). `Organisation:` is a header only over unlabelled lines (.tk).
   */
  private isHeader(key: string, line: Classified, i: number): boolean {
    const next = this.nextContent(i);
    if (next === undefined) return false;
    if (next.indent > line.indent) return true;
    if (isOrganisationHeader(key)) return next.kind === 'text';
    const meaning = sectionMeaning(key);
    if (!meaning) return false;
    if (line.bracketed === true) return true;
    // A known header over lines at its own indentation (`Registrant:` then `name: …`, .ee) —
    // unless those lines are not the kind a section holds: an empty `Reseller:` in an ICANN
    // reply is just an empty field before `Domain Status: …`.
    return next.kind === 'text' || fitsInSection(keyMeaning(next.key!), meaning);
  }

  /**
   * `Registrant: Some Name` or `Domain registrant: mmr-170347` followed by `Name:`, `Address:` …
   * (.rs, .sk) makes those unprefixed keys the registrant's. A registrar opens such a context
   * only when it is given as a handle, because elsewhere (.by) the unprefixed keys after
   * `Registrar: Name` are the registrant's.
   */
  private contextOpened(key: string, value: string, i: number): SectionMeaning | undefined {
    const meaning = keyMeaning(key);
    const next = this.nextContent(i);
    if (!next || next.kind !== 'kv') return undefined;
    const nextMeaning = keyMeaning(next.key!);
    if (nextMeaning?.kind !== 'attr' || nextMeaning.party !== undefined) return undefined;
    if (meaning?.kind === 'party' && meaning.party !== 'registrar' && meaning.party !== 'other') return { kind: 'party', party: meaning.party };
    if (meaning?.kind === 'registrar' && /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+$/.test(value) && /\d/.test(value)) return { kind: 'party', party: 'registrar' };
    return undefined;
  }

  private nextContent(i: number): Classified | undefined {
    const j = this.nextIndex[i] ?? -1;
    return j < 0 ? undefined : this.lines[j];
  }
}

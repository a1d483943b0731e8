// From the layout of a reply to what it says: domain, registrar, dates, name servers, status and
// the four contacts. Who a contact key is about comes, in order, from the key itself
// (`Admin Email`), the section it sits in (`Registrant:` …), or the RIPE-style object it is part
// of (a `nic-hdl` object named by `admin-c`, an IANA `contact: technical` block, or — when a
// reply lists unnamed contact objects, as .ua does — their order: registrant, admin, tech, billing).
import { Best, ContactDraft, offerUnlabelled, type ContactValues } from './contacts.js';
import { dayOrderEvidence, parseWhoisDate } from './dates.js';
import { keyMeaning, ROLES, type DateField, type KeyMeaning, type Party, type Role } from './keys.js';
import type { Entry, Layout, Section } from './layout.js';
import { isPlaceholder, isRedaction, looksLikeHandle, nameServerHosts, whoisServerHost } from './values.js';

export interface Interpretation {
  /** Domain names the reply states, in order (first is the reply's own). */
  readonly domains: string[];
  readonly registrar?: string;
  readonly whoisServer?: string;
  readonly nameServers: string[];
  /** Name servers from ambiguous keys (`DNS:`), kept unless they name the domain itself. */
  readonly weakNameServers: string[];
  readonly status: string[];
  readonly dates: Partial<Record<DateField, string>>;
  readonly contacts: Record<Role, ContactValues>;
}

type BlockKind = 'domain' | 'handle' | 'marker' | 'registrar' | 'contact' | 'plain';

interface BlockInfo {
  kind: BlockKind;
  /** Whose the block's unprefixed contact keys are. */
  party?: Party;
  handle?: string;
}

const ROLE_WORDS: Readonly<Record<string, Role>> = {
  registrant: 'registrant',
  administrative: 'admin',
  admin: 'admin',
  technical: 'tech',
  tech: 'tech',
  billing: 'billing',
};

export interface InterpretOptions {
  /** The domain the caller expects the reply to be about, for the registry's date convention when the reply names none. */
  readonly domain?: string | undefined;
}

export function interpret(lay: Layout, options: InterpretOptions = {}): Interpretation {
  return new Interpreter(lay, options).run();
}

/**
 * ccTLDs whose registries write `MM/DD/YYYY` (the United States and registries run from there:
 * Freenom's .tk/.ml/.ga/.cf/.gq, .fm, .pw, .ph). Other ccTLD registries write the day first
 * (`02/01/2020` is 2 January at AFNIC, .pt, .vn …); gTLD registrars follow no one convention.
 */
const MONTH_FIRST_TLDS = new Set(['us', 'tk', 'ml', 'ga', 'cf', 'gq', 'fm', 'pw', 'ph', 'as', 'gu', 'vi', 'mp']);

/** The day/month order a registry's `NN/NN/YYYY` dates follow, from its TLD, or undefined when it has none. */
export function registryDayFirst(domain: string | undefined): boolean | undefined {
  const tld = domain?.toLowerCase().replace(/\.$/, '').split('.').at(-1);
  if (tld === undefined || !/^[a-z]{2}$/.test(tld)) return undefined;
  return !MONTH_FIRST_TLDS.has(tld);
}

class Interpreter {
  private readonly domains: { value: string; line: number }[] = [];
  private readonly registrar = new Best();
  private readonly whoisServer = new Best();
  private readonly nameServers: string[] = [];
  private readonly weakNameServers: string[] = [];
  private readonly status: string[] = [];
  /** Date values as given, parsed at the end once the reply's day/month order is known. */
  private readonly dateCandidates: { field: DateField; raw: string; rank: number }[] = [];
  /** What the reply's own dates say of their day/month order (`13/01/2020` is day first). */
  private readonly dayOrderVotes: boolean[] = [];
  private readonly contacts = new Map<Role, ContactDraft>(ROLES.map((r) => [r, new ContactDraft()]));
  private readonly refs = new Map<Role, string>();
  private readonly objects = new Map<string, ContactDraft>();
  private readonly blocks = new Map<number, BlockInfo>();
  /** Lines where a `Registrar: HANDLE` opened a registrar context: the handle is not the name. */
  private readonly contextLines = new Set<number>();

  constructor(
    private readonly lay: Layout,
    private readonly options: InterpretOptions,
  ) {
    for (const s of lay.sections) if (s.value !== undefined) this.contextLines.add(s.line);
  }

  run(): Interpretation {
    this.classifyBlocks();
    for (const entry of this.lay.entries) this.entry(entry);
    for (const section of this.lay.sections) this.unlabelled(section);
    for (const [role, handle] of this.refs) {
      const object = this.objects.get(handle.toLowerCase());
      if (object) this.contacts.get(role)!.absorb(object, 0);
    }
    // A registry that publishes only the holder's handle (`holder: abc123-00001`, .se/.nu) names
    // the registrant by it: the handle is the holding entity's identity in that registry, the
    // same across all its domains, so it stands as the registrant organisation.
    const holder = this.refs.get('registrant');
    const registrant = this.contacts.get('registrant')!;
    if (holder !== undefined && !this.objects.has(holder.toLowerCase()) && !registrant.named && looksLikeHandle(holder)) {
      registrant.offer('organization', holder, 9);
    }
    const dates = this.resolveDates();
    const contacts = Object.fromEntries(ROLES.map((r) => [r, this.contacts.get(r)!.values()])) as Record<Role, ContactValues>;
    const out: Interpretation = {
      domains: this.domains.sort((a, b) => a.line - b.line).map((d) => d.value),
      nameServers: this.nameServers,
      weakNameServers: this.weakNameServers,
      status: this.status,
      dates,
      contacts,
    };
    const registrar = this.registrar.value;
    const whoisServer = this.whoisServer.value;
    return { ...out, ...(registrar === undefined ? {} : { registrar }), ...(whoisServer === undefined ? {} : { whoisServer }) };
  }

  /** RIPE-style replies are blank-line separated objects; what an object is decides whose its keys are. */
  private classifyBlocks(): void {
    const byBlock = new Map<number, Entry[]>();
    for (const e of this.lay.entries) {
      if (e.section !== undefined) continue;
      const list = byBlock.get(e.block) ?? [];
      list.push(e);
      byBlock.set(e.block, list);
    }
    const taken = new Set<Role>();
    const unnamed: BlockInfo[] = [];
    for (const [block, entries] of byBlock) {
      const info = this.classifyBlock(entries);
      this.blocks.set(block, info);
      if (info.kind === 'marker' || (info.kind === 'domain' && info.party !== undefined)) taken.add(info.party as Role);
      if (info.kind === 'contact') unnamed.push(info);
      for (const e of entries) {
        const m = keyMeaning(e.key);
        if ((m?.kind === 'ref' || m?.kind === 'party') && isRole(m.party) && looksLikeHandle(e.value)) taken.add(m.party);
      }
    }
    const queue = ROLES.filter((r) => !taken.has(r));
    for (const info of unnamed) info.party = queue.shift() ?? 'other';
  }

  private classifyBlock(entries: readonly Entry[]): BlockInfo {
    const meanings = entries.map((e) => keyMeaning(e.key));
    const handleAt = meanings.findIndex((m) => m?.kind === 'handle');
    if (handleAt >= 0) return { kind: 'handle', handle: entries[handleAt]!.value.toLowerCase() };
    const marker = entries.find((e, i) => meanings[i]?.kind === 'contact' && ROLE_WORDS[e.value.toLowerCase()] !== undefined);
    if (marker) return { kind: 'marker', party: ROLE_WORDS[marker.value.toLowerCase()]! };
    const hasContactKeys = meanings.some((m) => (m?.kind === 'attr' && m.party === undefined) || m?.kind === 'contact');
    if (meanings.some((m) => m?.kind === 'domain')) return hasContactKeys ? { kind: 'domain', party: 'registrant' } : { kind: 'domain' };
    if (meanings[0]?.kind === 'registrar' && hasContactKeys) return { kind: 'registrar', party: 'registrar' };
    return hasContactKeys ? { kind: 'contact' } : { kind: 'plain' };
  }

  /** Whose the unprefixed contact keys of `e` are; 'domain' inside a domain section (`name:` is the domain there). */
  private partyOf(e: Entry): Party | 'domain' | undefined {
    const s = e.section;
    if (s) {
      if (s.meaning.kind === 'party') return s.meaning.party;
      if (s.meaning.kind === 'domain') return 'domain';
      return undefined;
    }
    const b = this.blocks.get(e.block);
    if (!b) return undefined;
    if (b.kind === 'domain') return b.party ?? 'registrant';
    return b.party;
  }

  /** Whether undated-by-name keys (`created`, `changed`, `status`) here are the domain's, not a contact's. */
  private isDomainContext(e: Entry): boolean {
    const s = e.section;
    if (s) return s.meaning.kind === 'domain' || s.meaning.kind === 'dates' || s.meaning.kind === 'status' || (s.meaning.kind === 'other' && s.meaning.party === undefined);
    const b = this.blocks.get(e.block);
    return b === undefined || b.kind === 'domain' || b.kind === 'plain';
  }

  private handleObject(e: Entry): ContactDraft | undefined {
    if (e.section) return undefined;
    const b = this.blocks.get(e.block);
    if (b?.kind !== 'handle' || b.handle === undefined) return undefined;
    let draft = this.objects.get(b.handle);
    if (!draft) {
      draft = new ContactDraft();
      this.objects.set(b.handle, draft);
    }
    return draft;
  }

  private entry(e: Entry): void {
    const m = keyMeaning(e.key);
    if (!m) return;
    if (m.kind === 'date') {
      const vote = dayOrderEvidence(e.value);
      if (vote !== undefined) this.dayOrderVotes.push(vote);
    }
    const object = this.handleObject(e);
    if (object) {
      this.objectEntry(object, e, m);
      return;
    }
    switch (m.kind) {
      case 'domain':
        if (this.partyOf(e) === undefined || this.isDomainContext(e)) this.domain(e.value, e.line);
        return;
      case 'registrar':
        if (!this.contextLines.has(e.line)) this.offerRegistrar(e.value, m.rank);
        return;
      case 'whois_server': {
        const host = whoisServerHost(e.value);
        if (host !== undefined) this.whoisServer.offer(host, 0);
        return;
      }
      case 'name_server':
        this.nameServer(e, m);
        return;
      case 'status':
        this.statusEntry(e);
        return;
      case 'date':
        if (m.global || this.isDomainContext(e)) this.offerDate(m.field, e.value, m.rank);
        return;
      case 'handle':
        return;
      case 'ref':
        if (isRole(m.party) && !this.refs.has(m.party) && e.value !== '') this.refs.set(m.party, e.value.trim());
        return;
      case 'party':
        this.partyEntry(e, m.party, m.orgFirst);
        return;
      case 'contact': {
        if (ROLE_WORDS[e.value.toLowerCase()] !== undefined) return;
        this.attrEntry(e, { kind: 'attr', party: undefined, attr: 'name', rank: 1 });
        return;
      }
      case 'attr':
        this.attrEntry(e, m);
        return;
    }
  }

  private objectEntry(object: ContactDraft, e: Entry, m: KeyMeaning): void {
    if (m.kind === 'attr') object.offer(m.attr, e.value, m.rank, e.more);
    else if (m.kind === 'contact') object.offer('name', e.value, 1);
  }

  private domain(value: string, line: number): void {
    const first = value.trim().split(/\s+/)[0] ?? '';
    if (first !== '') this.domains.push({ value: first, line });
  }

  private offerRegistrar(raw: string, rank: number): void {
    // `MarkMonitor Inc. (http://www.markmonitor.com)`, `NETPLANET GmbH ( https://nic.at/registrar/597 )`.
    const value = raw.replace(/\s+\(\s*https?:\/\/[^)]*\)\s*$/i, '').trim();
    if (isRedaction(value)) return;
    this.registrar.offer(value, rank);
  }

  private nameServer(e: Entry, m: Extract<KeyMeaning, { kind: 'name_server' }>): void {
    if (m.inSectionOnly && e.section?.meaning.kind !== 'name_servers') return;
    if (e.section?.meaning.kind === 'party') return;
    const target = m.weak ? this.weakNameServers : this.nameServers;
    for (const line of [e.value, ...e.more]) target.push(...nameServerHosts(line));
  }

  private statusEntry(e: Entry): void {
    // `State:` in a contact block is the state or province (.tk, .kz), not the domain's state.
    const party = e.section ? this.partyOf(e) : undefined;
    if (e.key === 'state' && party !== undefined && party !== 'domain') {
      this.attrEntry(e, { kind: 'attr', party: undefined, attr: 'state', rank: 0 });
      return;
    }
    if (!this.isDomainContext(e)) return;
    for (const line of [e.value, ...e.more]) this.status.push(...statusValues(line));
  }

  private offerDate(field: DateField, value: string, rank: number): void {
    this.dateCandidates.push({ field, raw: value, rank });
  }

  /**
   * Each date field's best parseable candidate. Ambiguous `NN/NN/YYYY` dates follow the order the
   * reply's unambiguous ones show (`Created: 13/01/2020` makes `Expires: 02/01/2030` 2 January),
   * else the registry's convention (registryDayFirst).
   */
  private resolveDates(): Partial<Record<DateField, string>> {
    const votes = this.dayOrderVotes;
    const dayFirstVotes = votes.filter((v) => v).length;
    const monthFirstVotes = votes.length - dayFirstVotes;
    const domain = this.domains.length > 0 ? [...this.domains].sort((a, b) => a.line - b.line)[0]!.value : this.options.domain;
    const dayFirst = dayFirstVotes !== monthFirstVotes ? dayFirstVotes > monthFirstVotes : registryDayFirst(domain ?? this.options.domain);
    const best = new Map<DateField, Best>();
    for (const c of this.dateCandidates) {
      const iso = parseWhoisDate(c.raw, { dayFirst });
      if (iso === undefined) continue;
      let b = best.get(c.field);
      if (!b) {
        b = new Best();
        best.set(c.field, b);
      }
      b.offer(iso, c.rank);
    }
    const dates: Partial<Record<DateField, string>> = {};
    for (const [field, b] of best) if (b.value !== undefined) dates[field] = b.value;
    return dates;
  }

  private partyEntry(e: Entry, party: Party, orgFirst: boolean): void {
    if (!isRole(party) || e.value === '') return;
    if (looksLikeHandle(e.value)) {
      if (!this.refs.has(party)) this.refs.set(party, e.value.trim());
      return;
    }
    this.contacts.get(party)!.setPartyValue(e.value, orgFirst);
  }

  private attrEntry(e: Entry, m: Extract<KeyMeaning, { kind: 'attr' }>): void {
    const party = m.party ?? this.partyOf(e);
    if (party === 'domain') {
      if (m.attr === 'name') this.domain(e.value, e.line);
      else this.contacts.get('registrant')!.offer(m.attr, e.value, m.rank, e.more);
      return;
    }
    if (party === 'registrar') {
      // `Name: MARKMONITOR-REG` beside `Organization: MarkMonitor International Limited` (.it):
      // a registry handle is the registrar's id, not its name.
      if (m.attr === 'name') this.offerRegistrar(e.value, isRegistryHandle(e.value) ? 3 : 1);
      else if (m.attr === 'organization') this.offerRegistrar(e.value, 2);
      return;
    }
    if (party === undefined || party === 'other') return;
    this.contacts.get(party)!.offer(m.attr, e.value, m.rank, e.more);
  }

  /** Unlabelled lines under a header: the domain, name servers, statuses, a registrar or a contact block. */
  private unlabelled(s: Section): void {
    if (s.free.length === 0) return;
    const texts = s.free.map((f) => f.text);
    switch (s.meaning.kind) {
      case 'domain':
        this.domain(texts[0]!, s.free[0]!.line);
        return;
      case 'name_servers':
        for (const t of texts) this.nameServers.push(...nameServerHosts(t));
        return;
      case 'status':
        for (const t of texts) this.status.push(...statusValues(t));
        return;
      case 'party': {
        const party = s.meaning.party;
        if (party === 'registrar') {
          const first = texts.find((t) => !isRedaction(t));
          if (first !== undefined) this.offerRegistrar(first, 1);
        } else if (party !== undefined && isRole(party)) {
          offerUnlabelled(this.contacts.get(party)!, texts, party === 'registrant', s.meaning.orgFirst === true, 1);
        }
        return;
      }
      case 'dates':
      case 'other':
        return;
    }
  }
}

/** `MARKMONITOR-REG`, `REG-MOJEID`, `ua.markmonitor`: one token naming a registrar object, not a name. */
function isRegistryHandle(value: string): boolean {
  const text = value.trim();
  return /^[A-Z0-9]+(?:[-_][A-Z0-9]+)+$/.test(text) || /^[a-z0-9]+(?:[._-][a-z0-9]+)+$/.test(text);
}

function isRole(p: Party | undefined): p is Role {
  return p === 'registrant' || p === 'admin' || p === 'tech' || p === 'billing';
}

/**
 * Status values as given, without the ICANN explanation URL (`clientHold https://icann.org/epp#clientHold`,
 * `ok (https://www.icann.org/epp#ok)`); a comma list of codes (`clientUpdateProhibited,clientDeleteProhibited`)
 * is several values.
 */
export function statusValues(raw: string): string[] {
  const text = raw
    .replace(/\s*\(?\s*https?:\/\/\S*\)?\s*$/i, '')
    .replace(/\s+-$/, '')
    .trim();
  if (text === '' || isPlaceholder(text)) return [];
  const parts = text.split(/\s*,\s*/);
  if (parts.length > 1 && parts.every((p) => /^[A-Za-z]+$/.test(p))) return parts;
  return [text];
}

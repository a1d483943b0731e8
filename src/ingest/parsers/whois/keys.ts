// What a WHOIS key means. Registries name the same thing dozens of ways (`Creation Date`,
// `created`, `Registered on`, `[Created on]`, `Domain record activated`, `registered`…), and
// contact keys carry their party in the key (`Registrant Email`, `AC E-Mail`, `admin-c`) or in the
// section they sit in (`Registrant:` followed by `name:`). Keys are matched in a normal form:
// lower case, no parentheses, punctuation as spaces.

export type Role = 'registrant' | 'admin' | 'tech' | 'billing';
/** Who a contact key is about: a contact role, the registrar, or someone we do not record (reseller, abuse desk). */
export type Party = Role | 'registrar' | 'other';
export type Attr =
  | 'name'
  | 'given'
  | 'family'
  | 'organization'
  | 'email'
  | 'phone'
  | 'street'
  | 'city'
  | 'state'
  | 'postal_code'
  | 'country';
export type DateField = 'created' | 'updated' | 'expires';

export const ROLES: readonly Role[] = ['registrant', 'admin', 'tech', 'billing'];

export type KeyMeaning =
  | { readonly kind: 'domain' }
  | { readonly kind: 'registrar'; readonly rank: number }
  | { readonly kind: 'whois_server' }
  | { readonly kind: 'name_server'; readonly inSectionOnly: boolean; readonly weak: boolean }
  | { readonly kind: 'status' }
  /** `global`: the key names the domain's date wherever it stands (`Expiry Date` inside a contact block). */
  | { readonly kind: 'date'; readonly field: DateField; readonly global: boolean; readonly rank: number }
  /** A contact object's own handle (`nic-hdl`). */
  | { readonly kind: 'handle' }
  /** A reference to a contact object (`admin-c: XY12-FRNIC`). */
  | { readonly kind: 'ref'; readonly party: Party }
  /** A key that is only a party (`Registrant`, `Administrative contact`): a section, or a value for it. */
  | { readonly kind: 'party'; readonly party: Party; readonly orgFirst: boolean }
  | { readonly kind: 'attr'; readonly party: Party | undefined; readonly attr: Attr; readonly rank: number }
  /** `contact: administrative` in IANA replies: the block that follows is that role's. */
  | { readonly kind: 'contact' };

/** The normal form keys are matched in. */
export function normaliseKey(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[[\]]/g, ' ')
    // `** Registrar:` (.tr), `* Created on` bullets.
    .replace(/^[\s*•>-]+/, '')
    .replace(/[_\-/.:'’]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Rule {
  readonly re: RegExp;
  readonly meaning: KeyMeaning;
}

const rule = (re: RegExp, meaning: KeyMeaning): Rule => ({ re, meaning });
const date = (field: DateField, global: boolean, rank = 0): KeyMeaning => ({ kind: 'date', field, global, rank });

/** Keys about the domain itself, matched on the whole key before any party prefix is considered. */
const DOMAIN_RULES: readonly Rule[] = [
  rule(/^(?:domain|domain ?name|domain name \d|query|puny name|ascii|도메인이름)$/, { kind: 'domain' }),
  rule(/^(?:registrar|registrar name|sponsoring registrar|sponsoring registrar name|registration service provider|registration service provided by|registrar of record|authorized agency|current regist?r?ar|registrar company)$/, {
    kind: 'registrar',
    rank: 0,
  }),
  rule(/^(?:registrar organi[sz]ation|등록대행자)$/, { kind: 'registrar', rank: 2 }),
  rule(/^(?:registrar whois server|registry whois server|whois server|whois)$/, { kind: 'whois_server' }),
  rule(/^(?:name ?servers?|nserver|ns name \d+|nameservers? information|name servers? information|domain name ?servers|domain servers in listed order|nameserver in listed order|primary server|secondary server|primary name server|secondary name server|\d차 네임서버 정보)$/, {
    kind: 'name_server',
    inSectionOnly: false,
    weak: false,
  }),
  rule(/^dns$/, { kind: 'name_server', inSectionOnly: false, weak: true }),
  rule(/^(?:host ?name|호스트이름)$/, { kind: 'name_server', inSectionOnly: true, weak: false }),
  rule(/^(?:domain status|status|state|registration status|epp status|domain state)$/, { kind: 'status' }),

  rule(
    /^(?:creation date|created date|date created|registration date|registration time|domain record activated|record created(?: on)?|domain registered|domain created|domain creation date|domain registration date|domain name commencement date|first registration date|registered date|date registered|date of registration|registered since|registry creation date)$/,
    date('created', true),
  ),
  rule(/^(?:created|created on|registered|registered on|activated|creation|created at)$/, date('created', false)),
  rule(/^등록일$/, date('created', true, 2)),

  rule(
    /^(?:updated date|last updated date|domain record last updated|domain datelastmodified|record last updated(?: on)?|record last modified(?: on)?|modification date|modified date|date modified|update date|date updated|domain last updated|domain last modified|domain updated|last modified date|last modification date|last modification|last updated on|last modified on|updated on|date of last (?:change|modification|update)|last change date|domain changed|registration last updated|registry updated date)$/,
    date('updated', true),
  ),
  rule(/^(?:updated|last updated|last update|last modified|modified|changed|last changed|last change|update|last updated at)$/, date('updated', false)),
  rule(/^최근 정보 변경일$/, date('updated', true, 2)),

  rule(
    /^(?:registry expiry date|registrar registration expiration date|expiration date|expiry date|expire date|expires date|date expires|domain expires|domain expiration date|domain expiry date|record expires(?: on)?|record will expire on|expiration time|valid until|valid till|paid till|renewal date|date of expiration)$/,
    date('expires', true),
  ),
  rule(/^(?:expires|expire|expires on|expiry|expiration|expires at)$/, date('expires', false)),
  rule(/^사용 종료일$/, date('expires', true, 2)),

  rule(/^nic hdl(?: br)?$/, { kind: 'handle' }),
  rule(/^contact$/, { kind: 'contact' }),
];

const PARTY_PREFIXES: readonly [RegExp, Party][] = [
  [/^(?:registrant|owner|holder|domain holder|domain owner|domain registrant|organization using domain name)\b/, 'registrant'],
  [/^(?:administrative|admin|ac)\b/, 'admin'],
  [/^(?:technical|tech)\b/, 'tech'],
  [/^(?:billing|bill)\b/, 'billing'],
  [/^(?:registrar|sponsoring registrar)\b/, 'registrar'],
  [/^(?:reseller|abuse|onsites?|zone|registry)\b/, 'other'],
];

/** Words that may follow the party without naming an attribute: `Admin Contact`, `Registrant Contact Information`. */
const PARTY_SUFFIX = /^(?:contact information|contact agent|contacts?|information|info)\b\s*/;

interface AttrRule {
  readonly re: RegExp;
  readonly attr: Attr;
  readonly rank: number;
}

const ATTRS: readonly AttrRule[] = [
  { re: /^(?:name|contact name|person|personname|person name|full name|english name|contact)$/, attr: 'name', rank: 0 },
  { re: /^(?:person loc|name loc|chinese name)$/, attr: 'name', rank: 2 },
  { re: /^(?:given name|first name)$/, attr: 'given', rank: 0 },
  { re: /^(?:family name|last name|surname)$/, attr: 'family', rank: 0 },
  { re: /^(?:organi[sz]ation|org|company|company name|organi[sz]ation name|company english name|org name)$/, attr: 'organization', rank: 0 },
  { re: /^network service name$/, attr: 'organization', rank: 1 },
  { re: /^(?:organi[sz]ation loc|company chinese name)$/, attr: 'organization', rank: 2 },
  { re: /^(?:e ?mail|email address|e mail address|contact email|contact e ?mail|mail)$/, attr: 'email', rank: 0 },
  { re: /^(?:phone|phone number|telephone|tel|voice|contact phone)$/, attr: 'phone', rank: 0 },
  { re: /^(?:street|street \d|street\d|address|address\d|address \d|street address|postal address|address line ?\d?)$/, attr: 'street', rank: 0 },
  { re: /^address loc$/, attr: 'street', rank: 2 },
  { re: /^(?:city|town)$/, attr: 'city', rank: 0 },
  { re: /^city loc$/, attr: 'city', rank: 2 },
  { re: /^(?:state|province|state province|state or province)$/, attr: 'state', rank: 0 },
  { re: /^(?:postal ?code|post ?code|zip|zip ?code|postal code loc)$/, attr: 'postal_code', rank: 0 },
  { re: /^(?:country|country ?code|country region)$/, attr: 'country', rank: 0 },
  { re: /^country loc$/, attr: 'country', rank: 2 },
];

function attrOf(rest: string): AttrRule | undefined {
  return ATTRS.find((a) => a.re.test(rest));
}

const cache = new Map<string, KeyMeaning | undefined>();

/** What a normalised key means, or undefined for keys the parser does not use. */
export function keyMeaning(key: string): KeyMeaning | undefined {
  if (cache.has(key)) return cache.get(key);
  const meaning = computeMeaning(key);
  if (cache.size < 10_000) cache.set(key, meaning);
  return meaning;
}

function computeMeaning(key: string): KeyMeaning | undefined {
  if (key === '' || key.length > 80) return undefined;
  for (const r of DOMAIN_RULES) if (r.re.test(key)) return r.meaning;
  for (const [re, party] of PARTY_PREFIXES) {
    const m = re.exec(key);
    if (!m) continue;
    const rest = key.slice(m[0].length).trim().replace(PARTY_SUFFIX, '').trim();
    // br's `owner:` names the holding organisation; its person is behind `owner-c`.
    if (rest === '') return { kind: 'party', party, orgFirst: key === 'owner' };
    if (rest === 'c') return { kind: 'ref', party };
    const a = attrOf(rest);
    if (a) return { kind: 'attr', party, attr: a.attr, rank: a.rank };
    return undefined;
  }
  const a = attrOf(key);
  if (a) return { kind: 'attr', party: undefined, attr: a.attr, rank: a.rank };
  return undefined;
}

export type SectionKind = 'party' | 'name_servers' | 'domain' | 'dates' | 'status' | 'other';

export interface SectionMeaning {
  readonly kind: SectionKind;
  readonly party?: Party;
  /** `Organisation:` blocks (.tk) list the organisation before the person. */
  readonly orgFirst?: boolean;
}

/** The section a header line opens, or undefined when the text is not a known header. */
export function sectionMeaning(key: string): SectionMeaning | undefined {
  if (/^(?:domain|domain name|domain information|domain details)$/.test(key)) return { kind: 'domain' };
  if (/^(?:relevant dates|important dates|dates)$/.test(key)) return { kind: 'dates' };
  if (/^(?:domain status|registration status|status information|status)$/.test(key)) return { kind: 'status' };
  if (/^(?:contact information)$/.test(key)) return { kind: 'party', party: 'admin' };
  // .tw lists a lone `Contact:` block for the registrant.
  if (key === 'contact') return { kind: 'party', party: 'registrant' };
  if (/^(?:dnssec|data validation)$/.test(key)) return { kind: 'other' };
  const m = keyMeaning(key);
  if (m?.kind === 'name_server' && !m.inSectionOnly && !m.weak) return { kind: 'name_servers' };
  if (m?.kind === 'party') return { kind: 'party', party: m.party };
  // DENIC's `[Tech-C]`, `[Holder]` headers name the contact the block below describes.
  if (m?.kind === 'ref') return { kind: 'party', party: m.party };
  if (m?.kind === 'registrar' && m.rank === 0 && /^(?:registrar|sponsoring registrar)$/.test(key)) return { kind: 'party', party: 'registrar' };
  return undefined;
}

/** `Organisation:` as a header over unlabelled lines means the registrant (.tk). */
export function isOrganisationHeader(key: string): boolean {
  return /^organi[sz]ation$/.test(key);
}

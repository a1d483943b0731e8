// The field catalogue of ../shared/spec/fields.md, version 1: every field a signature can name.
// Kept as data so that validation ("did you mean"), the matcher and the docs read one list.

export type EntityKind = 'domain' | 'ip' | 'certificate';

export const ENTITY_KINDS: readonly EntityKind[] = ['domain', 'ip', 'certificate'];

/** What a field's values look like; decides normalisation and which match kinds make sense. */
export type ValueKind =
  | 'domain' // lower-case A-label, no trailing dot
  | 'unicode-domain' // U-label form of a domain
  | 'ip' // canonical IP text
  | 'cidr' // network in CIDR form
  | 'timestamp' // ISO 8601 UTC
  | 'email'
  | 'hex' // fingerprints (lower case) and serials (upper case)
  | 'number' // decimal text, e.g. an AS number
  | 'text';

export interface FieldDef {
  readonly name: string;
  readonly owner: EntityKind;
  readonly many: boolean;
  readonly value: ValueKind;
  /** One line for help texts and docs. */
  readonly description: string;
}

function def(name: string, owner: EntityKind, value: ValueKind, many: boolean, description: string): FieldDef {
  return { name, owner, value, many, description };
}

const DOMAIN_FIELDS: FieldDef[] = [
  def('domain', 'domain', 'domain', false, 'fully qualified name, lower case A-label, no trailing dot'),
  def('domain.registered', 'domain', 'domain', false, 'registrable domain (public suffix + one label)'),
  def('domain.tld', 'domain', 'domain', false, 'public suffix, e.g. co.uk'),
  def('domain.subdomain', 'domain', 'domain', false, 'labels left of the registrable domain'),
  def('domain.unicode', 'domain', 'unicode-domain', false, 'U-label (Unicode) form of the domain'),
  def('domain.skeleton', 'domain', 'unicode-domain', false, 'Unicode form with confusables folded to ASCII'),
];

const IP_FIELDS: FieldDef[] = [
  def('ip', 'ip', 'ip', false, 'canonical IP text'),
  def('network', 'ip', 'cidr', false, 'routed prefix holding the IP'),
  def('as.number', 'ip', 'number', false, 'origin AS number as decimal text'),
  def('as.name', 'ip', 'text', false, 'AS name / organisation'),
];

export const WHOIS_CONTACTS = ['registrant', 'admin', 'tech', 'billing'] as const;
export type WhoisContact = (typeof WHOIS_CONTACTS)[number];

function whoisContactFields(contact: WhoisContact): FieldDef[] {
  const p = `whois.${contact}`;
  return [
    def(`${p}.name`, 'domain', 'text', false, `${contact} contact name`),
    def(`${p}.organization`, 'domain', 'text', false, `${contact} contact organisation`),
    def(`${p}.email`, 'domain', 'email', false, `${contact} contact email`),
    def(`${p}.phone`, 'domain', 'text', false, `${contact} contact phone, as given`),
    def(`${p}.street`, 'domain', 'text', true, `${contact} street lines`),
    def(`${p}.city`, 'domain', 'text', false, `${contact} city`),
    def(`${p}.state`, 'domain', 'text', false, `${contact} state or province`),
    def(`${p}.postal_code`, 'domain', 'text', false, `${contact} postal code`),
    def(`${p}.country`, 'domain', 'text', false, `${contact} country`),
  ];
}

const WHOIS_FIELDS: FieldDef[] = [
  def('whois.registrar', 'domain', 'text', false, 'registrar name'),
  def('whois.whois_server', 'domain', 'domain', false, 'registrar WHOIS server'),
  def('whois.name_servers', 'domain', 'domain', true, 'name servers, lower case, no trailing dot'),
  def('whois.status', 'domain', 'text', true, 'status values as given'),
  def('whois.created', 'domain', 'timestamp', false, 'creation date, ISO 8601 UTC'),
  def('whois.updated', 'domain', 'timestamp', false, 'last update, ISO 8601 UTC'),
  def('whois.expires', 'domain', 'timestamp', false, 'expiry date, ISO 8601 UTC'),
  ...WHOIS_CONTACTS.flatMap(whoisContactFields),
  def('whois.email', 'domain', 'email', true, 'every email anywhere in the record'),
  def('whois.name', 'domain', 'text', true, 'every contact name'),
  def('whois.organization', 'domain', 'text', true, 'every contact organisation'),
  def('whois.phone', 'domain', 'text', true, 'every contact phone'),
  def('whois.address', 'domain', 'text', true, 'every contact address part'),
  def('whois.raw', 'domain', 'text', false, 'the raw record text'),
];

export const DN_ATTRIBUTES = [
  'common_name',
  'organization',
  'organizational_unit',
  'country',
  'state_or_province',
  'locality',
  'email_address',
] as const;
export type DnAttribute = (typeof DN_ATTRIBUTES)[number];

function dnFields(which: 'subject' | 'issuer'): FieldDef[] {
  return [
    ...DN_ATTRIBUTES.map((a) => def(`x509.${which}.${a}`, 'certificate', 'text', true, `${which} ${a.replace(/_/g, ' ')}`)),
    def(`x509.${which}.distinguished_name`, 'certificate', 'text', false, `whole ${which} DN as RFC 4514 text`),
  ];
}

const X509_FIELDS: FieldDef[] = [
  ...dnFields('subject'),
  ...dnFields('issuer'),
  def('x509.serial_number', 'certificate', 'hex', false, 'serial, upper-case hex without separators'),
  def('x509.alternative_names', 'certificate', 'text', true, 'every SAN entry as text'),
  def('x509.not_before', 'certificate', 'timestamp', false, 'validity start, ISO 8601 UTC'),
  def('x509.not_after', 'certificate', 'timestamp', false, 'validity end, ISO 8601 UTC'),
  def('x509.sha1', 'certificate', 'hex', false, 'SHA-1 of the DER, lower-case hex'),
  def('x509.sha256', 'certificate', 'hex', false, 'SHA-256 of the DER, lower-case hex'),
  def('x509.signature_algorithm', 'certificate', 'text', false, 'e.g. sha256WithRSAEncryption'),
  def('x509.public_key_algorithm', 'certificate', 'text', false, 'e.g. rsaEncryption'),
];

export const FIELDS: readonly FieldDef[] = [...DOMAIN_FIELDS, ...IP_FIELDS, ...WHOIS_FIELDS, ...X509_FIELDS];

const BY_NAME: ReadonlyMap<string, FieldDef> = new Map(FIELDS.map((f) => [f.name, f]));

export function fieldDef(name: string): FieldDef | undefined {
  return BY_NAME.get(name);
}

export function isField(name: string): boolean {
  return BY_NAME.has(name);
}

/** Fields on which a `cidr` pattern is meaningful (signatures.md). */
export const CIDR_FIELDS: ReadonlySet<string> = new Set(['ip', 'network']);

/** Fields `warren scan` derives from `domain` when the input lacks them. */
export const DOMAIN_DERIVED_FIELDS = [
  'domain.registered',
  'domain.tld',
  'domain.subdomain',
  'domain.unicode',
  'domain.skeleton',
] as const;

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

/**
 * Where a stored entity's value of a field comes from. `services/field-provider.ts` builds the
 * values of every source (for evaluation, lookup and search); a new field names one of these, a
 * new place to read values from is a new source there.
 */
export type FieldSource =
  | 'key' // the entity's own id: the domain name, the IP, the certificate's SHA-256
  | 'derived' // computed from the domain name (public suffix list, punycode, confusables)
  | 'whois' // the domain's newest stored WHOIS version (its parsed fields)
  | 'whois-raw' // the raw reply text of that version (stored apart: it is large)
  | 'routing' // the most specific stored AS range holding the IP
  | 'registration' // the most specific stored IP network registration (RDAP ip network) holding the IP
  | 'certificate'; // the certificate's stored fields (from its DER)

export const FIELD_SOURCES: readonly FieldSource[] = ['key', 'derived', 'whois', 'whois-raw', 'routing', 'registration', 'certificate'];

export interface FieldDef {
  readonly name: string;
  readonly owner: EntityKind;
  readonly many: boolean;
  readonly value: ValueKind;
  /** Where a stored entity's values of this field come from. */
  readonly source: FieldSource;
  /** One line for help texts and docs. */
  readonly description: string;
}

function def(name: string, owner: EntityKind, value: ValueKind, many: boolean, description: string, source: FieldSource): FieldDef {
  return { name, owner, value, many, source, description };
}

const DOMAIN_FIELDS: FieldDef[] = [
  def('domain', 'domain', 'domain', false, 'fully qualified name, lower case A-label, no trailing dot', 'key'),
  def('domain.registered', 'domain', 'domain', false, 'registrable domain (public suffix + one label)', 'derived'),
  def('domain.tld', 'domain', 'domain', false, 'public suffix, e.g. co.uk', 'derived'),
  def('domain.subdomain', 'domain', 'domain', false, 'labels left of the registrable domain', 'derived'),
  def('domain.unicode', 'domain', 'unicode-domain', false, 'U-label (Unicode) form of the domain', 'derived'),
  def('domain.skeleton', 'domain', 'unicode-domain', false, 'Unicode form with confusables folded to ASCII', 'derived'),
];

const IP_FIELDS: FieldDef[] = [
  def('ip', 'ip', 'ip', false, 'canonical IP text', 'key'),
  def('network', 'ip', 'cidr', false, 'routed prefix holding the IP', 'routing'),
  def('as.number', 'ip', 'number', false, 'origin AS number as decimal text', 'routing'),
  def('as.name', 'ip', 'text', false, 'AS name / organisation', 'routing'),
  // live.md "Network fields": the registration of the block holding the IP (RDAP ip network).
  def('network.name', 'ip', 'text', false, 'registered network name (netname), e.g. RIPE-NCC', 'registration'),
  def('network.handle', 'ip', 'text', false, "the registry's handle of the network, e.g. NET-192-198-0-0-1", 'registration'),
  def('network.range', 'ip', 'cidr', true, 'the registered block as CIDR networks', 'registration'),
  def('network.country', 'ip', 'text', false, 'country code of the registration, upper case (e.g. NL)', 'registration'),
  def('network.organization', 'ip', 'text', false, 'the registrant organisation', 'registration'),
  // Many: an abuse contact may give several addresses, and several entities may hold the role.
  def('network.abuse_email', 'ip', 'email', true, 'abuse contact emails', 'registration'),
  def('network.registry', 'ip', 'text', false, 'the registry: arin, ripe, apnic, lacnic or afrinic', 'registration'),
  def('network.created', 'ip', 'timestamp', false, 'registration date, ISO 8601 UTC', 'registration'),
];

export const WHOIS_CONTACTS = ['registrant', 'admin', 'tech', 'billing'] as const;
export type WhoisContact = (typeof WHOIS_CONTACTS)[number];

function whoisContactFields(contact: WhoisContact): FieldDef[] {
  const p = `whois.${contact}`;
  return [
    def(`${p}.name`, 'domain', 'text', false, `${contact} contact name`, 'whois'),
    def(`${p}.organization`, 'domain', 'text', false, `${contact} contact organisation`, 'whois'),
    def(`${p}.email`, 'domain', 'email', false, `${contact} contact email`, 'whois'),
    def(`${p}.phone`, 'domain', 'text', false, `${contact} contact phone, as given`, 'whois'),
    def(`${p}.street`, 'domain', 'text', true, `${contact} street lines`, 'whois'),
    def(`${p}.city`, 'domain', 'text', false, `${contact} city`, 'whois'),
    def(`${p}.state`, 'domain', 'text', false, `${contact} state or province`, 'whois'),
    def(`${p}.postal_code`, 'domain', 'text', false, `${contact} postal code`, 'whois'),
    def(`${p}.country`, 'domain', 'text', false, `${contact} country`, 'whois'),
  ];
}

const WHOIS_FIELDS: FieldDef[] = [
  def('whois.registrar', 'domain', 'text', false, 'registrar name', 'whois'),
  def('whois.whois_server', 'domain', 'domain', false, 'registrar WHOIS server', 'whois'),
  def('whois.name_servers', 'domain', 'domain', true, 'name servers, lower case, no trailing dot', 'whois'),
  def('whois.status', 'domain', 'text', true, 'status values as given', 'whois'),
  def('whois.created', 'domain', 'timestamp', false, 'creation date, ISO 8601 UTC', 'whois'),
  def('whois.updated', 'domain', 'timestamp', false, 'last update, ISO 8601 UTC', 'whois'),
  def('whois.expires', 'domain', 'timestamp', false, 'expiry date, ISO 8601 UTC', 'whois'),
  ...WHOIS_CONTACTS.flatMap(whoisContactFields),
  def('whois.email', 'domain', 'email', true, 'every email anywhere in the record', 'whois'),
  def('whois.name', 'domain', 'text', true, 'every contact name', 'whois'),
  def('whois.organization', 'domain', 'text', true, 'every contact organisation', 'whois'),
  def('whois.phone', 'domain', 'text', true, 'every contact phone', 'whois'),
  def('whois.address', 'domain', 'text', true, 'every contact address part', 'whois'),
  def('whois.raw', 'domain', 'text', false, 'the raw record text', 'whois-raw'),
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
    ...DN_ATTRIBUTES.map((a) => def(`x509.${which}.${a}`, 'certificate', 'text', true, `${which} ${a.replace(/_/g, ' ')}`, 'certificate')),
    def(`x509.${which}.distinguished_name`, 'certificate', 'text', false, `whole ${which} DN as RFC 4514 text`, 'certificate'),
  ];
}

const X509_FIELDS: FieldDef[] = [
  ...dnFields('subject'),
  ...dnFields('issuer'),
  def('x509.serial_number', 'certificate', 'hex', false, 'serial, upper-case hex without separators', 'certificate'),
  def('x509.alternative_names', 'certificate', 'text', true, 'every SAN entry as text', 'certificate'),
  def('x509.not_before', 'certificate', 'timestamp', false, 'validity start, ISO 8601 UTC', 'certificate'),
  def('x509.not_after', 'certificate', 'timestamp', false, 'validity end, ISO 8601 UTC', 'certificate'),
  def('x509.sha1', 'certificate', 'hex', false, 'SHA-1 of the DER, lower-case hex', 'certificate'),
  def('x509.sha256', 'certificate', 'hex', false, 'SHA-256 of the DER, lower-case hex', 'key'),
  def('x509.signature_algorithm', 'certificate', 'text', false, 'e.g. sha256WithRSAEncryption', 'certificate'),
  def('x509.public_key_algorithm', 'certificate', 'text', false, 'e.g. rsaEncryption', 'certificate'),
  // Beyond fields.md (docs/SIGNATURES.md "Fields beyond fields.md").
  def('x509.problems', 'certificate', 'text', true, 'conformance problems, e.g. extension 2.5.29.17 (subjectAltName): malformed: …', 'certificate'),
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

// JSON schemas of the PassiveTotal v2 routes. Query strings accept unknown parameters (real
// clients send extras such as compact_record, timeout, sources); a missing or malformed known one
// is a 400 in PassiveTotal's error shape (errors.ts renders it).
import { CERTIFICATE_KEYS, CERTIFICATE_SEARCH_FIELDS, WHOIS_SEARCH_FIELDS } from '../presenters/passivetotal.js';
import { ORG_QUERY } from '../schemas.js';

export const PT_TAG = ['passivetotal'];

export const QUERY_VALUE = { type: 'string', minLength: 1, maxLength: 1000, description: 'domain, IP address or certificate SHA-1' } as const;

/** `?query=` (required) plus the given parameters; anything else is tolerated. */
export function querystring(extra: Record<string, unknown> = {}, required: string[] = ['query']): Record<string, unknown> {
  return { type: 'object', properties: { ...ORG_QUERY, query: QUERY_VALUE, ...extra }, required };
}

export const WHOIS_FIELD = { type: 'string', enum: [...WHOIS_SEARCH_FIELDS] } as const;
export const CERTIFICATE_FIELD = { type: 'string', enum: [...CERTIFICATE_SEARCH_FIELDS] } as const;

const TIME_PARAM = {
  type: 'string',
  pattern: '^\\d{4}-\\d\\d-\\d\\d([ T]\\d\\d:\\d\\d:\\d\\dZ?)?$',
  description: 'YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (UTC)',
} as const;
export const PASSIVE_DNS_PARAMS = { start: TIME_PARAM, end: TIME_PARAM } as const;

export const TAGS_BODY = {
  type: 'object',
  properties: {
    query: QUERY_VALUE,
    // A string is taken as one comma-separated list (the Python client splits strings so too).
    // Bodies are not coerced: anything but a string or an array of strings is refused.
    tags: {
      anyOf: [
        { type: 'string', minLength: 1, maxLength: 1000 },
        { type: 'array', items: { type: 'string', maxLength: 1000 }, minItems: 1, maxItems: 100 },
      ],
    },
  },
  required: ['query', 'tags'],
} as const;

export const PT_CLASSIFICATIONS = ['malicious', 'suspicious', 'non-malicious', 'non_malicious', 'unknown'] as const;

export const CLASSIFICATION_BODY = {
  type: 'object',
  properties: { query: QUERY_VALUE, classification: { type: 'string', enum: [...PT_CLASSIFICATIONS] } },
  required: ['query', 'classification'],
} as const;

// ---------------------------------------------------------------------------------------------
// Responses (also the OpenAPI document). Every nullable value says so: fast-json-stringify
// would otherwise write null as "" or 0.

const S = { type: 'string' } as const;
const NS = { type: ['string', 'null'] } as const;
const STRINGS = { type: 'array', items: S } as const;

export const TAGS_RESPONSE = { type: 'object', properties: { tags: STRINGS }, required: ['tags'] } as const;

export const DOMAIN_ENRICHMENT = {
  type: 'object',
  properties: {
    queryValue: S,
    queryType: S,
    primaryDomain: NS,
    tld: NS,
    subdomains: STRINGS,
    tags: STRINGS,
    dynamicDns: { type: 'boolean' },
    everCompromised: { type: 'boolean' },
  },
  required: ['queryValue', 'queryType', 'primaryDomain', 'tld', 'subdomains', 'tags', 'dynamicDns', 'everCompromised'],
} as const;

export const IP_ENRICHMENT = {
  type: 'object',
  properties: {
    queryValue: S,
    queryType: S,
    network: NS,
    autonomousSystemName: NS,
    autonomousSystemNumber: { type: ['integer', 'null'] },
    country: NS,
    latitude: { type: ['number', 'null'] },
    longitude: { type: ['number', 'null'] },
    sinkhole: { type: 'boolean' },
    everCompromised: { type: 'boolean' },
    tags: STRINGS,
  },
  required: ['queryValue', 'queryType', 'network', 'autonomousSystemName', 'autonomousSystemNumber', 'sinkhole', 'everCompromised', 'tags'],
} as const;

export const ENRICHMENT_RESPONSE = { oneOf: [DOMAIN_ENRICHMENT, IP_ENRICHMENT] } as const;

const CONTACT = {
  type: 'object',
  properties: { name: S, organization: S, email: S, telephone: S, street: S, city: S, state: S, postalCode: S, country: S },
} as const;

export const WHOIS_RECORD = {
  type: 'object',
  properties: {
    domain: S,
    registrar: NS,
    whoisServer: NS,
    contactEmail: NS,
    nameServers: STRINGS,
    registered: NS,
    registryUpdatedAt: NS,
    expiresAt: NS,
    lastLoadedAt: NS,
    rawText: NS,
    organization: NS,
    name: NS,
    telephone: NS,
    registrant: CONTACT,
    admin: CONTACT,
    tech: CONTACT,
    billing: CONTACT,
    zone: { type: 'object', properties: {} },
  },
} as const;

export const WHOIS_RESULTS = { type: 'object', properties: { results: { type: 'array', items: WHOIS_RECORD } } } as const;

export const CERTIFICATE = {
  type: 'object',
  properties: {
    ...Object.fromEntries(CERTIFICATE_KEYS.map((k) => [k, k === 'subjectAlternativeNames' ? STRINGS : NS])),
    // Warren's addition: present (false) only for a certificate stored without its DER.
    der: { type: 'boolean' },
  },
} as const;

export const CERTIFICATE_RESULTS = { type: 'object', properties: { results: { type: 'array', items: CERTIFICATE } } } as const;

export const HISTORY_RESULTS = {
  type: 'object',
  properties: {
    results: {
      type: 'array',
      items: { type: 'object', properties: { sha1: S, firstSeen: NS, lastSeen: NS, ipAddresses: STRINGS } },
    },
  },
} as const;

export const PASSIVE_DNS_RESPONSE = {
  type: 'object',
  properties: {
    queryValue: S,
    queryType: S,
    firstSeen: NS,
    lastSeen: NS,
    totalRecords: { type: 'integer' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          resolve: S,
          resolveType: S,
          recordType: S,
          firstSeen: NS,
          lastSeen: NS,
          collected: NS,
          source: STRINGS,
          value: S,
        },
      },
    },
  },
} as const;

export const ACCOUNT_RESPONSE = {
  type: 'object',
  properties: { username: S, firstName: NS, lastName: NS, organization: S },
} as const;

export const NOTIFICATIONS_RESPONSE = {
  type: 'object',
  properties: {
    notifications: {
      type: 'array',
      items: { type: 'object', properties: { username: S, headline: S, generated: NS, content: S, type: S } },
    },
  },
} as const;

export const CLASSIFICATION_GET_RESPONSE = { type: 'object', properties: { classification: S } } as const;
export const CLASSIFICATION_SET_RESPONSE = { type: 'object', properties: { queryValue: S, classification: S } } as const;

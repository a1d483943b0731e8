// What a Zeek dns.log row says resolved to what. Zeek logs the question (`query`, `qtype_name`)
// and the answer section as text without owner names or types, so each answer's type is read
// from its shape: addresses are A/AAAA, Zeek prefixes most other record types (`TXT 12 …`,
// `RRSIG 5 example.com`), and a bare name is of the question's type when that type holds names,
// otherwise a CNAME on the way to the addresses.
import { normaliseDomain } from '../../fields/domain.js';
import { canonicalIp } from '../../fields/ip.js';

export interface DnsAnswer {
  readonly domain: string;
  readonly rrtype: string;
  readonly value: string;
}

const ADDRESS_TYPES = new Set(['A', 'AAAA', 'A6']);

/** Question types whose answers are names. */
const NAME_TYPES = new Set(['CNAME', 'DNAME', 'NS', 'MX', 'PTR', 'SRV', 'SOA']);

// DNSSEC material and BIND's private signing records describe the zone's keys, not where its
// names point; dynamic-update sections (`add: …`) are requests, not resolutions.
const SKIPPED = /^(RRSIG|DNSKEY|DS|NSEC3PARAM|NSEC3|NSEC|CDS|CDNSKEY|TKEY|TSIG)\b|^BIND9 signing signal$|^(pre|add|del|upd): /;

// Types Zeek writes as `TYPE: value` or `TYPE value`.
const PREFIXED = /^(SSHFP|LOC|CAA|TLSA|HINFO|NAPTR|SVCB|HTTPS|URI|OPT):? +(.*)$/s;

const TXT_PART = /^(TXT|SPF) (\d+) /;

/**
 * The strings of a Zeek TXT/SPF answer (`TXT 5 hello TXT 5 world`) joined as one value, as SPF
 * and DKIM read them; the answer as written when the lengths do not frame it.
 */
function txtValue(answer: string): { rrtype: string; value: string } {
  const type = answer.startsWith('SPF') ? 'SPF' : 'TXT';
  let rest = Buffer.from(answer, 'utf8');
  const parts: string[] = [];
  while (rest.length > 0) {
    const head = TXT_PART.exec(rest.subarray(0, 32).toString('latin1'));
    if (!head) return { rrtype: type, value: answer };
    const start = head[0].length;
    const length = Number(head[2]);
    if (start + length > rest.length) return { rrtype: type, value: answer };
    parts.push(rest.subarray(start, start + length).toString('utf8'));
    rest = rest.subarray(start + length);
    if (rest.length > 0) {
      if (rest[0] !== 0x20) return { rrtype: type, value: answer };
      rest = rest.subarray(1);
    }
  }
  return { rrtype: type, value: parts.join('') };
}

/**
 * Resolutions from one dns.log row. Addresses are attributed to the query, as the client that
 * asked saw them: Zeek does not log which name in a CNAME chain owns them. Names in the answers
 * of an address question form the CNAME chain in order (query → first → second …). With no
 * question type (`-`: responses without a matching query) a bare name's type is unknown and it
 * is left out.
 */
export function resolutionsFromAnswers(query: string, qtype: string | undefined, answers: readonly string[]): DnsAnswer[] {
  const domain = normaliseDomain(query);
  if (domain === undefined) return [];
  // Zeek writes types it has no name for as `query-65534`: known by number only, not by kind.
  const upper = qtype?.trim().toUpperCase();
  const type = upper !== undefined && /^[A-Z][A-Z0-9]*$/.test(upper) ? upper : undefined;
  const out: DnsAnswer[] = [];
  let owner = domain;
  for (const raw of answers) {
    const answer = raw.trim();
    if (answer === '' || SKIPPED.test(answer)) continue;
    const ip = canonicalIp(answer);
    if (ip !== undefined) {
      out.push({ domain, rrtype: ip.includes(':') ? 'AAAA' : 'A', value: ip });
      continue;
    }
    if (TXT_PART.test(answer)) {
      out.push({ domain, ...txtValue(answer) });
      continue;
    }
    const prefixed = PREFIXED.exec(answer);
    if (prefixed) {
      out.push({ domain, rrtype: prefixed[1]!, value: prefixed[2]!.trim() });
      continue;
    }
    const name = normaliseDomain(answer);
    if (name !== undefined && type !== undefined) {
      if (NAME_TYPES.has(type)) {
        out.push({ domain, rrtype: type, value: name });
      } else {
        out.push({ domain: owner, rrtype: 'CNAME', value: name });
        owner = name;
      }
      continue;
    }
    // Anything else is the question's type as Zeek wrote it, unless that type's values are
    // addresses or names and this answer is neither.
    if (type !== undefined && name === undefined && !ADDRESS_TYPES.has(type) && !NAME_TYPES.has(type)) {
      out.push({ domain, rrtype: type, value: answer });
    }
  }
  return out;
}

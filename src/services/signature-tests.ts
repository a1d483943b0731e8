// `warren sig test`: each signature's own `tests` cases, run through the compiled matcher exactly
// as production data would be (values normalised for the signature's field first).
import { FastMatcher } from '../engine/fast-matcher.js';
import { DOMAIN_DERIVED_FIELDS } from '../fields/catalogue.js';
import { deriveDomainFields, normaliseDomain } from '../fields/domain.js';
import { normaliseValue } from '../fields/normalise.js';
import type { Signature } from '../signatures/types.js';

export interface CaseFailure {
  readonly signature: Signature;
  /** `tests.match[1]` or `tests.no_match[0]`. */
  readonly path: string;
  readonly value: string;
  readonly message: string;
}

export interface TestReport {
  readonly cases: number;
  readonly signaturesWithTests: number;
  readonly failures: CaseFailure[];
}

export function runSignatureTests(signatures: readonly Signature[]): TestReport {
  const withTests = signatures.filter((s) => s.tests && (s.tests.match.length > 0 || s.tests.noMatch.length > 0));
  const matcher = new FastMatcher(withTests);
  const failures: CaseFailure[] = [];
  let cases = 0;
  for (const s of withTests) {
    const run = (values: readonly string[], key: 'match' | 'no_match'): void => {
      values.forEach((value, i) => {
        cases++;
        const path = `tests.${key}[${i}]`;
        const normal = testValue(s.field, value);
        const hit =
          normal === undefined
            ? undefined
            : matcher.match(new Map([[s.field, [normal]]])).find((h) => h.signature === s.id);
        if (key === 'match' && !hit) {
          const why = normal === undefined ? `is not a valid value for field ${s.field}` : 'did not match';
          failures.push({ signature: s, path, value, message: `${JSON.stringify(value)} ${why}` });
        } else if (key === 'no_match' && hit) {
          failures.push({
            signature: s,
            path,
            value,
            message: `${JSON.stringify(value)} matched pattern ${hit.pattern} (${JSON.stringify(s.patterns[hit.pattern])}) but should not`,
          });
        }
      });
    };
    run(s.tests!.match, 'match');
    run(s.tests!.noMatch, 'no_match');
  }
  return { cases, signaturesWithTests: withTests.length, failures };
}

const DERIVED: ReadonlySet<string> = new Set(DOMAIN_DERIVED_FIELDS);

/**
 * The field value a test case stands for. For the fields derived from a domain (domain.registered,
 * .tld, .subdomain, .unicode, .skeleton) a case is a domain name, as analysts think of it ("this
 * domain must be caught"), and the field is derived from it; for every other field it is the
 * field's value itself.
 */
function testValue(field: string, value: string): string | undefined {
  if (!DERIVED.has(field)) return normaliseValue(field, value);
  const domain = normaliseDomain(value);
  if (domain === undefined) return undefined;
  return deriveDomainFields(domain)[field as (typeof DOMAIN_DERIVED_FIELDS)[number]];
}

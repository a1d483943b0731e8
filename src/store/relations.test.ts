// The one definition of where a relation leads, as a table (stored relations carry it: see the
// store suite, test-support/store-suite.ts, on SQLite and PostgreSQL).
import { describe, expect, it } from 'vitest';
import { relationEnd, resolutionValueKind, type RelationKind } from './relations.js';

describe('relationEnd', () => {
  const table: [RelationKind, string, string | undefined, ReturnType<typeof relationEnd>][] = [
    ['resolves-to', '192.0.2.1', 'A', { kind: 'ip', id: '192.0.2.1' }],
    ['resolves-to', '2001:db8::1', 'AAAA', { kind: 'ip', id: '2001:db8::1' }],
    ['resolves-to', 'alias.example', 'CNAME', { kind: 'domain', id: 'alias.example' }],
    ['resolves-to', 'ns1.example', 'NS', { kind: 'domain', id: 'ns1.example' }],
    ['resolves-to', 'mx.example', 'MX', { kind: 'domain', id: 'mx.example' }],
    ['resolves-to', 'host.example', 'PTR', { kind: 'domain', id: 'host.example' }],
    ['resolves-to', 'other.example', 'DNAME', { kind: 'domain', id: 'other.example' }],
    ['resolves-to', 'v=spf1 -all', 'TXT', undefined],
    ['resolves-to', '*.wild.example', 'CNAME', undefined],
    ['resolves-to', 'x.example', undefined, undefined],
    ['resolved-from', 'www.example', 'A', { kind: 'domain', id: 'www.example' }],
    ['resolved-from', '*.example', 'A', undefined],
    ['served-on', '192.0.2.1', undefined, { kind: 'ip', id: '192.0.2.1' }],
    ['serves', 'a'.repeat(64), undefined, { kind: 'certificate', id: 'a'.repeat(64) }],
    ['names', 'www.example', undefined, { kind: 'domain', id: 'www.example' }],
    ['names', '*.example', undefined, undefined],
    ['named-by', 'b'.repeat(64), undefined, { kind: 'certificate', id: 'b'.repeat(64) }],
  ];
  it.each(table)('%s %s (%s) leads to %o', (kind, id, rrtype, want) => {
    expect(relationEnd(kind, id, rrtype)).toEqual(want);
  });

  it('says what a resolution value is for the writer too', () => {
    expect(['A', 'AAAA', 'CNAME', 'TXT', 'SOA'].map(resolutionValueKind)).toEqual(['ip', 'ip', 'domain', undefined, undefined]);
  });
});

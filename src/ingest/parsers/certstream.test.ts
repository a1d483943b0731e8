import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IngestRecord, ParseResult } from '../records.js';
import { certstreamCertificateFields, certstreamFormat, certstreamLines, parseCertstream } from './certstream.js';
import { makeCertificate } from './x509/test-support/x509-certs.js';
import { certificateFromDer } from './x509/x509.js';

const STACK_TRACE = /\n\s+at .+:\d+:\d+\)?/;
const SHA256 = 'ab'.repeat(32);
const SEEN = 1581741558.477939;
const AT = { source: 'certstream', firstSeen: '2020-02-15T04:39:18Z', lastSeen: '2020-02-15T04:39:18Z' };

function update(leaf: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { message_type: 'certificate_update', data: { update_type: 'X509LogEntry', leaf_cert: leaf, chain: [], seen: SEEN, ...extra } };
}

function ofKind<K extends IngestRecord['kind']>(r: ParseResult, kind: K): Extract<IngestRecord, { kind: K }>[] {
  return r.records.filter((x): x is Extract<IngestRecord, { kind: K }> => x.kind === kind);
}

describe('certstream messages', () => {
  let der: Uint8Array;
  let sha256: string;
  beforeAll(async () => {
    der = await makeCertificate({ name: [{ CN: ['leaf.example'] }], san: [{ type: 'dns', value: 'leaf.example' }] });
    const cert = certificateFromDer(der, { source: 'x' });
    if ('error' in cert) throw new Error(cert.error);
    sha256 = cert.sha256;
  });

  it('with the DER: the certificate, and the names of all_domains for it', () => {
    const leaf = { as_der: Buffer.from(der).toString('base64'), all_domains: ['Leaf.Example', '*.Leaf.example', 'bad name'] };
    const r = parseCertstream(JSON.stringify(update(leaf)), {});
    expect(r.errors).toEqual([]);
    expect(ofKind(r, 'certificate')).toHaveLength(1);
    expect(ofKind(r, 'certificate')[0]!.sha256).toBe(sha256);
    expect(ofKind(r, 'certificate')[0]!.observation).toEqual(AT);
    expect(ofKind(r, 'names')).toEqual([
      { kind: 'names', sha256, domain: 'leaf.example', observation: AT },
      { kind: 'names', sha256, domain: '*.leaf.example', observation: AT },
    ]);
  });

  it('without the DER: a field-only certificate and its names for a given SHA-256, otherwise the domains and names pending on the SHA-1', () => {
    const withSha = update({ as_der: 'REDACT', sha256: SHA256.toUpperCase().match(/../g)!.join(':'), all_domains: ['a.example'] });
    const without = update({ all_domains: ['b.example', 'b.example'], fingerprint: '84:E0:18:01:52:93:08:E0:BC:1C:DA:C8:B4:48:64:76:8A:61:56:32' });
    const r = parseCertstream(`${JSON.stringify(withSha)}\n${JSON.stringify(without)}\n`, { source: 'ct-feed' });
    expect(r.errors).toEqual([]);
    const at = { ...AT, source: 'ct-feed' };
    const sha1 = '84e018015293' + '08e0bc1cdac8b44864768a615632';
    expect(r.records).toEqual([
      { kind: 'certificate-fields', sha256: SHA256, fields: expect.objectContaining({ 'x509.sha256': [SHA256] }) as unknown, observation: at },
      { kind: 'names', sha256: SHA256, domain: 'a.example', observation: at },
      { kind: 'domain', domain: 'b.example', observation: at },
      { kind: 'pending-relation', ref: `sha1:${sha1}`, relation: { kind: 'names', domain: 'b.example' }, observation: at },
    ]);
  });

  it('reports a DER that is not a certificate and keeps the domains', () => {
    const leaf = { as_der: Buffer.from('definitely not a certificate').toString('base64'), all_domains: ['c.example'] };
    const r = parseCertstream(JSON.stringify(update(leaf)), {});
    expect(r.errors).toEqual([{ line: 1, message: 'leaf_cert.as_der: not a DER certificate: it does not start with an ASN.1 SEQUENCE' }]);
    expect(r.records).toEqual([{ kind: 'domain', domain: 'c.example', observation: AT }]);
  });

  it('ignores heartbeats, reads domains-only messages, reports other messages', () => {
    const lines = [
      '{"message_type": "heartbeat", "timestamp": 1}',
      '{"message_type": "dns_entries", "data": ["d.example", "not valid!"]}',
      '{"message_type": "other"}',
      '{"message_type": "certificate_update", "data": {}}',
      '"a string"',
      '{"broken": }',
    ];
    const r = parseCertstream(lines.join('\n'), {});
    expect(r.records).toEqual([{ kind: 'domain', domain: 'd.example', observation: { source: 'certstream' } }]);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(r.errors[0]!.message).toBe('unsupported certstream message_type "other"');
    expect(r.errors[1]!.message).toBe('certstream message has no data.leaf_cert');
    expect(r.errors[2]!.message).toBe('unexpected """: expected a JSON object');
    expect(r.errors[3]!.message).toMatch(/^invalid JSON: /);
  });

  it('reads a pretty-printed array, reporting each element at its first line', () => {
    const items = [update({ all_domains: ['e.example'] }), { message_type: 'nope' }, update({ all_domains: ['f.example'] })];
    const text = JSON.stringify(items, null, 2);
    const r = parseCertstream(text, {});
    expect(r.records.filter((x) => x.kind !== 'pending-relation').map((x) => (x.kind === 'domain' ? x.domain : x.kind))).toEqual(['e.example', 'f.example']);
    const nopeLine = text.split('\n').findIndex((l) => l.includes('"nope"'));
    expect(r.errors).toEqual([{ line: nopeLine, message: 'unsupported certstream message_type "nope"' }]);
    // One line with the whole array, and braces inside strings, read the same.
    const oneLine = JSON.stringify([update({ all_domains: ['g.example'], note: '}{][' }), update({ all_domains: ['h.example'] })]);
    expect(parseCertstream(oneLine, {}).records).toHaveLength(2);
  });

  it('reports an object that never ends, and a string broken by a line end, at their first line', () => {
    expect(parseCertstream('{"message_type": "certificate_update",\n "data": {', {}).errors).toEqual([
      { line: 1, message: 'invalid JSON: the input ends inside an object' },
    ]);
    const r = parseCertstream(`{"a": "unterminated\n${JSON.stringify(update({ all_domains: ['i.example'] }))}`, {});
    expect(r.errors).toEqual([{ line: 1, message: 'invalid JSON: unterminated string' }]);
    expect(r.records).toHaveLength(1);
  });

  it('streams line by line with the same result', () => {
    const text = JSON.stringify([update({ all_domains: ['j.example'] }), update({ all_domains: ['k.example'] })], null, 1);
    const parser = certstreamLines({});
    const records = text
      .split('\n')
      .flatMap((l, i) => parser.line(l, i + 1).records)
      .concat(parser.end().records);
    expect(records).toEqual(parseCertstream(text, {}).records);
  });

  it("reads the certificate fields of the message's JSON", () => {
    const leaf = {
      subject: { C: null, CN: 'access.smm-cheap.com', O: 'Org', aggregated: '/CN=access.smm-cheap.com' },
      issuer: { C: 'US', CN: "Let's Encrypt Authority X3", O: "Let's Encrypt" },
      serial_number: '37A3A72033B9AFF73A4BED5BB4F7CE6746E',
      not_before: 1581737741,
      not_after: 1589513741,
      fingerprint: '84:E0:18:01:52:93:08:E0:BC:1C:DA:C8:B4:48:64:76:8A:61:56:32',
      extensions: { subjectAltName: 'DNS:www.Access.smm-cheap.com, DNS:access.smm-cheap.com, IP Address:2001:DB8:0:0:0:0:0:1, email:a@b.example' },
    };
    expect(certstreamCertificateFields(leaf)).toEqual({
      'x509.subject.common_name': ['access.smm-cheap.com'],
      'x509.subject.organization': ['Org'],
      'x509.issuer.common_name': ["Let's Encrypt Authority X3"],
      'x509.issuer.organization': ["Let's Encrypt"],
      'x509.issuer.country': ['US'],
      'x509.serial_number': ['037A3A72033B9AFF73A4BED5BB4F7CE6746E'],
      'x509.not_before': ['2020-02-15T03:35:41Z'],
      'x509.not_after': ['2020-05-15T03:35:41Z'],
      'x509.alternative_names': ['www.access.smm-cheap.com', 'access.smm-cheap.com', '2001:db8::1', 'a@b.example'],
      'x509.sha1': ['84e01801529308e0bc1cdac8b44864768a615632'],
    });
  });

  it('sniffs certstream JSON', () => {
    expect(certstreamFormat.sniff(Buffer.from(JSON.stringify([update({ all_domains: [] })], null, 2)))).toBe(0.95);
    expect(certstreamFormat.sniff(Buffer.from('{"data": {"leaf_cert": {"all_domains": []}}}'))).toBe(0.9);
    expect(certstreamFormat.sniff(Buffer.from('{"query": "x"}'))).toBe(0);
    expect(certstreamFormat.sniff(Buffer.from('#fields\tts'))).toBe(0);
    expect(certstreamFormat.name).toBe('certstream');
    expect(certstreamFormat.parse(Buffer.from(JSON.stringify(update({ all_domains: ['l.example'] }))), {}).records).toHaveLength(1);
  });

  it('never throws, whatever the input', () => {
    const check = (text: string): void => {
      const r = parseCertstream(text, {});
      for (const e of r.errors) expect(e.message).not.toMatch(STACK_TRACE);
    };
    fc.assert(fc.property(fc.string(), check), { numRuns: 300 });
    fc.assert(fc.property(fc.array(fc.json(), { maxLength: 5 }), (xs) => check(xs.join('\n'))), { numRuns: 300 });
    const leaf = fc.record(
      {
        as_der: fc.oneof(fc.base64String(), fc.constant('REDACT'), fc.anything()),
        all_domains: fc.oneof(fc.array(fc.string()), fc.anything()),
        sha256: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdefAB:') }), fc.anything()),
        subject: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(leaf, fc.anything(), (l, seen) => check(JSON.stringify(update(l, { seen })) ?? '')),
      { numRuns: 300 },
    );
  });
});

const dir = join(import.meta.dirname, '../../../../shared/data/certstream');

describe.skipIf(!existsSync(dir))('the certstream samples', () => {
  it('calidog: one full message without DER gives its two domains', () => {
    const r = parseCertstream(readFileSync(join(dir, 'calidog-certstream-server_example.json'), 'utf8'), {});
    expect(r.errors).toEqual([]);
    // Only the SHA-1 is given: the names also wait in the store for a certificate with that SHA-1.
    expect(r.records.filter((x) => x.kind === 'domain')).toEqual([
      { kind: 'domain', domain: 'access.smm-cheap.com', observation: AT },
      { kind: 'domain', domain: 'www.access.smm-cheap.com', observation: AT },
    ]);
    expect(r.records.filter((x) => x.kind === 'pending-relation')).toHaveLength(2);
  });

  it('huydhn: an array of three redacted messages gives their five domains', () => {
    const text = readFileSync(join(dir, 'huydhn-certstream-analytics_samples.json'), 'utf8');
    const r = parseCertstream(text, {});
    expect(r.errors).toEqual([]);
    expect(r.records.filter((x) => x.kind !== 'pending-relation').map((x) => (x.kind === 'domain' ? x.domain : x.kind))).toEqual([
      'firmyfarmaceutyczneeu.redirect.rejestracjadomen.pl',
      'www.firmyfarmaceutyczneeu.redirect.rejestracjadomen.pl',
      'rundschleifmaschinen-service.de',
      'www.rundschleifmaschinen-service.de',
      'www.runaflohmarkt.de',
    ]);
    expect(r.records[0]!.kind === 'domain' && r.records[0].observation.firstSeen).toBe('2018-10-04T06:41:02Z');
    const first = (JSON.parse(text) as { data: { leaf_cert: Record<string, unknown> } }[])[0]!;
    expect(certstreamCertificateFields(first.data.leaf_cert)['x509.serial_number']).toEqual(['0DA28422511646C0552500F3DEE0AC20']);
  });
});

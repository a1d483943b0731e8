// One behaviour suite for the store, run on SQLite and on PostgreSQL.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IngestRecord } from '../../ingest/records.js';
import type { Store } from '../store.js';
import { addressText, buildAddresses, buildTable, naiveAnswer, rangeRecord, rawAddresses, rawTable, type Region } from './lpm-tables.js';
import { useStore, type StoreFactory } from './open-store.js';


const CERT_A = 'a'.repeat(64);

function sampleRecords(): IngestRecord[] {
  return [
    {
      kind: 'resolution',
      domain: 'evil.example',
      rrtype: 'A',
      value: '192.0.2.10',
      observation: { source: 'pdns', firstSeen: '2020-01-01T00:00:00Z', lastSeen: '2020-02-01T00:00:00Z', count: 5 },
    },
    {
      kind: 'resolution',
      domain: 'evil.example',
      rrtype: 'CNAME',
      value: 'cdn.example.net',
      observation: { source: 'pdns', firstSeen: '2020-01-05T00:00:00Z' },
    },
    {
      kind: 'certificate',
      der: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01),
      sha256: CERT_A,
      sha1: 'b'.repeat(40),
      fields: {
        'x509.subject.common_name': ['www.lanxess-lab.com'],
        'x509.alternative_names': ['www.lanxess-lab.com', '*.lanxess-lab.com'],
        'x509.not_before': ['2021-01-01T00:00:00Z'],
        'x509.not_after': ['2022-01-01T00:00:00Z'],
      },
      observation: { source: 'pem' },
    },
    { kind: 'served', sha256: CERT_A, ip: '203.0.113.7', port: 443, observation: { source: 'zeek', firstSeen: '2021-03-01T10:00:00Z' } },
    { kind: 'names', sha256: CERT_A, domain: 'lanxess-lab.com', observation: { source: 'zeek' } },
    {
      kind: 'whois',
      domain: 'evil.example',
      fields: { 'whois.registrant.email': ['46313@qq.com'], 'whois.registrar': ['Old Registrar'], 'whois.raw': ['Domain Name: evil.example'] },
      observed: '2019-01-01T00:00:00Z',
      source: 'whois',
    },
    {
      kind: 'whois',
      domain: 'evil.example',
      fields: { 'whois.registrant.email': ['46313@qq.com'], 'whois.registrar': ['New Registrar'] },
      observed: '2021-01-01T00:00:00Z',
      source: 'rdap',
    },
    { kind: 'as-range', start: '192.0.2.0', end: '192.0.2.255', asn: 64500, name: 'EXAMPLE-NET', source: 'iptoasn' },
    { kind: 'as-range', start: '192.0.0.0', end: '192.0.255.255', asn: 64501, name: 'WIDER', source: 'pfx2as' },
    { kind: 'as-range', start: '2001:db8::', end: '2001:db8::ffff:ffff', asn: 64502, name: 'V6', source: 'mmdb' },
  ];
}

export function storeSuite(name: string, factory: StoreFactory): void {
  describe(`${name} store`, () => {
    let store: Store | undefined;
    useStore(`${name} store tests`, factory, (opened) => {
      store = opened;
    });

    it('stores entities and relations from a batch', async (t) => {
      if (!store) return t.skip();
      await store.write(sampleRecords());
      expect(await store.stats()).toEqual({
        domains: 4, // evil.example, cdn.example.net, www.lanxess-lab.com, lanxess-lab.com (no wildcard)
        ips: 2,
        certificates: 1,
        whois: 2,
        resolutions: 2,
        served: 1,
        names: 3, // two from the certificate itself, one from zeek
        as_ranges: 3,
      });
    });

    it('is idempotent: the same input again changes nothing', async (t) => {
      if (!store) return t.skip();
      const before = await store.stats();
      await store.write(sampleRecords());
      await store.write(sampleRecords());
      expect(await store.stats()).toEqual(before);
      const rel = await store.domainRelations('evil.example');
      const a = rel.find((r) => r.kind === 'resolves-to' && r.rrtype === 'A')!;
      expect(a).toMatchObject({ id: '192.0.2.10', count: 5, first_seen: '2020-01-01T00:00:00Z', last_seen: '2020-02-01T00:00:00Z' });
    });

    it('widens first/last seen and keeps the largest count', async (t) => {
      if (!store) return t.skip();
      await store.write([
        {
          kind: 'resolution',
          domain: 'evil.example',
          rrtype: 'A',
          value: '192.0.2.10',
          observation: { source: 'pdns', firstSeen: '2019-06-01T00:00:00Z', lastSeen: '2019-07-01T00:00:00Z', count: 2 },
        },
      ]);
      const a = (await store.domainRelations('evil.example')).find((r) => r.rrtype === 'A')!;
      expect(a).toMatchObject({ first_seen: '2019-06-01T00:00:00Z', last_seen: '2020-02-01T00:00:00Z', count: 5 });
    });

    it('returns the newest WHOIS version, raw text included', async (t) => {
      if (!store) return t.skip();
      const w = await store.newestWhois('evil.example');
      expect(w?.observed).toBe('2021-01-01T00:00:00Z');
      expect(w?.fields['whois.registrar']).toEqual(['New Registrar']);
    });

    it('relates certificates, IPs and names both ways', async (t) => {
      if (!store) return t.skip();
      const cert = await store.certificateRelations(CERT_A);
      expect(cert.filter((r) => r.kind === 'served-on').map((r) => [r.id, r.port])).toEqual([['203.0.113.7', 443]]);
      expect(cert.filter((r) => r.kind === 'names').map((r) => r.id).sort()).toEqual(['*.lanxess-lab.com', 'lanxess-lab.com', 'www.lanxess-lab.com']);
      const ip = await store.ipRelations('203.0.113.7');
      expect(ip.map((r) => [r.kind, r.id])).toEqual([['serves', CERT_A]]);
      expect((await store.certificate('b'.repeat(40)))?.sha256).toBe(CERT_A);
      expect((await store.certificate(CERT_A))?.der).toEqual(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]));
    });

    it('finds the most specific AS range for an IP, as a CIDR network', async (t) => {
      if (!store) return t.skip();
      expect(await store.asForIp('192.0.2.77')).toMatchObject({ network: '192.0.2.0/24', asn: 64500, name: 'EXAMPLE-NET' });
      expect(await store.asForIp('192.0.7.1')).toMatchObject({ network: '192.0.0.0/16', asn: 64501 });
      expect(await store.asForIp('2001:db8::1:2')).toMatchObject({ network: '2001:db8::/96', asn: 64502 });
      expect(await store.asForIp('198.51.100.1')).toBeUndefined();
    });

    it('answers the same from the in-memory AS index', async (t) => {
      if (!store) return t.skip();
      const index = await store.loadAsIndex();
      for (const ip of ['192.0.2.77', '192.0.7.1', '2001:db8::1:2', '198.51.100.1', '10.0.0.1']) {
        expect(index.lookup(ip)).toEqual(await store.asForIp(ip));
      }
    });

    it('says what entity kind each relation leads to, from each side (store/relations.ts)', async (t) => {
      if (!store) return t.skip();
      const obs = { source: 'test', firstSeen: '2024-01-01T00:00:00Z', lastSeen: '2024-01-02T00:00:00Z' };
      const sha = 'c'.repeat(64);
      await store.write([
        { kind: 'resolution', domain: 'rel.example', rrtype: 'A', value: '198.51.100.77', observation: obs },
        { kind: 'resolution', domain: 'rel.example', rrtype: 'CNAME', value: 'rel-b.example', observation: obs },
        { kind: 'resolution', domain: 'rel.example', rrtype: 'TXT', value: 'hello there', observation: obs },
        { kind: 'served', sha256: sha, ip: '198.51.100.77', port: 443, observation: obs },
        { kind: 'names', sha256: sha, domain: 'rel.example', observation: obs },
        { kind: 'names', sha256: sha, domain: '*.rel.example', observation: obs },
      ]);
      const ends = (rs: readonly { kind: string; id: string; to: string | null }[]): string[] => rs.map((r) => `${r.kind} ${r.id} -> ${r.to}`).sort();
      expect(ends(await store.domainRelations('rel.example'))).toEqual([
        `named-by ${sha} -> certificate`,
        'resolves-to 198.51.100.77 -> ip',
        'resolves-to hello there -> null',
        'resolves-to rel-b.example -> domain',
      ]);
      expect(ends(await store.domainRelations('rel-b.example'))).toEqual(['resolved-from rel.example -> domain']);
      expect(ends(await store.ipRelations('198.51.100.77'))).toEqual(['resolved-from rel.example -> domain', `serves ${sha} -> certificate`]);
      expect(ends(await store.certificateRelations(sha))).toEqual(['names *.rel.example -> null', 'names rel.example -> domain', 'served-on 198.51.100.77 -> ip']);
    });
  
    describe('certificates without DER (migration 0007)', () => {
      const sha = '9'.repeat(64);
      const der = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x07);
      const fieldOnly = (fields: Record<string, string[]>, at: string): IngestRecord => ({
        kind: 'certificate-fields',
        sha256: sha,
        fields,
        observation: { source: 'zeek', firstSeen: at, lastSeen: at },
      });
      const withDer: IngestRecord = {
        kind: 'certificate',
        der,
        sha256: sha,
        sha1: 'd'.repeat(40),
        fields: { 'x509.subject.common_name': ['parsed.example'], 'x509.not_after': ['2030-01-01T00:00:00Z'] },
        observation: { source: 'pem' },
      };

      it('keeps a field-only certificate, completes it when the DER arrives, and never lets fields overwrite the DER', async (t) => {
        if (!store) return t.skip();
        const before = (await store.stats()).certificates;
        await store.write([fieldOnly({ 'x509.subject.common_name': ['zeek.example'], 'x509.not_after': ['2029-01-01T00:00:00Z'] }, '2024-01-02T00:00:00Z')]);
        expect(await store.certificate(sha)).toEqual({ sha256: sha, sha1: null, der: null, fields: { 'x509.subject.common_name': ['zeek.example'], 'x509.not_after': ['2029-01-01T00:00:00Z'] }, version: null, serial: null });
        expect((await store.stats()).certificates).toBe(before + 1);
        expect((await store.certificateRelations(sha)).map((r) => `${r.kind} ${r.id}`)).toEqual(['names zeek.example']);

        await store.write([withDer]);
        const completed = await store.certificate(sha);
        expect(completed).toEqual({ sha256: sha, sha1: 'd'.repeat(40), der: Buffer.from(der), fields: withDer.fields, version: null, serial: null });
        expect((await store.stats()).certificates).toBe(before + 1);
        // Found by SHA-1 now.
        expect((await store.certificate('d'.repeat(40)))?.sha256).toBe(sha);

        await store.write([fieldOnly({ 'x509.subject.common_name': ['later.example'] }, '2025-01-01T00:00:00Z')]);
        expect(await store.certificate(sha)).toEqual(completed);
        const row = await store.db.selectFrom('certificates').select(['first_seen', 'last_seen']).where('sha256', '=', sha).executeTakeFirstOrThrow();
        expect(row).toEqual({ first_seen: '2024-01-02T00:00:00Z', last_seen: '2025-01-01T00:00:00Z' });
      });

      it('prefers the DER within one batch, whatever the order', async (t) => {
        if (!store) return t.skip();
        const other = 'e'.repeat(64);
        await store.write([
          { kind: 'certificate', der, sha256: other, sha1: 'f'.repeat(40), fields: { 'x509.subject.common_name': ['der.example'] }, observation: { source: 'pem' } },
          { kind: 'certificate-fields', sha256: other, fields: { 'x509.subject.common_name': ['fields.example'] }, observation: { source: 'zeek' } },
        ]);
        expect((await store.certificate(other))?.fields).toEqual({ 'x509.subject.common_name': ['der.example'] });
      });

      it('ties relations named by a file id, a SHA-1 or issuer and serial, in either order and across writes', async (t) => {
        if (!store) return t.skip();
        const cert = '1'.repeat(64);
        const obs = { source: 'zeek', firstSeen: '2024-05-01T00:00:00Z', lastSeen: '2024-05-01T00:00:00Z' };
        // The relations first (ssl.log ingested before x509.log): nothing to tie yet.
        const early = await store.write([
          { kind: 'pending-relation', ref: 'zeek-fuid:Fabc', relation: { kind: 'served', ip: '198.51.100.1', port: 443 }, observation: obs },
          { kind: 'pending-relation', ref: 'zeek-fuid:Fabc', relation: { kind: 'names', domain: 'sni.tie.example' }, observation: obs },
        ]);
        expect(early).toEqual([]);
        expect(await store.ipRelations('198.51.100.1')).toEqual([]);
        // The certificate and its file id later, in another write: the relations are tied and returned.
        const tied = await store.write([
          { kind: 'certificate-fields', sha256: cert, fields: { 'x509.issuer.distinguished_name': ['CN=Tie CA'], 'x509.serial_number': ['00AB'] }, observation: { source: 'zeek' } },
          { kind: 'certificate-ref', ref: 'zeek-fuid:Fabc', sha256: cert, source: 'zeek' },
        ]);
        expect(tied).toHaveLength(2);
        expect(tied).toEqual(
          expect.arrayContaining([
            { kind: 'served', sha256: cert, ip: '198.51.100.1', port: 443, observation: obs },
            { kind: 'names', sha256: cert, domain: 'sni.tie.example', observation: obs },
          ]),
        );
        expect((await store.certificateRelations(cert)).map((r) => `${r.kind} ${r.id}`).sort()).toEqual(['names sni.tie.example', 'served-on 198.51.100.1']);
        expect(await store.db.selectFrom('pending_relations').selectAll().where('ref', '=', 'zeek-fuid:Fabc').execute()).toEqual([]);
        // A key already known: tied at once (issuer and serial as known_certs.log names it, leading zeros aside).
        const now = await store.write([
          { kind: 'pending-relation', ref: 'issuer-serial:AB|CN=Tie CA', relation: { kind: 'served', ip: '198.51.100.2', port: 8443 }, observation: { source: 'zeek' } },
        ]);
        expect(now).toEqual([{ kind: 'served', sha256: cert, ip: '198.51.100.2', port: 8443, observation: { source: 'zeek' } }]);
        // A SHA-1 that no certificate has yet stays pending, then resolves when a certificate with it arrives.
        await store.write([{ kind: 'pending-relation', ref: `sha1:${'2'.repeat(40)}`, relation: { kind: 'served', ip: '198.51.100.3' }, observation: { source: 'zeek' } }]);
        expect((await store.ipRelations('198.51.100.3')).length).toBe(0);
        expect(await store.ipExists('198.51.100.3')).toBe(true);
        await store.write([{ kind: 'certificate', der, sha256: '3'.repeat(64), sha1: '2'.repeat(40), fields: {}, observation: { source: 'pem' } }]);
        expect((await store.ipRelations('198.51.100.3')).map((r) => `${r.kind} ${r.id}`)).toEqual([`serves ${'3'.repeat(64)}`]);
      });
    });

    it('answers IP → AS by longest-prefix match like a naive scan, on random nested tables (IPv4 and IPv6, unaligned ranges, several sources)', async (t) => {
      if (!store) return t.skip();
      const s = store;
      // Each run writes its table into a region of its own (a /16 in 100.0.0.0–178.31.255.255, a /48
      // in 2001:db8:1::–2001:db8:4e20::), so the runs' ranges and the suite's others never meet: the
      // next test's 32.0.0.0/8 was inside the old 20–98 span, met by runs past the 3,072nd.
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.boolean(), rawTable, rawAddresses, async (v6, raw, rawAddr) => {
          const k = run++ % 20_000;
          const region: Region = v6
            ? { family: 6, base: (0x20010db8n << 96n) | (BigInt(k + 1) << 80n), length: 48 }
            : { family: 4, base: (BigInt(100 + (k >> 8)) << 24n) | (BigInt(k & 255) << 16n), length: 16 };
          const table = buildTable(region, raw);
          await s.write(table.map(rangeRecord));
          for (const x of buildAddresses(region, table, rawAddr)) {
            expect(await s.asForIp(addressText(region.family, x))).toEqual(naiveAnswer(table, x));
          }
        }),
        { numRuns: 1_000 },
      );
      // The in-memory index over everything written answers the same.
      const index = await s.loadAsIndex();
      for (const ip of ['100.0.0.0', '100.1.2.3', '101.3.255.255', '2001:db8:1::', '2001:db8:2:ffff::1', '32.240.185.39']) {
        expect(index.lookup(ip)).toEqual(await s.asForIp(ip));
      }
    }, 120_000);

    it('finds 32.0.0.0/8 → AS2686 for 32.240.185.39 beside 32.10.0.0/18 → AS8030 and many more specific prefixes (issue 12)', async (t) => {
      if (!store) return t.skip();
      const records: IngestRecord[] = [
        { kind: 'as-range', start: '32.0.0.0', end: '32.255.255.255', asn: 2686, source: 'pfx2as' },
        { kind: 'as-range', start: '32.10.0.0', end: '32.10.63.255', asn: 8030, source: 'pfx2as' },
      ];
      for (let i = 0; i < 300; i++) records.push({ kind: 'as-range', start: `32.${100 + (i >> 8)}.${i & 255}.0`, end: `32.${100 + (i >> 8)}.${i & 255}.255`, asn: 64_000 + i, source: 'pfx2as' });
      await store.write(records);
      expect(await store.asForIp('32.240.185.39')).toEqual({ network: '32.0.0.0/8', asn: 2686, name: null, source: 'pfx2as' });
      expect(await store.asForIp('32.10.0.1')).toMatchObject({ network: '32.10.0.0/18', asn: 8030 });
      expect(await store.asForIp('32.101.2.3')).toMatchObject({ network: '32.101.2.0/24', asn: 64_258 });
      const index = await store.loadAsIndex();
      for (const ip of ['32.240.185.39', '32.10.0.1', '32.101.2.3', '33.0.0.1']) expect(index.lookup(ip)).toEqual(await store.asForIp(ip));
    });

    describe('IP network registrations (migration 0011)', () => {
      const reg = (start: string, end: string, fields: Record<string, string[]>, observed?: string, source = 'rdap'): IngestRecord => ({
        kind: 'network',
        start,
        end,
        fields,
        ...(observed !== undefined ? { observed } : {}),
        source,
      });
      const wide = reg('198.18.0.0', '198.18.255.255', { 'network.name': ['WIDE-16'], 'network.range': ['198.18.0.0/16'] }, '2024-01-01T00:00:00Z');
      const narrow = reg('198.18.7.0', '198.18.7.255', { 'network.name': ['BULLETPROOF-24'], 'network.range': ['198.18.7.0/24'] }, '2024-01-01T00:00:00Z');
      const v6wide = reg('2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', { 'network.name': ['V6-32'] }, '2024-01-01T00:00:00Z');
      const v6narrow = reg('2001:db8:abcd::', '2001:db8:abcd:ffff:ffff:ffff:ffff:ffff', { 'network.name': ['V6-48'], 'network.country': ['NL'] });
      const rows = async (): Promise<unknown[]> =>
        (await store!.db.selectFrom('ip_networks').selectAll().orderBy('family').orderBy('start_hex').orderBy('end_hex').orderBy('source').execute()).map((r) => ({ ...r }));

      it('stores a registration per block and source, idempotently, and creates no IP for it', async (t) => {
        if (!store) return t.skip();
        await store.write([wide, narrow, v6wide, v6narrow]);
        const first = await rows();
        expect(first).toHaveLength(4);
        await store.write([wide, narrow, v6wide, v6narrow]);
        await store.write([narrow]);
        expect(await rows()).toEqual(first);
        expect(first).toContainEqual({
          family: 4,
          start_hex: 'c6120700',
          end_hex: 'c61207ff',
          block: 'c6120700/24',
          span_hex: '000000ff',
          start_ip: '198.18.7.0',
          end_ip: '198.18.7.255',
          source: 'rdap',
          fields: JSON.stringify({ 'network.name': ['BULLETPROOF-24'], 'network.range': ['198.18.7.0/24'] }),
          observed: '2024-01-01T00:00:00Z',
          first_seen: '2024-01-01T00:00:00Z',
          last_seen: '2024-01-01T00:00:00Z',
        });
        expect(await store.ipExists('198.18.0.0')).toBe(false);
      });

      it('answers with the most specific registration holding the IP (a /24 inside a /16), IPv4 and IPv6', async (t) => {
        if (!store) return t.skip();
        expect(await store.networkForIp('198.18.7.9')).toEqual({
          start: '198.18.7.0',
          end: '198.18.7.255',
          fields: { 'network.name': ['BULLETPROOF-24'], 'network.range': ['198.18.7.0/24'] },
          observed: '2024-01-01T00:00:00Z',
          source: 'rdap',
        });
        expect((await store.networkForIp('198.18.8.1'))?.fields['network.name']).toEqual(['WIDE-16']);
        expect((await store.networkForIp('198.18.6.255'))?.fields['network.name']).toEqual(['WIDE-16']);
        expect((await store.networkForIp('2001:db8:abcd:1::1'))?.fields).toEqual({ 'network.name': ['V6-48'], 'network.country': ['NL'] });
        expect((await store.networkForIp('2001:db8:abce::1'))?.fields['network.name']).toEqual(['V6-32']);
        expect(await store.networkForIp('198.19.0.1')).toBeUndefined();
        expect(await store.networkForIp('not an ip')).toBeUndefined();
        // The many-IP read gives the same answers, and leaves out IPs no registration holds.
        const ips = ['198.18.7.9', '198.18.8.1', '2001:db8:abcd:1::1', '2001:db8:abce::1', '198.19.0.1', '2001:db9::1', 'nope', '198.18.7.9'];
        const many = await store.networksForIps(ips);
        expect([...many.keys()].sort()).toEqual(['198.18.7.9', '198.18.8.1', '2001:db8:abcd:1::1', '2001:db8:abce::1']);
        for (const ip of many.keys()) expect(many.get(ip)).toEqual(await store.networkForIp(ip));
      });

      it('takes the newer observation\'s fields, never an older or undated one\'s, and widens first/last seen', async (t) => {
        if (!store) return t.skip();
        const at = (observed: string | undefined, name: string): IngestRecord => reg('198.18.7.0', '198.18.7.255', { 'network.name': [name] }, observed);
        const name = async (): Promise<string[] | undefined> => (await store!.networkForIp('198.18.7.1'))?.fields['network.name'];
        await store.write([at('2025-01-01T00:00:00Z', 'RENAMED')]);
        expect(await name()).toEqual(['RENAMED']);
        await store.write([at('2023-01-01T00:00:00Z', 'OLDER'), at(undefined, 'UNDATED')]);
        expect(await name()).toEqual(['RENAMED']);
        // Within one batch too: the newest wins, whatever the order.
        await store.write([at('2026-02-01T00:00:00Z', 'NEWEST'), at('2026-01-01T00:00:00Z', 'NEWER')]);
        expect(await name()).toEqual(['NEWEST']);
        const row = await store.db.selectFrom('ip_networks').select(['observed', 'first_seen', 'last_seen']).where('start_ip', '=', '198.18.7.0').where('source', '=', 'rdap').executeTakeFirstOrThrow();
        expect(row).toEqual({ observed: '2026-02-01T00:00:00Z', first_seen: '2023-01-01T00:00:00Z', last_seen: '2026-02-01T00:00:00Z' });
        // An undated registration is replaced by the next undated one (the later ingest).
        await store.write([reg('2001:db8:abcd::', '2001:db8:abcd:ffff:ffff:ffff:ffff:ffff', { 'network.name': ['V6-48-B'] })]);
        expect((await store.networkForIp('2001:db8:abcd::1'))?.fields).toEqual({ 'network.name': ['V6-48-B'] });
      });

      it('between two sources of one block, answers with the newer observation; between equal sizes, the later start', async (t) => {
        if (!store) return t.skip();
        await store.write([reg('198.18.9.0', '198.18.9.255', { 'network.name': ['FROM-FILE'] }, '2020-01-01T00:00:00Z', 'a-file')]);
        await store.write([reg('198.18.9.0', '198.18.9.255', { 'network.name': ['FROM-LIVE'] }, '2024-06-01T00:00:00Z', 'rdap-ip')]);
        expect(await store.networkForIp('198.18.9.9')).toMatchObject({ fields: { 'network.name': ['FROM-LIVE'] }, source: 'rdap-ip' });
        expect((await store.networksForIps(['198.18.9.9'])).get('198.18.9.9')).toMatchObject({ source: 'rdap-ip' });
        // Two ranges of one size overlapping at the address: the one starting later (as-lpm.ts).
        await store.write([reg('198.18.10.0', '198.18.10.99', { 'network.name': ['EARLY'] }), reg('198.18.10.50', '198.18.10.149', { 'network.name': ['LATE'] })]);
        expect((await store.networkForIp('198.18.10.60'))?.fields['network.name']).toEqual(['LATE']);
        expect((await store.networksForIps(['198.18.10.60', '198.18.10.20'])).get('198.18.10.20')?.fields['network.name']).toEqual(['EARLY']);
      });

      it('answers by longest-prefix match like a naive scan, one IP at a time and many at once, on random nested tables', async (t) => {
        if (!store) return t.skip();
        const s = store;
        // Regions of their own (10.k.0.0/16, 2001:db9:k::/48): no other registration meets them.
        let run = 0;
        await fc.assert(
          fc.asyncProperty(fc.boolean(), rawTable, rawAddresses, async (v6, raw, rawAddr) => {
            const k = run++ % 256;
            const region: Region = v6 ? { family: 6, base: (0x20010db9n << 96n) | (BigInt(k) << 80n), length: 48 } : { family: 4, base: (10n << 24n) | (BigInt(k) << 16n), length: 16 };
            await s.db.deleteFrom('ip_networks').where('family', '=', region.family).where('start_ip', 'like', v6 ? '2001:db9:%' : '10.%').execute();
            const table = buildTable(region, raw);
            await s.write(table.map((r): IngestRecord => ({ kind: 'network', start: addressText(r.family, r.start), end: addressText(r.family, r.end), fields: { 'network.handle': [`H-${r.asn}`] }, source: r.source })));
            const addresses = buildAddresses(region, table, rawAddr);
            const many = await s.networksForIps(addresses.map((x) => addressText(region.family, x)));
            for (const x of addresses) {
              const ip = addressText(region.family, x);
              const want = naiveAnswer(table, x);
              const got = await s.networkForIp(ip);
              expect(got?.fields['network.handle'], ip).toEqual(want ? [`H-${want.asn}`] : undefined);
              expect(many.get(ip)).toEqual(got);
            }
          }),
          { numRuns: 200 },
        );
      }, 120_000);
    });
  });
}

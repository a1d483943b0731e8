import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIp } from '../../fields/ip.js';
import type { Format, IngestRecord, ParseResult, ResolutionRecord } from '../records.js';
import { cofFormat, dnsdbFormat, readRdataValue, readTime } from './pdns.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/pdns');
const CORPUS = join(import.meta.dirname, '../../../../shared/data/pdns');

function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

function parse(format: Format, text: string, source?: string): ParseResult {
  return format.parse(Buffer.from(text), source === undefined ? {} : { source });
}

function resolutions(records: IngestRecord[]): ResolutionRecord[] {
  return records.filter((r): r is ResolutionRecord => r.kind === 'resolution');
}

/** Everything but the observation, for compact comparisons. */
function triples(records: IngestRecord[]): string[] {
  return resolutions(records).map((r) => `${r.domain} ${r.rrtype} ${r.value}`);
}

/** The line parser and the whole-input parser must agree, whatever the split. */
function viaLines(format: Format, text: string): ParseResult {
  const parser = format.lines!({});
  const records: IngestRecord[] = [];
  const errors: ParseResult['errors'][number][] = [];
  text.split('\n').forEach((line, i) => {
    const r = parser.line(line, i + 1);
    records.push(...r.records);
    errors.push(...r.errors);
  });
  const r = parser.end();
  return { records: [...records, ...r.records], errors: [...errors, ...r.errors] };
}

describe('readTime', () => {
  it('reads epoch seconds as numbers or digits, and ISO 8601 with a zone', () => {
    expect(readTime(1298412391)).toEqual({ ok: true, time: '2011-02-22T22:06:31Z' });
    expect(readTime('1298412391')).toEqual({ ok: true, time: '2011-02-22T22:06:31Z' });
    expect(readTime(1298412391.9)).toEqual({ ok: true, time: '2011-02-22T22:06:31Z' });
    expect(readTime('2013-01-14T19:23:53Z')).toEqual({ ok: true, time: '2013-01-14T19:23:53Z' });
    expect(readTime('2013-01-14T20:23:53.123+01:00')).toEqual({ ok: true, time: '2013-01-14T19:23:53Z' });
    expect(readTime('2013-01-14')).toEqual({ ok: true, time: '2013-01-14T00:00:00Z' });
  });

  it('refuses zoneless, unreadable, negative and millisecond-looking times with a reason', () => {
    for (const bad of ['2013-01-14T19:23:53', 'yesterday', -1, 1700000000000, '', null, true]) {
      const t = readTime(bad);
      expect(t.ok, JSON.stringify(bad)).toBe(false);
    }
    const ms = readTime(1700000000000);
    expect(!ms.ok && ms.reason).toMatch(/milliseconds/);
  });
});

describe('readRdataValue', () => {
  it('canonicalises addresses and checks their family', () => {
    expect(readRdataValue('AAAA', '2001:DB8::0:1', false)).toEqual({ ok: true, value: '2001:db8::1' });
    expect(readRdataValue('A', '2001:db8::1', false).ok).toBe(false);
    expect(readRdataValue('AAAA', '192.0.2.1', false).ok).toBe(false);
    // A mapped address is an IPv6 text, so it passes as AAAA and is stored as the IPv4 host.
    expect(readRdataValue('AAAA', '::ffff:192.0.2.1', false)).toEqual({ ok: true, value: '192.0.2.1' });
  });

  it('stores the name of name-valued types, and other rdata as given', () => {
    expect(readRdataValue('CNAME', 'Target.Example.NET.', false)).toEqual({ ok: true, value: 'target.example.net' });
    expect(readRdataValue('MX', '10 MX.example.com.', false)).toEqual({ ok: true, value: 'mx.example.com' });
    expect(readRdataValue('SRV', '0 5 5060 sip.example.com.', false)).toEqual({ ok: true, value: 'sip.example.com' });
    expect(readRdataValue('TXT', '"v=spf1 -all"', false)).toEqual({ ok: true, value: '"v=spf1 -all"' });
    // A null MX names nothing: passive DNS keeps it, the strict reader refuses it.
    expect(readRdataValue('MX', '0 .', false)).toEqual({ ok: true, value: '0 .' });
    expect(readRdataValue('MX', '0 .', true).ok).toBe(false);
  });
});

describe('COF (fixture)', () => {
  const text = fixture('cof-mixed.ndjson').toString('utf8');
  const result = cofFormat.parse(Buffer.from(text), {});

  it('makes one record per distinct rdata value, normalised by type', () => {
    expect(triples(result.records)).toEqual([
      'www.example.com A 192.0.2.1',
      'www.example.com A 192.0.2.2',
      'mail.example.com MX mx1.example.net',
      'example.com AAAA 2001:db8::1',
      'example.com TXT "v=spf1 -all"',
      'alias.example.com CNAME target.example.net',
    ]);
  });

  it('takes times, count and source from the data', () => {
    const [first, , mx, aaaa, , cname] = resolutions(result.records);
    expect(first?.observation).toEqual({
      source: 'sensor-42',
      firstSeen: '2023-11-14T22:13:20Z',
      lastSeen: '2023-11-14T23:13:20Z',
      count: 7,
    });
    expect(mx?.observation).toEqual({ source: 'cof', firstSeen: '2023-11-14T22:13:20Z', lastSeen: '2023-11-14T23:00:00Z' });
    expect(aaaa?.observation).toEqual({ source: 'cof', firstSeen: '2023-11-14T22:13:20Z', lastSeen: '2023-11-14T22:13:21Z' });
    expect(cname?.observation.source).toBe('my-sensor');
  });

  it('reports bad lines with their numbers and keeps the rest', () => {
    expect(result.errors.map((e) => e.line)).toEqual([6, 7, 8]);
    expect(result.errors[0]?.message).toMatch(/"not-an-ip" is not an IPv4 address/);
    expect(result.errors[1]?.message).toMatch(/"time_first": "yesterday" is not a time/);
    expect(result.errors[2]?.message).toMatch(/^invalid JSON/);
  });

  it('lets the data name its source before the --source default', () => {
    const r = cofFormat.parse(Buffer.from(text), { source: 'feed' });
    expect(resolutions(r.records).map((x) => x.observation.source)).toEqual([
      'sensor-42',
      'sensor-42',
      'feed',
      'feed',
      'feed',
      'my-sensor',
    ]);
  });

  it('gives the same result line by line', () => {
    expect(viaLines(cofFormat, text)).toEqual(result);
  });

  it('reports missing mandatory fields together', () => {
    const r = parse(cofFormat, '{"count": 1}\n[1]\n"x"\n');
    expect(r.records).toEqual([]);
    expect(r.errors[0]).toEqual({ line: 1, message: 'missing "rrname"; missing "rrtype"; missing "rdata"' });
    expect(r.errors.map((e) => e.line)).toEqual([1, 2, 3]);
  });

  it('accepts a record without times (they stay absent) and a numeric sensor_id', () => {
    const r = parse(cofFormat, '{"rrname": "a.example", "rrtype": "A", "rdata": "192.0.2.1", "sensor_id": 7}\n');
    expect(r.errors).toEqual([]);
    expect(resolutions(r.records)[0]?.observation).toEqual({ source: '7' });
  });
});

describe('DNSDB (fixtures)', () => {
  it('reads API v2 stream lines and ignores the framing', () => {
    const r = dnsdbFormat.parse(fixture('dnsdb-saf.jsonl'), {});
    expect(r.errors).toEqual([]);
    expect(triples(r.records)).toEqual([
      'www.farsightsecurity.com A 66.160.140.81',
      'farsightsecurity.com NS ns5.dnsmadeeasy.com',
      'farsightsecurity.com NS ns6.dnsmadeeasy.com',
    ]);
    expect(resolutions(r.records)[1]?.observation).toEqual({
      source: 'dnsdb',
      firstSeen: '2013-07-19T16:22:00Z',
      lastSeen: '2016-07-11T16:18:03Z',
      count: 12,
    });
  });

  it('reports a failed stream', () => {
    const r = parse(dnsdbFormat, '{"cond":"begin"}\n{"cond":"failed","msg":"Query timeout"}\n');
    expect(r.errors).toEqual([{ line: 2, message: 'the DNSDB query failed: Query timeout (results are incomplete)' }]);
  });

  it('reads a pretty-printed array and points errors at the element', () => {
    const text = fixture('dnsdb-array.json').toString('utf8');
    const r = dnsdbFormat.parse(Buffer.from(text), {});
    expect(triples(r.records)).toEqual([
      'example.org AAAA 2001:db8::10',
      'example.org NS a.iana-servers.net',
      'example.org NS b.iana-servers.net',
    ]);
    expect(r.errors).toEqual([{ line: 10, message: 'example.org A: "2001:db8::11" is not an IPv4 address' }]);
    // Sensor and zone-file windows merge into the widest.
    expect(resolutions(r.records)[1]?.observation).toEqual({
      source: 'dnsdb',
      firstSeen: '2012-01-01T00:00:00Z',
      lastSeen: '2012-09-01T00:00:00Z',
      count: 5,
    });
    expect(viaLines(dnsdbFormat, text)).toEqual(r);
  });

  it('reads pretty-printed objects one after another (jq . output)', () => {
    const a = JSON.stringify({ rrname: 'a.example.', rrtype: 'A', rdata: ['192.0.2.7'] }, null, 2);
    const b = JSON.stringify({ rrname: 'b.example.', rrtype: 'A', rdata: ['192.0.2.8', 'bad'] }, null, 2);
    const r = parse(dnsdbFormat, `${a}\n${b}\n`);
    expect(triples(r.records)).toEqual(['a.example A 192.0.2.7', 'b.example A 192.0.2.8']);
    expect(r.errors).toEqual([{ line: 8, message: 'b.example A: "bad" is not an IPv4 address' }]);
  });

  it('reads one pretty-printed object', () => {
    const r = parse(dnsdbFormat, '{\n  "rrname": "a.example.",\n  "rrtype": "A",\n  "rdata": "192.0.2.7"\n}\n');
    expect(r.errors).toEqual([]);
    expect(triples(r.records)).toEqual(['a.example A 192.0.2.7']);
  });

  it('loses only the broken element of an array, reported at its line', () => {
    const r = parse(dnsdbFormat, '[\n  {"rrname": "a.example", "rrtype": "A", "rdata": "192.0.2.7"},\n  {"rrname": }\n]\n');
    expect(triples(r.records)).toEqual(['a.example A 192.0.2.7']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.line).toBe(3);
    expect(r.errors[0]?.message).toMatch(/^invalid JSON/);
  });

  it('reports a broken object once, and an unclosed array', () => {
    const broken = parse(dnsdbFormat, '\n{\n  "rrname": "a.example",\n  "rrtype": \n}\n');
    expect(broken.records).toEqual([]);
    expect(broken.errors).toHaveLength(1);
    expect(broken.errors[0]?.line).toBeGreaterThanOrEqual(2);
    const unclosed = parse(dnsdbFormat, '[\n{"rrname": "a.example", "rrtype": "A", "rdata": "192.0.2.7"}\n');
    expect(triples(unclosed.records)).toEqual(['a.example A 192.0.2.7']);
    expect(unclosed.errors).toEqual([{ line: 2, message: 'invalid JSON: the array is not closed' }]);
  });

  it('reads NDJSON whose first line is broken line by line', () => {
    const r = parse(dnsdbFormat, '{"rrname": \n{"rrname": "a.example", "rrtype": "A", "rdata": "192.0.2.7"}\n');
    expect(triples(r.records)).toEqual(['a.example A 192.0.2.7']);
    expect(r.errors.map((e) => e.line)).toEqual([1]);
  });
});

describe('sniff', () => {
  const cofLine = Buffer.from('{"rrname":"a.example","rrtype":"A","rdata":["192.0.2.1"],"time_first":1,"time_last":2}\n');

  it('prefers COF for plain rrset lines in .ndjson/.jsonl and without a name', () => {
    expect(cofFormat.sniff(cofLine, 'x.ndjson')).toBeGreaterThan(dnsdbFormat.sniff(cofLine, 'x.ndjson'));
    expect(cofFormat.sniff(cofLine, 'x.jsonl')).toBeGreaterThan(dnsdbFormat.sniff(cofLine, 'x.jsonl'));
    expect(cofFormat.sniff(cofLine)).toBeGreaterThan(dnsdbFormat.sniff(cofLine));
  });

  it('prefers DNSDB for ISO times, v2 framing, documents and dnsdb file names', () => {
    const heads = [
      fixture('dnsdb-saf.jsonl'),
      fixture('dnsdb-array.json'),
      Buffer.from('{"rrname":"a.example","rrtype":"A","rdata":"192.0.2.1","time_first":"2013-01-01T00:00:00Z"}\n'),
    ];
    for (const head of heads) expect(dnsdbFormat.sniff(head)).toBeGreaterThan(cofFormat.sniff(head));
    expect(dnsdbFormat.sniff(cofLine, 'dnsdb-export.json')).toBeGreaterThan(cofFormat.sniff(cofLine, 'dnsdb-export.json'));
  });

  it('prefers COF when COF-only fields are there', () => {
    const head = fixture('cof-mixed.ndjson');
    expect(cofFormat.sniff(head, 'x.json')).toBeGreaterThan(dnsdbFormat.sniff(head, 'x.json'));
  });

  it('claims nothing else', () => {
    for (const head of ['{"kind":"resolution","domain":"a.example"}', 'hello', '', '{"objectClassName":"domain"}']) {
      expect(cofFormat.sniff(Buffer.from(head))).toBe(0);
      expect(dnsdbFormat.sniff(Buffer.from(head))).toBe(0);
    }
  });
});

describe('never throws', () => {
  const jsonish = fc.oneof(
    fc.string(),
    fc.json(),
    fc.array(fc.constantFrom('{', '}', '[', ']', '"rrname":', '"rdata":', '"A"', ',', '\n', '"obj":', '1'), { maxLength: 40 }).map((a) =>
      a.join(''),
    ),
    fc.record({
      rrname: fc.oneof(fc.string(), fc.domain(), fc.integer()),
      rrtype: fc.oneof(fc.constantFrom('A', 'AAAA', 'MX', 'SRV', 'CNAME', 'TXT'), fc.integer(), fc.string()),
      rdata: fc.oneof(fc.string(), fc.array(fc.oneof(fc.string(), fc.ipV4(), fc.ipV6()))),
      time_first: fc.oneof(fc.integer(), fc.double(), fc.string()),
      count: fc.oneof(fc.integer(), fc.string()),
    }).map((o) => JSON.stringify(o)),
  );

  for (const format of [cofFormat, dnsdbFormat]) {
    it(`${format.name}: parse, lines and sniff`, () => {
      fc.assert(
        fc.property(fc.array(jsonish, { maxLength: 6 }), fc.string(), (lines, name) => {
          const text = lines.join('\n');
          const r = format.parse(Buffer.from(text), {});
          expect(r.errors.every((e) => !e.message.startsWith('internal error'))).toBe(true);
          expect(viaLines(format, text).records).toEqual(r.records);
          const s = format.sniff(Buffer.from(text), name);
          expect(s >= 0 && s <= 1).toBe(true);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
      );
    });
  }
});

describe.skipIf(!existsSync(CORPUS))('corpus: shared/data/pdns', () => {
  const read = (name: string): Buffer => readFileSync(join(CORPUS, name));

  it('holds the files these tests know', () => {
    expect(readdirSync(CORPUS).sort()).toEqual([
      'LICENSE.ciscosecurity-farsight-dnsdb.md',
      'adulau-pdns-qof_data.ndjson',
      'adulau-pdns-qof_draft-cof.txt',
      'adulau-pdns-qof_schema.json',
      'ciscosecurity-farsight-dnsdb_domain.json',
      'ciscosecurity-farsight-dnsdb_ip.json',
      'ciscosecurity-farsight-dnsdb_ipv6.json',
      'cof_examples_from_docs.ndjson',
    ]);
  });

  it('cof_examples_from_docs.ndjson: every line a record, sourced from _source', () => {
    const head = read('cof_examples_from_docs.ndjson');
    expect(cofFormat.sniff(head, 'cof_examples_from_docs.ndjson')).toBeGreaterThan(
      dnsdbFormat.sniff(head, 'cof_examples_from_docs.ndjson'),
    );
    const lines = head.toString('utf8').trim().split('\n');
    const r = cofFormat.parse(head, {});
    expect(r.errors).toEqual([]);
    expect(r.records).toHaveLength(29);
    const expected = lines.map((l) => JSON.parse(l) as Record<string, string | number>);
    resolutions(r.records).forEach((rec, i) => {
      const e = expected[i]!;
      expect(rec.domain).toBe(String(e.rrname));
      expect(rec.rrtype).toBe(e.rrtype);
      expect(rec.value).toBe(e.rrtype === 'A' || e.rrtype === 'AAAA' ? canonicalIp(String(e.rdata)) : e.rdata);
      expect(rec.observation.source).toBe(e._source);
      expect(rec.observation.count).toBe(e.count);
      expect(Date.parse(rec.observation.firstSeen!) / 1000).toBe(e.time_first);
      expect(Date.parse(rec.observation.lastSeen!) / 1000).toBe(e.time_last);
    });
    expect(resolutions(r.records).find((x) => x.domain === 'xn--ihuvudetpevap-xfb.se')?.value).toBe('2a02:250:0:8::53');
  });

  it('adulau-pdns-qof_data.ndjson: rdata arrays, default source cof', () => {
    const r = cofFormat.parse(read('adulau-pdns-qof_data.ndjson'), {});
    expect(r.errors).toEqual([]);
    expect(r.records).toEqual([
      {
        kind: 'resolution',
        domain: 'www.circl.lu',
        rrtype: 'CNAME',
        value: 'cpa.circl.lu',
        observation: { source: 'cof', firstSeen: '2011-09-09T16:40:09Z', lastSeen: '2015-12-08T09:26:39Z', count: 1909 },
      },
      {
        kind: 'resolution',
        domain: 'www.circl.lu',
        rrtype: 'CNAME',
        value: 'cpab.circl.lu',
        observation: { source: 'cof', firstSeen: '2015-12-08T14:24:20Z', lastSeen: '2021-04-06T02:29:11Z', count: 2560 },
      },
    ]);
  });

  it("adulau-pdns-qof_draft-cof.txt: the draft's Appendix A examples parse as the corpus says", () => {
    const draft = read('adulau-pdns-qof_draft-cof.txt').toString('utf8');
    const appendix = draft.slice(draft.lastIndexOf('Appendix A.  Examples'));
    // The draft wraps each object over lines; COF wants one per line.
    const objects = (appendix.match(/\{[^{}]*\}/g) ?? []).map((o) => o.replace(/\s+/g, ' '));
    expect(objects).toHaveLength(5);
    const fromDraft = cofFormat.parse(Buffer.from(objects.join('\n')), {});
    expect(fromDraft.errors).toEqual([]);
    const docs = cofFormat.parse(read('cof_examples_from_docs.ndjson'), { source: 'cof' });
    const strip = (records: IngestRecord[]): unknown[] =>
      resolutions(records).map((x) => ({ ...x, observation: { ...x.observation, source: 'cof' } }));
    expect(strip(fromDraft.records)).toEqual(strip(docs.records.slice(0, 5)));
    expect(cofFormat.sniff(read('adulau-pdns-qof_draft-cof.txt'))).toBe(0);
  });

  it('adulau-pdns-qof_schema.json: its example is a record; the schema itself is not data', () => {
    const schema = JSON.parse(read('adulau-pdns-qof_schema.json').toString('utf8')) as { examples: unknown[] };
    const r = cofFormat.parse(Buffer.from(schema.examples.map((e) => JSON.stringify(e)).join('\n')), {});
    expect(r.errors).toEqual([]);
    expect(triples(r.records)).toEqual(['westernunion.com.ph A 66.218.161.27', 'westernunion.com.ph A 66.218.170.77']);
    const whole = dnsdbFormat.parse(read('adulau-pdns-qof_schema.json'), {});
    expect(whole.records).toEqual([]);
    expect(whole.errors).toHaveLength(1);
  });

  it('LICENSE: nobody claims it', () => {
    const head = read('LICENSE.ciscosecurity-farsight-dnsdb.md');
    expect(cofFormat.sniff(head)).toBe(0);
    expect(dnsdbFormat.sniff(head)).toBe(0);
    expect(cofFormat.parse(head, {}).records).toEqual([]);
  });

  for (const name of ['domain', 'ip', 'ipv6']) {
    const file = `ciscosecurity-farsight-dnsdb_${name}.json`;
    it(`${file}: the rrsets give the resolutions the module's expected sightings list`, () => {
      const fixtureFile = JSON.parse(read(file).toString('utf8')) as {
        input: unknown[];
        output: {
          count: number;
          observed_time: { start_time: string; end_time: string };
          relations: { source: { value: string }; related: { value: string } }[];
        }[];
      };
      // The file wraps the DNSDB rrsets with the module's expectations: feed the rrsets as a
      // pretty-printed array, as a DNSDB export would hold them.
      const input = Buffer.from(JSON.stringify(fixtureFile.input, null, 2));
      expect(dnsdbFormat.sniff(input, 'export.json')).toBeGreaterThan(cofFormat.sniff(input, 'export.json'));
      const r = dnsdbFormat.parse(input, {});
      expect(r.errors).toEqual([]);
      const got = resolutions(r.records)
        .filter((x) => x.rrtype === 'A' || x.rrtype === 'AAAA')
        .map((x) => `${x.domain} ${x.value} ${x.observation.firstSeen} ${x.observation.lastSeen} ${x.observation.count}`)
        .sort();
      const want = fixtureFile.output
        .flatMap((s) =>
          s.relations.map(
            (rel) =>
              `${rel.source.value} ${canonicalIp(rel.related.value)} ${s.observed_time.start_time} ${s.observed_time.end_time} ${s.count}`,
          ),
        )
        .sort();
      expect(got).toEqual(want);
      // As NDJSON it reads the same.
      const ndjson = fixtureFile.input.map((o) => JSON.stringify(o)).join('\n');
      expect(dnsdbFormat.parse(Buffer.from(ndjson), {}).records).toEqual(r.records);
      // The wrapper file itself is not an rrset: an error, no records, no throw.
      const whole = dnsdbFormat.parse(read(file), {});
      expect(whole.records).toEqual([]);
      expect(whole.errors).toHaveLength(1);
    });
  }
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatError, loadSignatureFiles, MAX_FILE_BYTES, parseSignatureText } from './load.js';
import type { SignatureError } from './types.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Errors as `line path: message` strings: compact to read, exact to compare. */
const brief = (errors: readonly SignatureError[]): string[] =>
  errors.map((e) => `${e.line} ${e.path ?? '-'}: ${e.message}`);

/** A minimal valid signature, in YAML, with `extra` lines appended. */
const sig = (id: string, ...extra: string[]): string =>
  [`id: ${id}`, 'title: t', 'field: domain', ...extra, 'actions: [{tag: x}]'].join('\n');

describe('the examples of signatures.md', () => {
  it('load the spec example without errors, fully defaulted', async () => {
    const file = fixture('spec-example.yaml');
    const { signatures, errors } = await loadSignatureFiles([file]);
    expect(errors).toEqual([]);
    expect(signatures).toEqual([
      {
        id: 'malicious-registrant-46313',
        title: 'Registrant email of a known intrusion set',
        description: 'Domains registered with this address belong to ...',
        author: 'jane analyst',
        references: ['https://example.org/report'],
        labels: ['attack.t1583.001', 'tlp.green'],
        status: 'experimental',
        enabled: true,
        field: 'whois.registrant.email',
        match: 'regex',
        caseSensitive: false,
        patterns: ['^46313@qq\\.com$'],
        exclude: ['^noreply@'],
        target: ['domain'],
        actions: [{ tag: 'Malicious_Registrant' }, { classify: 'malicious' }, { alert: { severity: 'medium' } }],
        tests: { match: ['46313@qq.com', '46313@QQ.COM'], noMatch: ['146313@qq.com', 'noreply@qq.com'] },
        source: { file, line: 1 },
      },
    ]);
  });

  it("load the spec's prose examples and a JSON array without errors", async () => {
    const { signatures, errors } = await loadSignatureFiles([fixture('spec-prose-examples.yaml'), fixture('array.json')]);
    expect(errors).toEqual([]);
    expect(signatures.map((s) => s.id)).toEqual([
      'brand-passivetotal',
      'known-bad-cert',
      'bad-networks',
      'bad-routes',
      'cloudflare-as',
      'json-registrant',
      'json-as',
    ]);
    const byId = new Map(signatures.map((s) => [s.id, s]));
    expect(byId.get('cloudflare-as')).toMatchObject({ patterns: ['13335'], enabled: false, tests: { match: ['13335'], noMatch: [] } });
    expect(byId.get('cloudflare-as')?.actions).toEqual([{ classify: 'non-malicious' }, { alert: { severity: 'medium' } }]);
    expect(byId.get('bad-networks')?.actions[1]).toEqual({ alert: { severity: 'high', channels: ['soc-webhook', 'oncall-email'] } });
    expect(byId.get('json-as')).toMatchObject({ patterns: ['13335', '209242'], source: { line: 12 } });
    expect(byId.get('brand-passivetotal')?.source?.line).toBe(3); // the mapping, after the comments
  });
});

describe('a file with many mistakes', () => {
  it('reports every one at once, with lines, ids and pattern indices', async () => {
    const { signatures, errors } = await loadSignatureFiles([fixture('many-mistakes.yaml')]);
    expect(signatures).toEqual([]);
    expect(errors.map((e) => [e.line, e.signature, e.path, e.pattern])).toEqual([
      [2, 'Brand-PayPal', 'id', undefined],
      [3, 'Brand-PayPal', 'title', undefined],
      [4, 'Brand-PayPal', 'references[0]', undefined],
      [5, 'Brand-PayPal', 'labels', undefined],
      [6, 'Brand-PayPal', 'status', undefined],
      [7, 'Brand-PayPal', 'enabled', undefined],
      [8, 'Brand-PayPal', 'field', undefined],
      [10, 'Brand-PayPal', 'pattern', undefined],
      [13, 'Brand-PayPal', 'patterns[1]', 1],
      [14, 'Brand-PayPal', 'patterns[2]', 2],
      [15, 'Brand-PayPal', 'patterns[3]', 3],
      [16, 'Brand-PayPal', 'patterns[4]', 4],
      [17, 'Brand-PayPal', 'patterns[5]', 5],
      [18, 'Brand-PayPal', 'patterns[6]', 6],
      [20, 'Brand-PayPal', 'exclude[0]', undefined],
      [21, 'Brand-PayPal', 'target[1]', undefined],
      [23, 'Brand-PayPal', 'actions[0].tagg', undefined],
      [24, 'Brand-PayPal', 'actions[1].classify', undefined],
      [25, 'Brand-PayPal', 'actions[2].tag', undefined],
      [26, 'Brand-PayPal', 'actions[3].alert.severity', undefined],
      [27, 'Brand-PayPal', 'actions[4]', undefined],
      [30, 'Brand-PayPal', 'tests.match', undefined],
      [40, 'bad-cidr', 'patterns[1]', 1],
      [41, 'bad-cidr', 'patterns[2]', 2],
      [47, 'cidr-on-email', 'match', undefined],
      [51, undefined, 'id', undefined],
      [51, undefined, 'field', undefined],
      [51, undefined, 'patterns', undefined],
      [51, undefined, 'actions', undefined],
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      'invalid id "Brand-PayPal": use 1 to 128 of a-z 0-9 . _ -, starting with a letter or digit (lower case only)',
      'must not be empty',
      'not an http(s) URL: "ftp://example.org/x"',
      'must be a list, not text "tlp.green"',
      'unknown status stabel, did you mean stable (one of experimental, test, stable, deprecated)',
      'must be true or false, not text "yes"',
      'unknown field whois.registrant.mail, did you mean whois.registrant.email',
      'unknown key pattern, did you mean patterns',
      'backreferences are not supported (RE2 is linear-time): \\1',
      'lookahead and lookbehind are not supported (RE2 is linear-time): (?=',
      'RE2: missing ): a(b',
      'pattern is empty',
      'must be text, not a list',
      'must be text, not the number 1.5 (quote it to make it text)',
      'atomic groups and possessive quantifiers are not supported (RE2 is linear-time): ++',
      'unknown target dmain, did you mean domain (one of domain, ip, certificate)',
      'unknown action tagg, did you mean tag (one of tag, classify, alert)',
      'unknown classification malcious, did you mean malicious (one of malicious, suspicious, non-malicious, unknown)',
      'invalid tag name "has space": use 1 to 64 letters, digits, _ - . :',
      'unknown severity urgent (one of low, medium, high)',
      'has 2 keys (tag, classify); an action has exactly one, so write each as its own "- " item',
      'must be a list, not text "46313@qq.com"',
      '"10.0.0.1/8" is not a network: host bits are set (did you mean 10.0.0.0/8?)',
      '"not-an-ip" is not a network: "not-an-ip" is not an IP address',
      'cidr matches only the fields ip and network, not whois.registrant.email; use regex or literal for this field',
      'required key missing',
      'required key missing',
      'required key missing',
      'required key missing',
    ]);
  });

  it('formats each error as one line', async () => {
    const { errors } = await loadSignatureFiles([fixture('many-mistakes.yaml')]);
    const file = fixture('many-mistakes.yaml');
    expect(formatError(errors[8]!)).toBe(
      `${file}:13: Brand-PayPal: patterns[1]: backreferences are not supported (RE2 is linear-time): \\1`,
    );
    expect(formatError(errors[25]!)).toBe(`${file}:51: id: required key missing`);
  });
});

describe('focused rules', () => {
  const errorsOf = (text: string, file = 'x.yaml'): string[] => brief(parseSignatureText(text, file).errors);

  it('suggests patterns for pattern, and still reports the missing patterns', () => {
    expect(errorsOf(sig('a', "pattern: ['^x']"))).toEqual([
      '1 patterns: required key missing',
      '4 pattern: unknown key pattern, did you mean patterns',
    ]);
  });

  it('ignores x- and x_ extension keys, refuses other unknown keys', () => {
    expect(errorsOf(sig('a', 'patterns: [x]', 'x-ticket: 1', 'x_review: {by: [me]}'))).toEqual([]);
    expect(errorsOf(sig('a', 'patterns: [x]', 'xticket: 1'))).toEqual(['5 xticket: unknown key xticket']);
  });

  it('reports wrong types instead of throwing', () => {
    expect(errorsOf(sig('a', 'patterns: foo'))).toEqual([
      '4 patterns: must be a list, not text "foo" (write one "- pattern" line per pattern)',
    ]);
    expect(errorsOf('id: a\ntitle: [t]\nfield: {x: 1}\npatterns: {}\nactions: tag')).toEqual([
      '2 title: must be text, not a list',
      '3 field: must be text, not a mapping',
      '4 patterns: must be a list, not a mapping (write one "- pattern" line per pattern)',
      '5 actions: must be a list, not text "tag" (write one "- tag: NAME" style line per action)',
    ]);
    expect(errorsOf('- a\n- b\n')).toEqual([
      '1 -: a YAML document holds one signature, a mapping of keys such as id and title, not a list (separate signatures with --- lines)',
    ]);
  });

  it('reports a required key written empty at its own line', () => {
    expect(errorsOf(sig('a', 'patterns:'))).toEqual(['4 patterns: required, must not be empty']);
  });

  it('accepts plain integers as patterns but not other numbers', () => {
    const text = sig('a', 'field: as.number', 'match: literal', 'patterns: [13335, 0x10, 013, -1, 1e3]');
    const { errors } = parseSignatureText(text.replace('field: domain\n', ''), 'x.yaml');
    expect(errors.map((e) => [e.pattern, e.message])).toEqual([
      [1, 'must be text, not the number 0x10 (quote it to make it text)'],
      [2, 'must be text, not the number 013 (quote it to make it text)'],
      [3, 'must be text, not the number -1 (quote it to make it text)'],
      [4, 'must be text, not the number 1e3 (quote it to make it text)'],
    ]);
    expect(parseSignatureText(sig('a', 'patterns: [13335]'), 'x.yaml').signatures[0]?.patterns).toEqual(['13335']);
  });

  it('limits a pattern to 4,096 characters', () => {
    const ok = parseSignatureText(sig('a', `patterns: ['${'a'.repeat(4096)}']`), 'x.yaml');
    expect(ok.errors).toEqual([]);
    const { errors } = parseSignatureText(sig('a', 'patterns:', '  - x', `  - '${'é'.repeat(4097)}'`), 'x.yaml');
    expect(errors).toEqual([
      {
        file: 'x.yaml',
        line: 6,
        signature: 'a',
        path: 'patterns[1]',
        pattern: 1,
        message: 'pattern is 4,097 characters long; at most 4,096 are allowed',
      },
    ]);
  });

  it('limits a signature to 10,000 patterns, reported once at the key', () => {
    const list = (n: number): string => `patterns: [${Array.from({ length: n }, (_, i) => `p${i}`).join(', ')}]`;
    expect(errorsOf(sig('a', list(10_000)))).toEqual([]);
    expect(errorsOf(sig('a', list(10_001)))).toEqual(['4 patterns: has 10,001 patterns; at most 10,000 are allowed']);
    expect(errorsOf(sig('a', 'patterns: []'))).toEqual(['4 patterns: must hold at least one pattern']);
  });

  it('checks exclude with the same match kind, without a pattern index', () => {
    const text = sig('a', 'field: ip', 'match: cidr', 'patterns: [10.0.0.0/8]', 'exclude: [10.1.0.0/16, 10.1.0.1/16]');
    const { errors } = parseSignatureText(text.replace('field: domain\n', ''), 'x.yaml');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 6, path: 'exclude[1]' });
    expect(errors[0]?.message).toMatch(/host bits are set/);
    expect(errors[0]?.pattern).toBeUndefined();
  });

  it('reads alert: with nothing as alert: {}', () => {
    const { signatures } = parseSignatureText('id: a\ntitle: t\nfield: ip\npatterns: [x]\nactions:\n  - alert:\n', 'x.yaml');
    expect(signatures[0]?.actions).toEqual([{ alert: { severity: 'medium' } }]);
  });

  it('refuses unknown actions, alert options, empty channels and bare action names', () => {
    expect(errorsOf(sig('a', 'patterns: [x]').replace('[{tag: x}]', '[{tga: x}, {alert: {chanels: [a]}}, {alert: {channels: []}}, tag]'))).toEqual([
      '5 actions[0].tga: unknown action tga, did you mean tag (one of tag, classify, alert)',
      '5 actions[1].alert.chanels: unknown alert option chanels, did you mean channels (one of severity, channels)',
      '5 actions[2].alert.channels: needs at least one channel name (leave it out to use every channel)',
      '5 actions[3]: an action is a mapping: write "tag: NAME"',
    ]);
  });

  it('refuses a repeated key, naming both lines', () => {
    expect(errorsOf(sig('a', 'patterns: [x]', 'patterns: [y]'))).toEqual(['5 patterns: duplicate key patterns (first at line 4)']);
  });

  it('refuses target lists that are empty or repeat a kind', () => {
    expect(errorsOf(sig('a', 'patterns: [x]', 'target: []'))).toEqual([
      '5 target: must name at least one of domain, ip, certificate (leave it out for the default targets)',
    ]);
    expect(errorsOf(sig('a', 'patterns: [x]', 'target: [ip, ip]'))).toEqual(['5 target: names ip twice']);
  });

  it('refuses duplicate ids within a file', () => {
    const { signatures, errors } = parseSignatureText(`${sig('a', 'patterns: [x]')}\n---\n${sig('a', 'patterns: [y]')}`, 'x.yaml');
    expect(brief(errors)).toEqual(['7 id: duplicate id a, first defined at x.yaml:1']);
    expect(signatures.map((s) => s.patterns)).toEqual([['x']]);
  });

  it('ignores empty documents', () => {
    const { signatures, errors } = parseSignatureText(`---\n# nothing\n---\n${sig('a', 'patterns: [x]')}\n---\n`, 'x.yaml');
    expect(errors).toEqual([]);
    expect(signatures.map((s) => [s.id, s.source?.line])).toEqual([['a', 4]]);
  });

  it('follows anchors and aliases, and refuses an alias without an anchor', () => {
    const shared = `${sig('a', 'patterns: &p [x, y]')}\n---\n`;
    const good = parseSignatureText(`${shared}id: b\ntitle: t\nfield: domain\npatterns: [x]\nactions: [&t {tag: t}, *t]`, 'x.yaml');
    expect(good.errors).toEqual([]);
    expect(good.signatures[1]?.actions).toEqual([{ tag: 't' }, { tag: 't' }]);
    expect(errorsOf(`${shared}${sig('b', 'patterns: *p')}`)).toEqual([
      '10 -: unknown alias *p: define &p before using it', // anchors do not cross documents
    ]);
  });
});

describe('syntax errors', () => {
  it('reports a YAML syntax error and still checks the next document', () => {
    const text = ['id: broken', 'title: a: b', 'field: domain', '---', 'id: next', 'title: t', 'field: domain', 'patterns: ["(?=x)"]', 'actions: [{tag: x}]'].join('\n');
    const { errors } = parseSignatureText(text, 'x.yaml');
    expect(errors.map((e) => [e.line, e.signature, e.path])).toEqual([
      [2, 'broken', undefined],
      [8, 'next', 'patterns[0]'],
    ]);
    expect(errors[0]?.message).toMatch(/^YAML syntax error \(column \d+\): /);
    expect(errors[1]?.message).toMatch(/^lookahead and lookbehind are not supported/);
  });

  it('reports an unclosed quote where it opens, not where the file ends', () => {
    const text = ['id: broken', "title: 'unclosed", 'field: domain', '---', 'id: swallowed'].join('\n');
    expect(brief(parseSignatureText(text, 'x.yaml').errors)).toEqual([
      "2 -: YAML syntax error (column 8): Missing closing 'quote",
    ]);
  });

  it('reports a JSON syntax error with line and column', () => {
    const trailingComma = '[\n  {"id": "a",\n   "patterns": ["x",],\n   "actions": []}\n]\n';
    expect(parseSignatureText(trailingComma, 'x.json').errors).toEqual([
      { file: 'x.json', line: 3, message: "JSON syntax error (column 21): Unexpected token ']'" },
    ]);
    const missingComma = '{\n  "id": "a",\n  "title": "t"\n  "field": "domain"\n}';
    expect(parseSignatureText(missingComma, 'x.json').errors).toEqual([
      { file: 'x.json', line: 4, message: "JSON syntax error (column 3): Expected ',' or '}' after property value" },
    ]);
  });

  it('detects JSON by its first character when the extension says nothing', () => {
    expect(brief(parseSignatureText('{"id": "a",}', 'rules.txt').errors)).toEqual([
      '1 -: JSON syntax error (column 12): Expected double-quoted property name',
    ]);
    expect(parseSignatureText(sig('a', 'patterns: [x]'), 'rules.txt').signatures).toHaveLength(1);
  });

  it('reports JSON values that are not signatures, with their lines', () => {
    const text = '[\n  {"id": "a", "title": "t", "field": "domian", "patterns": ["x"], "actions": [{"tag": "t"}]},\n  "b"\n]';
    expect(brief(parseSignatureText(text, 'x.json').errors)).toEqual([
      '2 field: unknown field domian, did you mean domain',
      '3 -: array item 1 must be a signature object, not text "b"',
    ]);
    expect(brief(parseSignatureText('42', 'x.json').errors)).toEqual([
      '1 -: a JSON signature file holds one object or an array of objects, not the number 42',
    ]);
  });

  it('refuses deep nesting before the YAML parser can exhaust the stack, again and again', () => {
    const deep = `id: a\nx-deep: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    for (let i = 0; i < 3; i++) {
      expect(brief(parseSignatureText(deep, 'x.yaml').errors)).toEqual([
        '2 -: nested more than 64 levels deep; a signature needs far fewer',
      ]);
    }
  });
});

describe('files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warren-sig-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an id used in two files, naming both places', async () => {
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.json');
    await writeFile(a, `${sig('shared', 'patterns: [x]')}\n---\n${sig('only-a', 'patterns: [y]')}\n`);
    await writeFile(b, JSON.stringify([{ id: 'other', title: 't', field: 'ip', patterns: ['1.2.3.4'], actions: [{ tag: 'x' }] }, { id: 'shared', title: 't', field: 'ip', patterns: ['1.2.3.4'], actions: [{ tag: 'x' }] }], null, 2));
    const { signatures, errors } = await loadSignatureFiles([a, b]);
    expect(errors).toEqual([
      { file: b, line: 16, signature: 'shared', path: 'id', message: `duplicate id shared, first defined at ${a}:1` },
    ]);
    expect(signatures.map((s) => s.id)).toEqual(['shared', 'only-a', 'other']);
  });

  it('reports an unreadable file at line 0 and still checks the others', async () => {
    const good = join(dir, 'good.yaml');
    await writeFile(good, sig('a', 'patterns: ["(a)\\\\1"]'));
    const missing = join(dir, 'missing.yaml');
    const { errors } = await loadSignatureFiles([missing, good, dir]);
    expect(errors.map((e) => [e.file, e.line, e.message])).toEqual([
      [missing, 0, 'cannot read file: ENOENT: no such file or directory'],
      [good, 4, 'backreferences are not supported (RE2 is linear-time): \\1'],
      [dir, 0, 'cannot read file: is a directory'],
    ]);
    expect(formatError(errors[0]!)).toBe(`${missing}: cannot read file: ENOENT: no such file or directory`);
  });

  it('refuses a file larger than 16 MiB with one error', async () => {
    const big = join(dir, 'big.yaml');
    await writeFile(big, `# ${'x'.repeat(MAX_FILE_BYTES)}\n`);
    expect((await loadSignatureFiles([big])).errors).toEqual([
      { file: big, line: 0, message: 'file is 16.0 MiB; at most 16.0 MiB is accepted' },
    ]);
    expect(parseSignatureText(`# ${'x'.repeat(MAX_FILE_BYTES)}`, 'big.yaml').errors).toHaveLength(1);
  });

  it('refuses bytes that are not UTF-8, at their line', async () => {
    const bad = join(dir, 'latin1.yaml');
    await writeFile(bad, Buffer.concat([Buffer.from('id: a\ntitle: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(brief((await loadSignatureFiles([bad])).errors)).toEqual(['2 -: not valid UTF-8']);
  });

  it('reads a file named twice once', async () => {
    const a = join(dir, 'once.yaml');
    await writeFile(a, sig('once', 'patterns: [x]'));
    const { signatures, errors } = await loadSignatureFiles([a, a]);
    expect(errors).toEqual([]);
    expect(signatures).toHaveLength(1);
  });
});

describe('error budget', () => {
  it('keeps the first 1,000 errors of a file and counts the rest in one line', () => {
    const text = sig('a', 'patterns: [x]', ...Array.from({ length: 1_005 }, (_, i) => `k${i}: 1`));
    const { errors, signatures } = parseSignatureText(text, 'x.yaml');
    expect(signatures).toEqual([]); // dropped errors still refuse the signature
    expect(errors).toHaveLength(1_001);
    expect(errors[999]).toMatchObject({ line: 1_004, path: 'k999' });
    expect(errors[1_000]).toEqual({ file: 'x.yaml', line: 1_004, message: '5 more errors not shown' });
  });
});

describe('formatError', () => {
  it('omits absent parts and keeps user text on one line', () => {
    expect(formatError({ file: 'f.yaml', line: 3, message: 'm' })).toBe('f.yaml:3: m');
    expect(formatError({ file: 'f.yaml', line: 3, signature: 's', pattern: 2, message: 'm' })).toBe('f.yaml:3: s: patterns[2]: m');
    expect(formatError({ file: 'f.yaml', line: 3, path: 'x', message: 'unknown key a\nb\u0007' })).toBe(
      'f.yaml:3: x: unknown key a\\nb\\u0007',
    );
  });
});

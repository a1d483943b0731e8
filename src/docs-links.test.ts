// Every relative link of README.md and docs/*.md leads to a file of this repository, and every
// #anchor to a heading of the file it names (GitHub's heading ids): a moved or renamed doc, or a
// link out of the repository (../shared is beside it, not in it), fails here.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../', import.meta.url));

/** Markdown without its fenced code blocks and inline code spans, where a `[x](y)` is no link. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The targets of a text's inline links and images, and of its reference definitions. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const out: string[] = [];
  for (const m of text.matchAll(/!?\[(?:[^\]\n]|\][^(\n])*?\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]!);
  for (const m of text.matchAll(/^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) out.push(m[1]!);
  return out;
}

/** GitHub's id of a heading: lower case, punctuation dropped, each space a hyphen. */
function headingId(heading: string): string {
  return heading
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** The ids of a markdown file's headings, a repeated one numbered as GitHub does (-1, -2, …). */
function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of prose(markdown).matchAll(/^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const id = headingId(m[1]!);
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    ids.add(n === 0 ? id : `${id}-${n}`);
  }
  return ids;
}

/** What is wrong with one link of `file`, or undefined when it leads somewhere real. */
function problem(file: string, target: string): string | undefined {
  // Links off the repository (a web page, mail) are not its to keep.
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined;
  const [rawPath = '', anchor] = target.split('#', 2) as [string, string | undefined];
  const path = decodeURIComponent(rawPath);
  const to = path === '' ? file : resolve(dirname(file), path);
  const inRepo = relative(REPO, to);
  if (inRepo.startsWith('..') || resolve(REPO, inRepo) !== to) return `${target}: outside the repository`;
  if (!existsSync(to)) return `${target}: no such file ${inRepo}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(to).isDirectory() || !to.endsWith('.md')) return `${target}: an anchor into something that is not a markdown file`;
  return headingIds(readFileSync(to, 'utf8')).has(decodeURIComponent(anchor).toLowerCase()) ? undefined : `${target}: no heading #${anchor} in ${inRepo}`;
}

const DOCS = [join(REPO, 'README.md'), ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(REPO, 'docs', f))];

describe('links of README.md and docs/*.md', () => {
  it('reads links as a markdown reader does', () => {
    const md = [
      'See [the guide](docs/GUIDE.md#set-up) and ![a picture](shots/a.png "title").',
      'Not in code: `[x](nowhere.md)`, nor',
      '```sh',
      'echo "[y](nowhere-either.md)"',
      '```',
      '[ref]: ../outside.md',
    ].join('\n');
    expect(linkTargets(md)).toEqual(['docs/GUIDE.md#set-up', 'shots/a.png', '../outside.md']);
    expect(headingId('Lenient X.509: conformance problems, not refusals')).toBe('lenient-x509-conformance-problems-not-refusals');
    expect(headingId('Fields beyond `fields.md`')).toBe('fields-beyond-fieldsmd');
    expect(problem(join(REPO, 'README.md'), '../shared/spec/signatures.md')).toMatch(/outside the repository/);
    expect(problem(join(REPO, 'README.md'), 'docs/NOPE.md')).toMatch(/no such file/);
    expect(problem(join(REPO, 'README.md'), 'docs/ARCHITECTURE.md#no-such-heading')).toMatch(/no heading/);
    expect(problem(join(REPO, 'README.md'), 'docs/ARCHITECTURE.md#matching')).toBeUndefined();
    expect(problem(join(REPO, 'README.md'), 'https://example.com/x')).toBeUndefined();
  });

  it.each(DOCS.map((f) => [relative(REPO, f), f]))('%s: every relative link resolves in the repository', (_name, file) => {
    const targets = linkTargets(readFileSync(file, 'utf8'));
    const problems = targets.map((t) => problem(file, t)).filter((p): p is string => p !== undefined);
    expect(problems).toEqual([]);
  });

  it('finds the links there are (the reader is not blind)', () => {
    const all = DOCS.flatMap((f) => linkTargets(readFileSync(f, 'utf8')).filter((t) => !/^[a-z]+:/i.test(t)));
    expect(all.length).toBeGreaterThan(15);
    expect(all).toContain('docs/ARCHITECTURE.md');
  });
});

// The acceptance checks of STIX exports, against OASIS's own artefacts in ../shared/data
// (never copied into the project): the STIX 2.1 JSON schemas (draft 2020-12, so Ajv2020) and
// the STIX pattern grammar, from which antlr-ng generates a TypeScript parser into a temporary
// folder at test time. Both are undefined when the data folder is absent: tests skip.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainToASCII, pathToFileURL } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const STIX_DATA = join(import.meta.dirname, '../../../../../shared/data/stix2-json-schemas');
const SCHEMAS = join(STIX_DATA, 'schemas');
const GRAMMAR = join(STIX_DATA, 'pattern_grammar/STIXPattern.g4');

export const haveStixData = existsSync(join(SCHEMAS, 'common/bundle.json')) && existsSync(GRAMMAR);

/** ajv-formats' formats, and idn-hostname (which it lacks): a name URL parsing accepts as a host. */
function withFormats(ajv: Ajv2020): void {
  addFormats.default(ajv);
  ajv.addFormat('idn-hostname', (s: string) => s.length > 0 && s.length <= 253 && !/[\s/?#@:]/.test(s) && domainToASCII(s) !== '');
}

/** A validator of whole bundles against the official schemas (every schema file loaded, refs by $id). */
export function bundleValidator(): ValidateFunction {
  // strict off: the official schemas use keywords Ajv's strict mode refuses; their patterns escape
  // '-' as \-, which is an error under the u flag.
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  withFormats(ajv);
  for (const dir of readdirSync(SCHEMAS)) {
    for (const file of readdirSync(join(SCHEMAS, dir)).filter((f) => f.endsWith('.json'))) {
      ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, dir, file), 'utf8')) as object);
    }
  }
  return ajv.getSchema('http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/common/bundle.json')!;
}

/** Validators of single objects by type (an SCO is not checked by the bundle's anyOf as strictly). */
export function objectValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  withFormats(ajv);
  const out = new Map<string, ValidateFunction>();
  const ids: [string, string][] = [];
  for (const dir of readdirSync(SCHEMAS)) {
    for (const file of readdirSync(join(SCHEMAS, dir)).filter((f) => f.endsWith('.json'))) {
      const schema = JSON.parse(readFileSync(join(SCHEMAS, dir, file), 'utf8')) as { $id: string };
      ajv.addSchema(schema);
      if (dir !== 'common') ids.push([file.replace(/\.json$/, ''), schema.$id]);
    }
  }
  for (const [type, id] of ids) out.set(type, ajv.getSchema(id)!);
  return out;
}

export interface PatternParser {
  /** The syntax errors of a pattern: none for one the grammar accepts. */
  errors(pattern: string): string[];
  close(): void;
}

/** STIXPattern.g4 → lexer and parser (antlr-ng, no Java) in a temporary folder, imported from there. */
export async function patternParser(): Promise<PatternParser> {
  const dir = mkdtempSync(join(tmpdir(), 'warren-stix-pattern-'));
  const require = createRequire(import.meta.url);
  const tool = join(import.meta.dirname, '../../../../node_modules/antlr-ng/dist/cli/runner.js');
  execFileSync(process.execPath, [tool, '-Dlanguage=TypeScript', '-l', 'false', '-o', dir, GRAMMAR], { stdio: 'pipe' });
  // The generated files import "antlr4ng", which a temporary folder cannot resolve: point them at ours.
  const runtime = pathToFileURL(require.resolve('antlr4ng')).href.replace(/index\.cjs$/, 'index.mjs');
  for (const f of ['STIXPatternLexer.ts', 'STIXPatternParser.ts']) {
    const p = join(dir, f);
    writeFileSync(p, readFileSync(p, 'utf8').replaceAll('"antlr4ng"', JSON.stringify(runtime)));
  }
  const antlr = (await import(runtime)) as typeof import('antlr4ng');
  type Ctor<T> = new (input: unknown) => T;
  const { STIXPatternLexer } = (await import(pathToFileURL(join(dir, 'STIXPatternLexer.ts')).href)) as { STIXPatternLexer: Ctor<import('antlr4ng').Lexer> };
  const { STIXPatternParser } = (await import(pathToFileURL(join(dir, 'STIXPatternParser.ts')).href)) as { STIXPatternParser: Ctor<import('antlr4ng').Parser & { pattern(): unknown }> };
  return {
    errors(pattern: string): string[] {
      const found: string[] = [];
      const listener = new (class extends antlr.BaseErrorListener {
        override syntaxError(_r: unknown, _s: unknown, line: number, column: number, msg: string): void {
          found.push(`${line}:${column} ${msg}`);
        }
      })();
      const lexer = new STIXPatternLexer(antlr.CharStream.fromString(pattern));
      lexer.removeErrorListeners();
      lexer.addErrorListener(listener);
      const parser = new STIXPatternParser(new antlr.CommonTokenStream(lexer));
      parser.removeErrorListeners();
      parser.addErrorListener(listener);
      parser.pattern();
      return found;
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

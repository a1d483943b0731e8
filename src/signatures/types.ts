// The in-memory form of a signature (../shared/spec/signatures.md), after validation.
import type { EntityKind } from '../fields/catalogue.js';

export type MatchKind = 'regex' | 'literal' | 'cidr' | 'lookalike';
export const MATCH_KINDS: readonly MatchKind[] = ['regex', 'literal', 'cidr', 'lookalike'];

/** How a look-alike differs from its brand (docs/LOOKALIKE.md), in the order explanations name them. */
export type LookalikeFamily =
  | 'homoglyph'
  | 'repetition'
  | 'vowel-swap'
  | 'bitsquatting'
  | 'omission'
  | 'insertion'
  | 'replacement'
  | 'transposition'
  | 'hyphenation'
  | 'keyword-added'
  | 'tld-swap';
export const LOOKALIKE_FAMILIES: readonly LookalikeFamily[] = [
  'homoglyph',
  'repetition',
  'vowel-swap',
  'bitsquatting',
  'omission',
  'insertion',
  'replacement',
  'transposition',
  'hyphenation',
  'keyword-added',
  'tld-swap',
];

/** The `lookalike:` options of a `match: lookalike` signature, defaulted. */
export interface LookalikeOptions {
  /** Largest Damerau–Levenshtein distance between the brand's skeleton and the matched text: 0 to 2. */
  readonly distance: number;
  /** Families a hit may use; every family by default. */
  readonly families: readonly LookalikeFamily[];
  /** Brands shorter than this match only without edits (homoglyphs, hyphens, keywords, TLDs). */
  readonly minLength: number;
  /**
   * The words keyword-added may add inside the registered label (`login` in paypal-login.com),
   * lower case; any word when absent. Like phishing_catcher's keyword list or dnstwist's
   * dictionary: without it, a brand's own infrastructure names (googlevideo.com) are look-alikes too.
   */
  readonly keywords?: readonly string[];
}

export const LOOKALIKE_DEFAULTS: LookalikeOptions = { distance: 1, families: LOOKALIKE_FAMILIES, minLength: 5 };
export const LOOKALIKE_MAX_DISTANCE = 2;

export type Classification = 'malicious' | 'suspicious' | 'non-malicious' | 'unknown';
/** Most severe first: the order in which automatic classifications win. */
export const CLASSIFICATIONS: readonly Classification[] = ['malicious', 'suspicious', 'non-malicious', 'unknown'];

export type Severity = 'low' | 'medium' | 'high';
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high'];

export type SignatureStatus = 'experimental' | 'test' | 'stable' | 'deprecated';
export const STATUSES: readonly SignatureStatus[] = ['experimental', 'test', 'stable', 'deprecated'];

export type Action =
  | { readonly tag: string }
  | { readonly classify: Classification }
  | { readonly alert: { readonly severity: Severity; readonly channels?: readonly string[] } };

export interface SignatureTests {
  readonly match: readonly string[];
  readonly noMatch: readonly string[];
}

export interface Signature {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly author?: string;
  readonly references: readonly string[];
  readonly labels: readonly string[];
  readonly status: SignatureStatus;
  readonly enabled: boolean;
  readonly field: string;
  readonly match: MatchKind;
  readonly caseSensitive: boolean;
  readonly patterns: readonly string[];
  readonly exclude: readonly string[];
  /** Options of `match: lookalike`; present exactly when the match kind is lookalike. */
  readonly lookalike?: LookalikeOptions;
  /** Explicit `target:` list; undefined means the field family's default targets. */
  readonly target?: readonly EntityKind[];
  readonly actions: readonly Action[];
  readonly tests?: SignatureTests;
  /** Where it was read from, for messages. */
  readonly source?: { readonly file: string; readonly line: number };
}

/** One reason a signature was refused. Every error of a load is reported at once. */
export interface SignatureError {
  readonly file: string;
  readonly line: number;
  /** The signature id when it could be read. */
  readonly signature?: string;
  /** Index into `patterns` when the error is about one pattern. */
  readonly pattern?: number;
  /** Dotted path of the offending key, e.g. `exclude[2]` or `actions[0].tag`. */
  readonly path?: string;
  readonly message: string;
}

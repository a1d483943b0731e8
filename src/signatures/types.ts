// The in-memory form of a signature (../shared/spec/signatures.md), after validation.
import type { EntityKind } from '../fields/catalogue.js';

export type MatchKind = 'regex' | 'literal' | 'cidr';
export const MATCH_KINDS: readonly MatchKind[] = ['regex', 'literal', 'cidr'];

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

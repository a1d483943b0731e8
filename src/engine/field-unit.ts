// The compiled form of every signature on one field, and matching of one value against it.
//
//  - exact values:            hash lookup (folded for case-insensitive, raw for case-sensitive)
//  - plain literal shapes:    the literal automaton alone (substring, prefix, suffix, label-suffix)
//  - other regexes:           their rarest required literal in the same automaton; a hit makes the
//                             pattern a candidate that its own RE2 object confirms on a Buffer
//  - literals shared by many: one trigger in the automaton that runs a small RE2.Set
//  - no usable literal:       small RE2.Sets run on every value
//  - cidr:                    a prefix trie
import RE2 from 're2';
import { parseNetwork } from '../fields/ip.js';
import type { Signature } from '../signatures/types.js';
import { AhoCorasick } from './aho-corasick.js';
import { CidrTrie } from './cidr-trie.js';
import { foldAscii } from './fold.js';
import { chooseLiteral } from './literal-choice.js';
import { anyTester, escapeRe2, re2Flags, type ValueTester } from './pattern-testers.js';
import { patternShape } from './regex-shape.js';
import { buildGroups, type Member, type SetGroup } from './set-group.js';

const SUBSTRING = 0;
const PREFIX = 1;
const SUFFIX = 2;
const LABEL_SUFFIX = 3;
const CANDIDATE = 4;
const TRIGGER = 5;

/** A weak literal shared by at least this many regexes triggers an RE2.Set instead of each. */
const TRIGGER_MIN = 6;

/** Per-unit statistics, for the benchmark and `--explain` style diagnostics. */
export interface UnitStats {
  signatures: number;
  patterns: number;
  exact: number;
  literal: number;
  candidate: number;
  triggered: number;
  alwaysSet: number;
  cidr: number;
  automatonStates: number;
}

interface EntrySpec {
  kind: number;
  sig: number;
  pat: number;
  needle: string; // folded
  raw?: string; // case-sensitive literal to verify against the unfolded text
  re?: RE2;
  trigger?: number;
}

export type UnitHitSink = (sig: number, value: string, pattern: number) => void;

export class FieldUnit {
  readonly stats: UnitStats;
  /** Global signature index of each local one (local order = global order). */
  readonly globalSig: Int32Array;

  private readonly exactFolded = new Map<string, number[]>(); // value → [sig, pat, sig, pat, …]
  private readonly exactRaw = new Map<string, number[]>();
  private readonly ac: AhoCorasick | undefined;
  private readonly needleEntryStart: Int32Array;
  private readonly needleEntries: Int32Array;
  private readonly eKind: Uint8Array;
  private readonly eSig: Int32Array;
  private readonly ePat: Int32Array;
  private readonly eLen: Int32Array;
  private readonly eRaw: (string | undefined)[];
  private readonly eRe: (RE2 | undefined)[];
  private readonly eTrigger: Int32Array;
  private readonly triggers: SetGroup[][] = [];
  private readonly alwaysGroups: SetGroup[] = [];
  private readonly cidr: CidrTrie | undefined;
  private readonly cidrRefs: number[] = []; // [sig, pat, …] indexed by trie value
  private readonly excludes: (ValueTester | undefined)[];

  // Per-value scratch, reused to avoid allocation.
  private stamp = 0;
  private readonly sigStamp: Int32Array;
  private readonly best: Int32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly entryStamp: Int32Array;
  private readonly triggerStamp: Int32Array;
  private readonly firedTriggers: number[] = [];
  private readonly candEntries: number[] = [];
  private curRaw = '';
  private curFolded = '';
  private readonly acSink: (needle: number, end: number) => void;

  constructor(signatures: readonly Signature[], globalIndex: readonly number[]) {
    this.globalSig = Int32Array.from(globalIndex);
    const n = signatures.length;
    this.sigStamp = new Int32Array(n);
    this.best = new Int32Array(n);
    this.touched = new Int32Array(n);
    this.excludes = signatures.map((s) => anyTester(s.match, s.exclude, s.caseSensitive));

    const stats: UnitStats = {
      signatures: n,
      patterns: 0,
      exact: 0,
      literal: 0,
      candidate: 0,
      triggered: 0,
      alwaysSet: 0,
      cidr: 0,
      automatonStates: 0,
    };
    const entries: EntrySpec[] = [];
    const complexByLiteral = new Map<string, Member[]>(); // folded literal → regexes needing it
    const complexFlags = new Map<Member, boolean>(); // member → case-sensitive
    const alwaysMembers: { cs: Member[]; ci: Member[] } = { cs: [], ci: [] };
    let cidr: CidrTrie | undefined;

    signatures.forEach((s, sig) => {
      s.patterns.forEach((p, pat) => {
        stats.patterns++;
        if (s.match === 'cidr') {
          const parsed = parseNetwork(p);
          if (!parsed.ok) throw new Error(`signature ${s.id}: ${parsed.reason}`);
          cidr ??= new CidrTrie();
          cidr.insert(parsed.network, this.cidrRefs.length / 2);
          this.cidrRefs.push(sig, pat);
          stats.cidr++;
          return;
        }
        const source = s.match === 'literal' ? `^${escapeRe2(p)}$` : p;
        const shape = patternShape(source, !s.caseSensitive);
        switch (shape.kind) {
          case 'exact': {
            const map = s.caseSensitive ? this.exactRaw : this.exactFolded;
            const key = s.caseSensitive ? shape.literal : foldAscii(shape.literal);
            let list = map.get(key);
            if (!list) map.set(key, (list = []));
            list.push(sig, pat);
            stats.exact++;
            return;
          }
          case 'substring':
          case 'prefix':
          case 'suffix':
          case 'label-suffix': {
            const kind = { substring: SUBSTRING, prefix: PREFIX, suffix: SUFFIX, 'label-suffix': LABEL_SUFFIX }[shape.kind];
            entries.push({
              kind,
              sig,
              pat,
              needle: foldAscii(shape.literal),
              ...(s.caseSensitive ? { raw: shape.literal } : {}),
            });
            stats.literal++;
            return;
          }
          case 'complex': {
            const member: Member = { sig, pat, source };
            complexFlags.set(member, s.caseSensitive);
            const literal = chooseLiteral(shape.required.map(foldAscii));
            if (literal === undefined) {
              (s.caseSensitive ? alwaysMembers.cs : alwaysMembers.ci).push(member);
              stats.alwaysSet++;
              return;
            }
            let list = complexByLiteral.get(literal);
            if (!list) complexByLiteral.set(literal, (list = []));
            list.push(member);
            return;
          }
        }
      });
    });

    for (const [literal, members] of complexByLiteral) {
      if (members.length < TRIGGER_MIN) {
        for (const m of members) {
          const cs = complexFlags.get(m)!;
          entries.push({ kind: CANDIDATE, sig: m.sig, pat: m.pat, needle: literal, re: new RE2(m.source, re2Flags(cs)) });
          stats.candidate++;
        }
        continue;
      }
      const cs = members.filter((m) => complexFlags.get(m));
      const ci = members.filter((m) => !complexFlags.get(m));
      const groups = [...buildGroups(cs, re2Flags(true)), ...buildGroups(ci, re2Flags(false))];
      entries.push({ kind: TRIGGER, sig: -1, pat: -1, needle: literal, trigger: this.triggers.length });
      this.triggers.push(groups);
      stats.triggered += members.length;
    }
    this.alwaysGroups = [...buildGroups(alwaysMembers.cs, re2Flags(true)), ...buildGroups(alwaysMembers.ci, re2Flags(false))];
    this.cidr = cidr;

    // Needles: one automaton entry per distinct folded literal; several entries may share it.
    const needleIds = new Map<string, number>();
    const byNeedle: number[][] = [];
    entries.forEach((e, i) => {
      let id = needleIds.get(e.needle);
      if (id === undefined) {
        id = byNeedle.length;
        needleIds.set(e.needle, id);
        byNeedle.push([]);
      }
      byNeedle[id]!.push(i);
    });
    this.ac = byNeedle.length > 0 ? new AhoCorasick([...needleIds.keys()]) : undefined;
    stats.automatonStates = this.ac?.stateCount ?? 0;
    this.needleEntryStart = new Int32Array(byNeedle.length + 1);
    this.needleEntries = new Int32Array(entries.length);
    let k = 0;
    byNeedle.forEach((list, id) => {
      this.needleEntryStart[id] = k;
      for (const e of list) this.needleEntries[k++] = e;
    });
    this.needleEntryStart[byNeedle.length] = k;
    this.eKind = Uint8Array.from(entries, (e) => e.kind);
    this.eSig = Int32Array.from(entries, (e) => e.sig);
    this.ePat = Int32Array.from(entries, (e) => e.pat);
    this.eLen = Int32Array.from(entries, (e) => e.needle.length);
    this.eRaw = entries.map((e) => e.raw);
    this.eRe = entries.map((e) => e.re);
    this.eTrigger = Int32Array.from(entries, (e) => e.trigger ?? -1);
    this.entryStamp = new Int32Array(entries.length);
    this.triggerStamp = new Int32Array(this.triggers.length);
    this.stats = stats;
    this.acSink = (needle, end) => this.onNeedle(needle, end);
  }

  private mark(sig: number, pat: number): void {
    if (this.sigStamp[sig] !== this.stamp) {
      this.sigStamp[sig] = this.stamp;
      this.best[sig] = pat;
      this.touched[this.touchedCount++] = sig;
    } else if (pat < this.best[sig]!) {
      this.best[sig] = pat;
    }
  }

  private markPairs(list: number[] | undefined): void {
    if (!list) return;
    for (let i = 0; i < list.length; i += 2) this.mark(list[i]!, list[i + 1]!);
  }

  private onNeedle(needle: number, end: number): void {
    const text = this.curFolded;
    for (let k = this.needleEntryStart[needle]!, stop = this.needleEntryStart[needle + 1]!; k < stop; k++) {
      const e = this.needleEntries[k]!;
      const kind = this.eKind[e]!;
      const start = end - this.eLen[e]!;
      switch (kind) {
        case SUBSTRING:
          break;
        case PREFIX:
          if (start !== 0) continue;
          break;
        case SUFFIX:
          if (end !== text.length) continue;
          break;
        case LABEL_SUFFIX:
          if (end !== text.length || (start !== 0 && text.charCodeAt(start - 1) !== 46)) continue;
          break;
        case CANDIDATE:
          if (this.entryStamp[e] !== this.stamp) {
            this.entryStamp[e] = this.stamp;
            this.candEntries.push(e);
          }
          continue;
        case TRIGGER: {
          const t = this.eTrigger[e]!;
          if (this.triggerStamp[t] !== this.stamp) {
            this.triggerStamp[t] = this.stamp;
            this.firedTriggers.push(t);
          }
          continue;
        }
      }
      const raw = this.eRaw[e];
      if (raw !== undefined && !this.curRaw.startsWith(raw, start)) continue;
      this.mark(this.eSig[e]!, this.ePat[e]!);
    }
  }

  private runGroups(groups: readonly SetGroup[], input: Buffer): void {
    for (const g of groups) {
      g.run(input, (i) => {
        const m = g.members[i]!;
        this.mark(m.sig, m.pat);
      });
    }
  }

  /** Matches one value; calls `sink` per firing signature (local index), in signature order. */
  matchValue(value: string, sink: UnitHitSink): void {
    if (++this.stamp === 0x7fffffff) this.resetStamps();
    this.touchedCount = 0;
    this.candEntries.length = 0;
    this.firedTriggers.length = 0;
    const folded = foldAscii(value);
    this.curRaw = value;
    this.curFolded = folded;

    this.markPairs(this.exactFolded.get(folded));
    this.markPairs(this.exactRaw.get(value));
    this.ac?.scan(folded, this.acSink);
    if (this.cidr) {
      const parsed = parseNetwork(value);
      if (parsed.ok) {
        this.cidr.collect(parsed.network, (ref) => this.mark(this.cidrRefs[ref * 2]!, this.cidrRefs[ref * 2 + 1]!));
      }
    }

    let input: Buffer | undefined;
    if (this.alwaysGroups.length > 0 || this.firedTriggers.length > 0 || this.candEntries.length > 0) {
      input = Buffer.from(value, 'utf8');
      this.runGroups(this.alwaysGroups, input);
      for (const t of this.firedTriggers) this.runGroups(this.triggers[t]!, input);
      this.confirmCandidates(input);
    }

    if (this.touchedCount === 0) return;
    const touched = this.touched.subarray(0, this.touchedCount);
    if (touched.length > 1) touched.sort();
    for (const sig of touched) {
      const exclude = this.excludes[sig];
      if (exclude && exclude(value)) continue;
      sink(sig, value, this.best[sig]!);
    }
  }

  /** Lowest pattern index first, so each signature's first confirmed pattern is its minimum. */
  private confirmCandidates(input: Buffer): void {
    const cands = this.candEntries;
    if (cands.length === 0) return;
    if (cands.length > 1) cands.sort((a, b) => this.ePat[a]! - this.ePat[b]!);
    for (const e of cands) {
      const sig = this.eSig[e]!;
      const pat = this.ePat[e]!;
      if (this.sigStamp[sig] === this.stamp && this.best[sig]! <= pat) continue;
      if (this.eRe[e]!.test(input)) this.mark(sig, pat);
    }
  }

  private resetStamps(): void {
    this.stamp = 1;
    this.sigStamp.fill(0);
    this.entryStamp.fill(0);
    this.triggerStamp.fill(0);
  }
}

// The compiled form of every signature on one field, and matching of one value against it.
//
//  - exact values:            hash lookup (folded for case-insensitive, raw for case-sensitive)
//  - plain literal shapes:    the literal automaton alone (substring, prefix, suffix, label-suffix)
//  - other regexes:           their rarest required literal (or set of alternative literals) in
//                             the same automaton; a hit makes the pattern a candidate that its own
//                             RE2 object confirms on a Buffer
//  - literals shared by many: one trigger in the automaton that runs a small RE2.Set
//  - no usable literal:       small RE2.Sets run on every value long enough to match
//  - cidr:                    a prefix trie
import RE2 from 're2';
import { parseNetwork } from '../fields/ip.js';
import type { Signature } from '../signatures/types.js';
import { AhoCorasick } from './aho-corasick.js';
import { CidrTrie } from './cidr-trie.js';
import { foldAscii } from './fold.js';
import { chooseFactor } from './literal-choice.js';
import { anyTester, escapeRe2, re2Flags, type ValueTester } from './pattern-testers.js';
import { patternShape } from './regex-shape.js';
import { buildGroups, type Member, type SetGroup } from './set-group.js';
import type { Hit } from './types.js';

const SUBSTRING = 0;
const PREFIX = 1;
const SUFFIX = 2;
const LABEL_SUFFIX = 3;
const CANDIDATE = 4;
const TRIGGER = 5;

/** A literal shared by at least this many regexes triggers an RE2.Set instead of each regex. */
const TRIGGER_MIN = 6;

/** Per-unit statistics, for the benchmark and diagnostics. */
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
  raw?: string; // case-sensitive literal to verify against the text
  /** CANDIDATE: index into the candidate tables; TRIGGER: index into `triggers`. */
  ref: number;
}

interface ComplexMember extends Member {
  readonly caseSensitive: boolean;
}

export class FieldUnit {
  readonly stats: UnitStats;

  private readonly ids: readonly string[];
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
  private readonly eRef: Int32Array;
  private readonly candSig: number[] = [];
  private readonly candPat: number[] = [];
  private readonly candRe: RE2[] = [];
  private readonly triggers: SetGroup[][] = [];
  private readonly alwaysGroups: SetGroup[];
  private readonly cidr: CidrTrie | undefined;
  private readonly cidrRefs: number[] = []; // [sig, pat, …] indexed by trie value
  private readonly excludes: (ValueTester | undefined)[];

  // Per-value scratch, reused to avoid allocation.
  private stamp = 0;
  private readonly sigStamp: Int32Array;
  private readonly best: Int32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly candStamp: Int32Array;
  private readonly triggerStamp: Int32Array;
  private readonly firedTriggers: number[] = [];
  private readonly firedCands: number[] = [];
  private curText = '';
  private readonly acSink: (needle: number, end: number) => void;
  private readonly markCidr: (ref: number) => void;

  /** `ids[i]` is the id of `signatures[i]`, all of them on `field`. */
  constructor(
    private readonly field: string,
    signatures: readonly Signature[],
  ) {
    this.ids = signatures.map((s) => s.id);
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
    const byLiteral = new Map<string, ComplexMember[]>(); // single folded literal → regexes needing it
    const always: ComplexMember[] = [];
    let cidr: CidrTrie | undefined;

    const addCandidate = (m: ComplexMember, needles: readonly string[]): void => {
      const ref = this.candRe.length;
      this.candSig.push(m.sig);
      this.candPat.push(m.pat);
      this.candRe.push(new RE2(m.source, re2Flags(m.caseSensitive)));
      for (const needle of needles) entries.push({ kind: CANDIDATE, sig: m.sig, pat: m.pat, needle, ref });
      stats.candidate++;
    };

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
              ref: -1,
              ...(s.caseSensitive ? { raw: shape.literal } : {}),
            });
            stats.literal++;
            return;
          }
          case 'complex': {
            const member: ComplexMember = { sig, pat, source, minLength: shape.minLength, caseSensitive: s.caseSensitive };
            const factor = chooseFactor(shape.factors.map((f) => f.map(foldAscii)));
            if (factor === undefined) {
              always.push(member);
              stats.alwaysSet++;
            } else if (factor.length > 1) {
              addCandidate(member, factor);
            } else {
              let list = byLiteral.get(factor[0]!);
              if (!list) byLiteral.set(factor[0]!, (list = []));
              list.push(member);
            }
            return;
          }
        }
      });
    });

    for (const [literal, members] of byLiteral) {
      if (members.length < TRIGGER_MIN) {
        for (const m of members) addCandidate(m, [literal]);
        continue;
      }
      entries.push({ kind: TRIGGER, sig: -1, pat: -1, needle: literal, ref: this.triggers.length });
      this.triggers.push(groupsByFlags(members));
      stats.triggered += members.length;
    }
    this.alwaysGroups = groupsByFlags(always);
    this.cidr = cidr;

    // One automaton needle per distinct folded literal; several entries may share it.
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
    this.ac = byNeedle.length > 0 ? new AhoCorasick([...needleIds.keys()], true) : undefined;
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
    this.eRef = Int32Array.from(entries, (e) => e.ref);
    this.candStamp = new Int32Array(this.candRe.length);
    this.triggerStamp = new Int32Array(this.triggers.length);
    this.stats = stats;
    this.acSink = (needle, end) => this.onNeedle(needle, end);
    this.markCidr = (ref) => this.mark(this.cidrRefs[ref * 2]!, this.cidrRefs[ref * 2 + 1]!);
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
    const text = this.curText;
    for (let k = this.needleEntryStart[needle]!, stop = this.needleEntryStart[needle + 1]!; k < stop; k++) {
      const e = this.needleEntries[k]!;
      const start = end - this.eLen[e]!;
      switch (this.eKind[e]!) {
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
        case CANDIDATE: {
          const c = this.eRef[e]!;
          if (this.candStamp[c] !== this.stamp) {
            this.candStamp[c] = this.stamp;
            this.firedCands.push(c);
          }
          continue;
        }
        case TRIGGER: {
          const t = this.eRef[e]!;
          if (this.triggerStamp[t] !== this.stamp) {
            this.triggerStamp[t] = this.stamp;
            this.firedTriggers.push(t);
          }
          continue;
        }
      }
      const raw = this.eRaw[e];
      if (raw !== undefined && !text.startsWith(raw, start)) continue;
      this.mark(this.eSig[e]!, this.ePat[e]!);
    }
  }

  private runGroups(groups: readonly SetGroup[], value: string, input: Buffer | undefined): Buffer | undefined {
    for (const g of groups) {
      if (value.length < g.minLength) continue;
      input ??= Buffer.from(value, 'utf8');
      g.run(input, (i) => {
        const m = g.members[i]!;
        this.mark(m.sig, m.pat);
      });
    }
    return input;
  }

  /** Matches one value and appends its hits to `out`, in signature order. */
  matchValue(value: string, out: Hit[]): void {
    if (++this.stamp === 0x7fffffff) this.resetStamps();
    this.touchedCount = 0;
    this.firedCands.length = 0;
    this.firedTriggers.length = 0;
    this.curText = value;

    if (this.exactFolded.size > 0) this.markPairs(this.exactFolded.get(foldAscii(value)));
    if (this.exactRaw.size > 0) this.markPairs(this.exactRaw.get(value));
    this.ac?.scan(value, this.acSink);
    if (this.cidr) {
      const parsed = parseNetwork(value);
      if (parsed.ok) this.cidr.collect(parsed.network, this.markCidr);
    }

    let input = this.runGroups(this.alwaysGroups, value, undefined);
    for (const t of this.firedTriggers) input = this.runGroups(this.triggers[t]!, value, input);
    if (this.firedCands.length > 0) this.confirmCandidates(value, input);

    if (this.touchedCount === 0) return;
    const touched = this.touched.subarray(0, this.touchedCount);
    if (touched.length > 1) touched.sort();
    for (const sig of touched) {
      const exclude = this.excludes[sig];
      if (exclude && exclude(value)) continue;
      out.push({ signature: this.ids[sig]!, field: this.field, value, pattern: this.best[sig]! });
    }
  }

  /** Lowest pattern index first, so each signature's first confirmed pattern is its minimum. */
  private confirmCandidates(value: string, input: Buffer | undefined): void {
    const cands = this.firedCands;
    if (cands.length > 1) cands.sort((a, b) => this.candPat[a]! - this.candPat[b]!);
    for (const c of cands) {
      const sig = this.candSig[c]!;
      const pat = this.candPat[c]!;
      if (this.sigStamp[sig] === this.stamp && this.best[sig]! <= pat) continue;
      input ??= Buffer.from(value, 'utf8');
      if (this.candRe[c]!.test(input)) this.mark(sig, pat);
    }
  }

  private resetStamps(): void {
    this.stamp = 1;
    this.sigStamp.fill(0);
    this.candStamp.fill(0);
    this.triggerStamp.fill(0);
  }
}

function groupsByFlags(members: readonly ComplexMember[]): SetGroup[] {
  return [
    ...buildGroups(
      members.filter((m) => m.caseSensitive),
      re2Flags(true),
    ),
    ...buildGroups(
      members.filter((m) => !m.caseSensitive),
      re2Flags(false),
    ),
  ];
}

// The compiled form of every signature on one field, and matching of one value against it.
//
//  - exact values:            hash lookup (folded for case-insensitive, raw for case-sensitive)
//  - plain literal shapes:    the literal automaton alone (substring, prefix, suffix, label-suffix)
//  - other regexes:           their rarest required literal (or set of alternative literals) in
//                             the same automaton; a hit makes the pattern a candidate that its own
//                             RE2 object (or direct check) confirms on a Buffer, once for all the
//                             signatures that repeat the same regex
//  - literals shared by many: one trigger in the automaton that runs a small RE2.Set
//  - no usable literal:       small RE2.Sets run on every value long enough to match
//  - cidr:                    a prefix trie
import RE2 from 're2';
import { parseNetwork } from '../fields/ip.js';
import type { Signature } from '../signatures/types.js';
import { AhoCorasick } from './aho-corasick.js';
import { AnchoredTrie } from './anchored-trie.js';
import { Q, QGramIndex } from './qgram-index.js';
import { CidrTrie } from './cidr-trie.js';
import { ExactValues } from './exact-values.js';
import { foldAscii } from './fold.js';
import { chooseFactor } from './literal-choice.js';
import { directShape, type DirectCheck } from './direct-check.js';
import { bufferTester, escapeRe2, re2Flags, type BufferTester } from './pattern-testers.js';
import { patternShape } from './regex-shape.js';
import { buildGroups, type Member, type SetGroup } from './set-group.js';
import type { Hit } from './types.js';
import { utf8View } from './utf8-view.js';

const SUBSTRING = 0;
const PREFIX = 1;
const SUFFIX = 2;
const LABEL_SUFFIX = 3;
const CANDIDATE = 4;
const TRIGGER = 5;
/** In an entry's kind word: its literal is case-sensitive, verified against `slotRaw`. */
const HAS_RAW = 8;
/** Int32 words per entry in `slotInfo`: kind (| HAS_RAW), needle length, signature, pattern or ref. */
const SLOT_WORDS = 4;
/** Int32 words per candidate in `candInfo`: stamp, first and end offset in `candMembers`, minimum length. */
const CAND_WORDS = 4;

/** A literal shared by at least this many regexes triggers an RE2.Set instead of each regex. */
const TRIGGER_MIN = 6;

/** Bounds the per-batch memo when a caller passes one very large batch. */
const MEMO_LIMIT = 20_000;
const NO_HITS: readonly Hit[] = [];
/** The share of repeated values in a batch from which the memo pays for its look-ups. */
const MEMO_MIN_REPEATS = 0.05;
const MEMO_PROBE = 16;

/** Per-unit statistics, for the benchmark and diagnostics. */
export interface UnitStats {
  signatures: number;
  patterns: number;
  exact: number;
  literal: number;
  candidate: number;
  triggered: number;
  alwaysSet: number;
  /** Regexes decided without RE2 (direct-check.ts): as literals, or confirmed by a class-run check (not in `candidate`). */
  direct: number;
  cidr: number;
  automatonStates: number;
  trieStates: number;
  qgramNeedles: number;
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
  private readonly exactFolded = new ExactValues(true); // value → [sig, pat, sig, pat, …]
  private readonly exactRaw = new ExactValues(false);
  private readonly ac: AhoCorasick | undefined;
  /**
   * Every entry's data, in the order of the homes' needles (`acStart` and the like index it), so
   * that a needle's entries are read from one run of memory: with 100,000 signatures, entries in
   * parallel arrays cost a cache miss per array and entry.
   */
  private readonly slotInfo: Int32Array;
  private readonly slotRaw: (string | undefined)[];
  private readonly acStart: Int32Array;
  private readonly qgramStart: Int32Array;
  private readonly qgram: QGramIndex | undefined;
  private readonly qgramSink: (needle: number, end: number) => void;
  private curFolded: string | undefined;
  private readonly foldedText = (): string => (this.curFolded ??= foldAscii(this.curText));
  private readonly prefixStart: Int32Array;
  private readonly suffixStart: Int32Array;
  private readonly prefixTrie: AnchoredTrie | undefined;
  private readonly suffixTrie: AnchoredTrie | undefined;
  /** Per candidate, its CAND_WORDS words side by side, for the same reason. */
  private readonly candInfo: Int32Array;
  /**
   * The (signature, pattern) pairs of each candidate, one candidate per distinct regex: large
   * sets repeat patterns (teams' copies, packs; 43,608 distinct of 100,000 in the hit-heavy
   * benchmark), and a repeated regex is confirmed once for all its signatures.
   */
  private readonly candMembers: Int32Array;
  private readonly candRe: (RE2 | undefined)[] = [];
  private readonly candDirect: (DirectCheck | undefined)[] = [];
  private readonly triggers: SetGroup[][] = [];
  private readonly alwaysGroups: SetGroup[];
  private readonly cidr: CidrTrie | undefined;
  private readonly cidrRefs: number[] = []; // [sig, pat, …] indexed by trie value
  private readonly excludes: (BufferTester | undefined)[];
  /** One bit per signature with excludes: most have none, and the array above is one more miss per hit. */
  private readonly hasExclude: Uint32Array;

  private readonly memo = new Map<string, readonly Hit[]>();
  private memoOn = false;
  private memoWorthIt = true;
  private memoLookups = 0;
  private memoRepeats = 0;
  private batches = 0;

  // Per-value scratch, reused to avoid allocation.
  private stamp = 0;
  /** Per signature: the stamp of the value that last touched it, then its best pattern there. */
  private readonly sigState: Int32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly triggerStamp: Int32Array;
  private readonly firedTriggers: Int32Array;
  private firedTriggerCount = 0;
  private readonly firedCands: Int32Array;
  private firedCandCount = 0;
  private curText = '';
  private readonly acSink: (needle: number, end: number) => void;
  private readonly prefixSink: (needle: number, length: number) => void;
  private readonly suffixSink: (needle: number, length: number) => void;
  private readonly markCidr: (ref: number) => void;
  private readonly candPatOf = (c: number): number => this.candMembers[this.candInfo[c * CAND_WORDS + 1]! + 1]!;

  /** `ids[i]` is the id of `signatures[i]`, all of them on `field`. */
  constructor(
    private readonly field: string,
    signatures: readonly Signature[],
  ) {
    this.ids = signatures.map((s) => s.id);
    const n = signatures.length;
    this.sigState = new Int32Array(2 * n);
    this.touched = new Int32Array(n);
    this.excludes = signatures.map((s) => bufferTester(s.match, s.exclude, s.caseSensitive));
    this.hasExclude = new Uint32Array((n + 31) >>> 5);
    this.excludes.forEach((x, sig) => {
      if (x) this.hasExclude[sig >>> 5]! |= 1 << (sig & 31);
    });

    const stats: UnitStats = {
      signatures: n,
      patterns: 0,
      exact: 0,
      literal: 0,
      candidate: 0,
      triggered: 0,
      alwaysSet: 0,
      direct: 0,
      cidr: 0,
      automatonStates: 0,
      trieStates: 0,
      qgramNeedles: 0,
    };
    const entries: EntrySpec[] = [];
    const candMembers: number[][] = [];
    const candMinLength: number[] = [];
    const candByRegex = new Map<string, number>();
    // Folded literal alternatives (joined by NUL) → the regexes needing one of them.
    const byFactor = new Map<string, ComplexMember[]>();
    const always: ComplexMember[] = [];
    let cidr: CidrTrie | undefined;

    const addCandidate = (m: ComplexMember, needles: readonly string[], direct?: DirectCheck): void => {
      if (!direct) stats.candidate++;
      // The same regex (and case rule) always comes with the same needles and check: join it.
      const regex = `${m.caseSensitive ? 's' : 'i'}${m.source}`;
      const known = candByRegex.get(regex);
      if (known !== undefined) {
        candMembers[known]!.push(m.sig, m.pat);
        return;
      }
      const ref = this.candRe.length;
      candByRegex.set(regex, ref);
      candMembers.push([m.sig, m.pat]);
      candMinLength.push(m.minLength);
      this.candRe.push(direct ? undefined : new RE2(m.source, re2Flags(m.caseSensitive)));
      this.candDirect.push(direct);
      for (const needle of needles) entries.push({ kind: CANDIDATE, sig: m.sig, pat: m.pat, needle, ref });
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
            (s.caseSensitive ? this.exactRaw : this.exactFolded).add(shape.literal, sig, pat);
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
            const direct = directShape(source, !s.caseSensitive);
            if (direct?.kind === 'finite') {
              // A few literals stand for the regex exactly: the automaton decides it alone.
              const kind = direct.start ? PREFIX : direct.end ? SUFFIX : SUBSTRING;
              for (const literal of direct.strings) {
                if (direct.start && direct.end) {
                  (s.caseSensitive ? this.exactRaw : this.exactFolded).add(literal, sig, pat);
                } else {
                  entries.push({ kind, sig, pat, needle: foldAscii(literal), ref: -1, ...(s.caseSensitive ? { raw: literal } : {}) });
                }
              }
              stats.direct++;
              return;
            }
            const member: ComplexMember = { sig, pat, source, minLength: shape.minLength, caseSensitive: s.caseSensitive };
            const factor = chooseFactor(shape.factors.map((f) => f.map(foldAscii)));
            if (direct !== undefined && factor !== undefined) {
              // Confirmed by scanning, never grouped into an RE2.Set trigger.
              addCandidate(member, [...new Set(factor)], direct.check);
              stats.direct++;
              return;
            }
            if (factor === undefined) {
              always.push(member);
              stats.alwaysSet++;
            } else {
              const key = [...new Set(factor)].sort().join('\0');
              let list = byFactor.get(key);
              if (!list) byFactor.set(key, (list = []));
              list.push(member);
            }
            return;
          }
        }
      });
    });

    for (const [key, members] of byFactor) {
      const needles = key.split('\0');
      if (members.length < TRIGGER_MIN) {
        for (const m of members) addCandidate(m, needles);
        continue;
      }
      for (const needle of needles) entries.push({ kind: TRIGGER, sig: -1, pat: -1, needle, ref: this.triggers.length });
      this.triggers.push(groupsByFlags(members));
      stats.triggered += members.length;
    }
    this.alwaysGroups = groupsByFlags(always);
    this.cidr = cidr;

    // Needles go where they can be found cheapest: anchored ones into tries walked from one end,
    // the rest into the automaton. One needle per distinct folded literal and home; several
    // entries may share it. All homes index one `needleEntries` array.
    const homes = { ac: new NeedleIndex(), qgram: new NeedleIndex(), prefix: new NeedleIndex(), suffix: new NeedleIndex() };
    entries.forEach((e, i) => {
      const home =
        e.kind === PREFIX
          ? homes.prefix
          : e.kind === SUFFIX || e.kind === LABEL_SUFFIX
            ? homes.suffix
            : e.needle.length >= Q
              ? homes.qgram
              : homes.ac;
      home.add(e.needle, i);
    });
    this.slotInfo = new Int32Array(entries.length * SLOT_WORDS);
    this.slotRaw = new Array<string | undefined>(entries.length).fill(undefined);
    let k = 0;
    const layout = (index: NeedleIndex): Int32Array => {
      const start = new Int32Array(index.lists.length + 1);
      index.lists.forEach((list, id) => {
        start[id] = k;
        for (const i of list) {
          const e = entries[i]!;
          const at = k * SLOT_WORDS;
          this.slotInfo[at] = e.kind | (e.raw !== undefined ? HAS_RAW : 0);
          this.slotInfo[at + 1] = e.needle.length;
          this.slotInfo[at + 2] = e.sig;
          this.slotInfo[at + 3] = e.kind === CANDIDATE || e.kind === TRIGGER ? e.ref : e.pat;
          this.slotRaw[k] = e.raw;
          k++;
        }
      });
      start[index.lists.length] = k;
      return start;
    };
    this.acStart = layout(homes.ac);
    this.qgramStart = layout(homes.qgram);
    this.prefixStart = layout(homes.prefix);
    this.suffixStart = layout(homes.suffix);
    this.ac = homes.ac.lists.length > 0 ? new AhoCorasick(homes.ac.needles(), true) : undefined;
    this.qgram = homes.qgram.lists.length > 0 ? new QGramIndex(homes.qgram.needles()) : undefined;
    this.prefixTrie = homes.prefix.lists.length > 0 ? new AnchoredTrie(homes.prefix.needles(), false) : undefined;
    this.suffixTrie = homes.suffix.lists.length > 0 ? new AnchoredTrie(homes.suffix.needles(), true) : undefined;
    stats.automatonStates = this.ac?.stateCount ?? 0;
    stats.qgramNeedles = homes.qgram.lists.length;
    stats.trieStates = (this.prefixTrie?.stateCount ?? 0) + (this.suffixTrie?.stateCount ?? 0);
    this.candInfo = new Int32Array(candMembers.length * CAND_WORDS);
    this.candMembers = Int32Array.from(candMembers.flat());
    let offset = 0;
    candMembers.forEach((members, c) => {
      this.candInfo[c * CAND_WORDS + 1] = offset;
      offset += members.length;
      this.candInfo[c * CAND_WORDS + 2] = offset;
      this.candInfo[c * CAND_WORDS + 3] = candMinLength[c]!;
    });
    this.firedCands = new Int32Array(this.candRe.length);
    this.triggerStamp = new Int32Array(this.triggers.length);
    this.firedTriggers = new Int32Array(this.triggers.length);
    this.stats = stats;
    this.acSink = (needle, end) => this.onNeedle(this.acStart, needle, end);
    this.qgramSink = (needle, end) => this.onNeedle(this.qgramStart, needle, end);
    this.prefixSink = (needle, length) => this.onNeedle(this.prefixStart, needle, length);
    this.suffixSink = (needle) => this.onNeedle(this.suffixStart, needle, this.curText.length);
    this.markCidr = (ref) => this.mark(this.cidrRefs[ref * 2]!, this.cidrRefs[ref * 2 + 1]!);
  }

  private mark(sig: number, pat: number): void {
    const state = this.sigState;
    const at = sig << 1;
    if (state[at] !== this.stamp) {
      state[at] = this.stamp;
      state[at + 1] = pat;
      this.touched[this.touchedCount++] = sig;
    } else if (pat < state[at + 1]!) {
      state[at + 1] = pat;
    }
  }

  private markPairs(list: number[] | undefined): void {
    if (!list) return;
    for (let i = 0; i < list.length; i += 2) this.mark(list[i]!, list[i + 1]!);
  }

  /** The entries of `needle` (in the home whose offsets are `starts`), found ending at `end`. */
  private onNeedle(starts: Int32Array, needle: number, end: number): void {
    const text = this.curText;
    const info = this.slotInfo;
    for (let k = starts[needle]!, stop = starts[needle + 1]!; k < stop; k++) {
      const at = k * SLOT_WORDS;
      const kind = info[at]!;
      const start = end - info[at + 1]!;
      switch (kind & ~HAS_RAW) {
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
          const c = info[at + 3]!;
          const stampAt = c * CAND_WORDS;
          if (this.candInfo[stampAt] !== this.stamp) {
            this.candInfo[stampAt] = this.stamp;
            this.firedCands[this.firedCandCount++] = c;
          }
          continue;
        }
        case TRIGGER: {
          const t = info[at + 3]!;
          if (this.triggerStamp[t] !== this.stamp) {
            this.triggerStamp[t] = this.stamp;
            this.firedTriggers[this.firedTriggerCount++] = t;
          }
          continue;
        }
      }
      if ((kind & HAS_RAW) !== 0 && !text.startsWith(this.slotRaw[k]!, start)) continue;
      this.mark(info[at + 2]!, info[at + 3]!);
    }
  }

  private runGroups(groups: readonly SetGroup[], value: string, input: Buffer | undefined): Buffer | undefined {
    for (const g of groups) {
      if (value.length < g.minLength) continue;
      input ??= utf8View(value);
      const hits = g.run(input);
      if (!hits) continue;
      for (const i of hits) {
        const m = g.members[i]!;
        this.mark(m.sig, m.pat);
      }
    }
    return input;
  }

  /**
   * Forgets the values of the previous batch (see matchInBatch), and decides whether this batch
   * uses the memo: only when the last batch that used it found enough repeats, because on a
   * field of distinct values (domains) the look-ups cost about as much as a tenth of matching.
   * Every MEMO_PROBE-th batch uses it anyway, to notice when repeats come back.
   */
  beginBatch(): void {
    if (this.memoOn && this.memoLookups > 0) this.memoWorthIt = this.memoRepeats >= MEMO_MIN_REPEATS * this.memoLookups;
    this.memoOn = this.memoWorthIt || this.batches++ % MEMO_PROBE === 0;
    this.memoLookups = 0;
    this.memoRepeats = 0;
    this.memo.clear();
  }

  /**
   * matchValue, answered from memory for a value already matched in this batch: records of a
   * batch repeat values (a registrant's email, an organisation, a host seen twice), and with
   * hit-heavy signature sets each costs several confirmations. Hits are immutable, so records
   * share them.
   */
  matchInBatch(value: string, out: Hit[]): void {
    if (!this.memoOn) return this.matchValue(value, out);
    this.memoLookups++;
    const known = this.memo.get(value);
    if (known !== undefined) {
      this.memoRepeats++;
      for (let i = 0; i < known.length; i++) out.push(known[i]!);
      return;
    }
    const start = out.length;
    this.matchValue(value, out);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(value, out.length === start ? NO_HITS : out.slice(start));
  }

  /** Matches one value and appends its hits to `out`, in signature order. */
  matchValue(value: string, out: Hit[]): void {
    if (++this.stamp === 0x7fffffff) this.resetStamps();
    this.touchedCount = 0;
    this.firedCandCount = 0;
    this.firedTriggerCount = 0;
    this.curText = value;
    this.curFolded = undefined;

    this.markPairs(this.exactFolded.get(value));
    this.markPairs(this.exactRaw.get(value));
    this.ac?.scan(value, this.acSink);
    this.qgram?.scan(value, this.foldedText, this.qgramSink);
    this.prefixTrie?.walk(value, this.prefixSink);
    this.suffixTrie?.walk(value, this.suffixSink);
    this.cidr?.collectText(value, this.markCidr);

    let input = this.runGroups(this.alwaysGroups, value, undefined);
    for (let i = 0; i < this.firedTriggerCount; i++) input = this.runGroups(this.triggers[this.firedTriggers[i]!]!, value, input);
    if (this.firedCandCount > 0) input = this.confirmCandidates(value, input);

    const count = this.touchedCount;
    if (count === 0) return;
    const touched = this.touched;
    if (count > 1) insertionSort(touched, count, (x) => x);
    const hasExclude = this.hasExclude;
    for (let i = 0; i < count; i++) {
      const sig = touched[i]!;
      if ((hasExclude[sig >>> 5]! & (1 << (sig & 31))) !== 0 && this.excludes[sig]!(value, (input ??= utf8View(value)))) continue;
      out.push({ signature: this.ids[sig]!, field: this.field, value, pattern: this.sigState[(sig << 1) + 1]! });
    }
  }

  /**
   * Lowest pattern index first (a candidate's first signature's), so that a signature's later
   * patterns are mostly skipped once one is confirmed; mark keeps the minimum in any order.
   */
  private confirmCandidates(value: string, input: Buffer | undefined): Buffer | undefined {
    const cands = this.firedCands;
    const n = this.firedCandCount;
    if (n > 1) insertionSort(cands, n, this.candPatOf);
    for (let i = 0; i < n; i++) {
      const c = cands[i]!;
      const at = c * CAND_WORDS;
      const first = this.candInfo[at + 1]!;
      const end = this.candInfo[at + 2]!;
      if (!this.anyUndecided(first, end)) continue;
      if (value.length < this.candInfo[at + 3]!) continue;
      const direct = this.candDirect[c];
      let matched: boolean;
      if (direct !== undefined) {
        matched = direct(value, this.foldedText);
      } else {
        input ??= utf8View(value);
        matched = this.candRe[c]!.test(input);
      }
      if (!matched) continue;
      for (let k = first; k < end; k += 2) this.mark(this.candMembers[k]!, this.candMembers[k + 1]!);
    }
    return input;
  }

  /** Whether a member of candMembers[first, end) is not yet marked at its pattern or a lower one. */
  private anyUndecided(first: number, end: number): boolean {
    const members = this.candMembers;
    const state = this.sigState;
    for (let k = first; k < end; k += 2) {
      const at = members[k]! << 1;
      if (state[at] !== this.stamp || state[at + 1]! > members[k + 1]!) return true;
    }
    return false;
  }

  private resetStamps(): void {
    this.stamp = 1;
    this.sigState.fill(0);
    for (let at = 0; at < this.candInfo.length; at += CAND_WORDS) this.candInfo[at] = 0;
    this.triggerStamp.fill(0);
  }
}

/** Distinct needles of one home, each with the entries that share it. */
class NeedleIndex {
  private readonly ids = new Map<string, number>();
  readonly lists: number[][] = [];

  add(needle: string, entry: number): void {
    let id = this.ids.get(needle);
    if (id === undefined) {
      id = this.lists.length;
      this.ids.set(needle, id);
      this.lists.push([]);
    }
    this.lists[id]!.push(entry);
  }

  needles(): string[] {
    return [...this.ids.keys()];
  }
}

/** In-place sort of the first `n` items by key; the lists here are tiny and mostly sorted. */
function insertionSort(a: Int32Array, n: number, key: (x: number) => number): void {
  for (let i = 1; i < n; i++) {
    const x = a[i]!;
    const kx = key(x);
    let j = i - 1;
    while (j >= 0 && key(a[j]!) > kx) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
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

// A small group of regexes run together as one RE2.Set: one native call per value for the whole
// group. Groups stay small (a few hundred patterns) because a large RE2.Set thrashes its DFA cache.
// node-re2 does not expose RE2's max_mem, so the size cap is what bounds memory; when RE2 still
// reports a DFA out of memory, the group falls back to its members one by one (never a lost
// match).
import RE2 from 're2';

export const SET_GROUP_SIZE = 200;

export interface Member {
  readonly sig: number;
  readonly pat: number;
  readonly source: string;
  /** Lower bound on the code points of a match (regex-shape.ts). */
  readonly minLength: number;
}

export class SetGroup {
  private readonly set: InstanceType<typeof RE2.Set> | undefined;
  private fallback: RE2[] | undefined;
  /** No member can match a value with fewer UTF-16 units than this. */
  readonly minLength: number;

  constructor(
    readonly members: readonly Member[],
    private readonly flags: string,
  ) {
    this.minLength = Math.min(...members.map((m) => m.minLength));
    try {
      this.set = new RE2.Set(
        members.map((m) => m.source),
        flags,
      );
    } catch {
      // Could not compile as one set (memory): test the members individually instead.
      this.set = undefined;
    }
  }

  /** Indices of the members whose pattern matches, or undefined for none. */
  run(input: Buffer): readonly number[] | undefined {
    if (this.set) {
      try {
        return this.set.test(input) ? this.set.match(input) : undefined;
      } catch {
        // DFA out of memory for this input: fall through to the members.
      }
    }
    this.fallback ??= this.members.map((m) => new RE2(m.source, this.flags));
    const hits: number[] = [];
    this.fallback.forEach((re, i) => {
      if (re.test(input)) hits.push(i);
    });
    return hits.length > 0 ? hits : undefined;
  }
}

/**
 * Splits members into groups of at most SET_GROUP_SIZE, one flag setting per group. Members are
 * grouped by minimum match length so that short values can skip whole groups.
 */
export function buildGroups(members: readonly Member[], flags: string): SetGroup[] {
  const sorted = [...members].sort((a, b) => b.minLength - a.minLength);
  const groups: SetGroup[] = [];
  for (let i = 0; i < sorted.length; i += SET_GROUP_SIZE) {
    groups.push(new SetGroup(sorted.slice(i, i + SET_GROUP_SIZE), flags));
  }
  return groups;
}

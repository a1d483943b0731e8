// Damerau–Levenshtein distance (optimal string alignment: adjacent transpositions, no edit of a
// transposed pair) between a brand and a candidate, with the edits that realise it.

export type Edit =
  /** A brand character missing from the candidate. */
  | { readonly op: 'omit'; readonly at: number; readonly ch: string }
  /** A character added to the brand; `at` indexes the candidate. */
  | { readonly op: 'insert'; readonly at: number; readonly ch: string }
  | { readonly op: 'replace'; readonly at: number; readonly from: string; readonly to: string }
  | { readonly op: 'transpose'; readonly at: number };

/** The distance alone (unbounded). */
export function osaDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  const d = table(n, m);
  const w = m + 1;
  for (let i = 1; i <= n; i++) {
    const ai = a.charCodeAt(i - 1);
    const ai1 = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(d[(i - 1) * w + j]! + 1, d[i * w + j - 1]! + 1, d[(i - 1) * w + j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && ai1 === bj) v = Math.min(v, d[(i - 2) * w + j - 2]! + 1);
      d[i * w + j] = v;
    }
  }
  return d[n * w + m]!;
}

// One (n+1)×(m+1) table reused by osaDistance and osaEdits: a hit's explanation runs both, and
// building a fresh array of arrays each time was a quarter of look-alike matching (and its GC).
let cells = new Int32Array(64 * 64);

/** The shared table, sized and with its first row and column set (row i, column j at i·(m+1)+j). */
function table(n: number, m: number): Int32Array {
  const w = m + 1;
  if (cells.length < (n + 1) * w) cells = new Int32Array(2 * (n + 1) * w);
  for (let j = 0; j <= m; j++) cells[j] = j;
  for (let i = 1; i <= n; i++) cells[i * w] = i;
  return cells;
}

// Rows reused by osaDistanceCodes: matching must not allocate per comparison.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * osaDistance(a, codes[from, to)) without building the second string, giving up (returning
 * limit + 1) once every cell of a row exceeds `limit`.
 */
export function osaDistanceCodes(a: string, codes: ArrayLike<number>, from: number, to: number, limit: number): number {
  const n = a.length;
  const m = to - from;
  if (Math.abs(n - m) > limit) return limit + 1;
  if (rowA.length <= m) {
    rowA = new Int32Array(2 * m + 2);
    rowB = new Int32Array(2 * m + 2);
    rowC = new Int32Array(2 * m + 2);
  }
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let best = i;
    const ai = a.charCodeAt(i - 1);
    const ai1 = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= m; j++) {
      const bj = codes[from + j - 1]!;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === codes[from + j - 2] && ai1 === bj) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < best) best = d;
    }
    if (best > limit) return limit + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m]!;
}

/** The distance from `brand` to `candidate`, and one shortest list of edits (in brand order). */
export function osaEdits(brand: string, candidate: string): { distance: number; edits: Edit[] } {
  const n = brand.length;
  const m = candidate.length;
  osaDistance(brand, candidate);
  // osaDistance filled the shared table unless a side is empty; then only its edges are needed.
  const t = n === 0 || m === 0 ? table(n, m) : cells;
  const w = m + 1;
  const at = (i: number, j: number): number => t[i * w + j]!;
  const edits: Edit[] = [];
  let i = n;
  let j = m;
  // Walk back preferring a match, then a transposition, a replacement, an omission, an insertion.
  while (i > 0 || j > 0) {
    const here = at(i, j);
    if (i > 0 && j > 0 && brand[i - 1] === candidate[j - 1] && at(i - 1, j - 1) === here) {
      i--;
      j--;
    } else if (i > 1 && j > 1 && brand[i - 1] === candidate[j - 2] && brand[i - 2] === candidate[j - 1] && brand[i - 1] !== brand[i - 2] && at(i - 2, j - 2) === here - 1) {
      edits.push({ op: 'transpose', at: i - 2 });
      i -= 2;
      j -= 2;
    } else if (i > 0 && j > 0 && at(i - 1, j - 1) === here - 1) {
      edits.push({ op: 'replace', at: i - 1, from: brand[i - 1]!, to: candidate[j - 1]! });
      i--;
      j--;
    } else if (i > 0 && at(i - 1, j) === here - 1) {
      edits.push({ op: 'omit', at: i - 1, ch: brand[i - 1]! });
      i--;
    } else {
      edits.push({ op: 'insert', at: j - 1, ch: candidate[j - 1]! });
      j--;
    }
  }
  return { distance: at(n, m), edits: edits.reverse() };
}

/**
 * min(osaDistance(a, codes[from, to)), 2) without a table: the two sides agree but for one
 * replacement, one adjacent transposition, or one code unit more or fewer — or they do not.
 * Distance 1 is the default; this spares the table for most runs and brands.
 */
export function osaUpToOne(a: string, codes: ArrayLike<number>, from: number, to: number): number {
  const m = a.length;
  const n = to - from;
  if (Math.abs(m - n) > 1) return 2;
  const min = Math.min(m, n);
  let p = 0;
  while (p < min && a.charCodeAt(p) === codes[from + p]) p++;
  if (p === min) return m === n ? 0 : 1;
  let s = 0;
  while (s < min - p && a.charCodeAt(m - 1 - s) === codes[to - 1 - s]) s++;
  if (m !== n) return p + s >= min ? 1 : 2;
  if (p + s + 1 === m) return 1;
  return p + s + 2 === m && a.charCodeAt(p) === codes[from + p + 1] && a.charCodeAt(p + 1) === codes[from + p] ? 1 : 2;
}

/**
 * The one edit of a pair at distance 1, as osaEdits finds it (its walk back from the end matches
 * the longest common suffix, then takes a transposition, a replacement, an omission or an
 * insertion, in that order of preference), without filling the table.
 */
export function oneEdit(brand: string, candidate: string): Edit {
  const n = brand.length;
  const m = candidate.length;
  let s = 0;
  while (s < n && s < m && brand.charCodeAt(n - 1 - s) === candidate.charCodeAt(m - 1 - s)) s++;
  const i = n - s;
  const j = m - s;
  if (n === m) {
    if (i > 1 && brand[i - 1] === candidate[j - 2] && brand[i - 2] === candidate[j - 1] && brand[i - 1] !== brand[i - 2]) return { op: 'transpose', at: i - 2 };
    return { op: 'replace', at: i - 1, from: brand[i - 1]!, to: candidate[j - 1]! };
  }
  if (n > m) return { op: 'omit', at: i - 1, ch: brand[i - 1]! };
  return { op: 'insert', at: j - 1, ch: candidate[j - 1]! };
}

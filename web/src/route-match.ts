// URL patterns of the route table (routes.tsx): `name` literally, `:name` one segment, `*name`
// the rest (at least one segment), `?` after a segment: optional.

export type Params = Readonly<Record<string, string | undefined>>;

/** The params of `path` under `pattern`, or undefined when it does not match. */
export function matchRoute(pattern: string, path: string): Params | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  const params: Record<string, string | undefined> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith('*')) {
      const rest = have.slice(i).join('/');
      if (rest === '') return undefined;
      params[w.slice(1)] = rest;
      return params;
    }
    const optional = w.endsWith('?');
    const name = optional ? w.slice(0, -1) : w;
    const seg = have[i];
    if (seg === undefined) {
      if (!optional) return undefined;
      continue;
    }
    if (name.startsWith(':')) params[name.slice(1)] = seg;
    else if (seg !== name) return undefined;
  }
  return have.length <= want.length ? params : undefined;
}

// What a notification is called: its signature's title (the current one, or the last version's
// for a signature since removed) and a headline naming that title and the entity, with hashes
// shortened. Titles are read from the stored signatures once per organisation revision: every
// signature change bumps it, so a cached title is never stale. A pack's signature (named
// publisher/pack/id, services/pack-ref.ts) is called by its title in the version the
// subscription runs (subscription changes bump the revision too); after unsubscribing, by its id.
import { orgRevision } from '../store/orgs.js';
import { signatureSources } from '../store/notifications.js';
import { subscribedSignatureRows } from '../store/packs.js';
import type { Store } from '../store/store.js';
import { packSignatureId, splitPackSignatureId } from './pack-ref.js';

interface Cached {
  readonly revision: number;
  readonly titles: Map<string, string>;
}

const cache = new WeakMap<Store, Map<string, Cached>>();

function titleOf(source: string, id: string): string {
  try {
    const title = (JSON.parse(source) as { title?: unknown }).title;
    return typeof title === 'string' && title.trim() !== '' ? title : id;
  } catch {
    // A stored source is JSON written by org-signatures; anything else is named by its id.
    return id;
  }
}

/** The title of each signature named (its id when it has none: never stored or unreadable). */
export async function signatureTitles(store: Store, org: string, ids: readonly string[]): Promise<Map<string, string>> {
  const revision = await orgRevision(store.db, org);
  let byOrg = cache.get(store);
  if (!byOrg) cache.set(store, (byOrg = new Map<string, Cached>()));
  let entry = byOrg.get(org);
  if (!entry || entry.revision !== revision) byOrg.set(org, (entry = { revision, titles: new Map() }));
  const titles = entry.titles;
  const missing = [...new Set(ids)].filter((id) => !titles.has(id));
  if (missing.length > 0) {
    const sources = await signatureSources(store.db, org, missing.filter((id) => splitPackSignatureId(id) === undefined));
    if (missing.some((id) => splitPackSignatureId(id) !== undefined)) {
      for (const r of await subscribedSignatureRows(store.db, org)) sources.set(packSignatureId(r, r.signature), r.source);
    }
    for (const id of missing) titles.set(id, sources.has(id) ? titleOf(sources.get(id)!, id) : id);
  }
  return new Map(ids.map((id) => [id, titles.get(id) ?? id]));
}

/** A hex hash (MD5, SHA-1, SHA-256 …) as its first 8 and last 5 digits: `3520e900…a23c6`. */
export function shortHash(text: string): string {
  return /^[0-9a-f]{32,}$/i.test(text) ? `${text.slice(0, 8)}…${text.slice(-5)}` : text;
}

/** "Login lures of the story — domain login.example", "Known bad certificate — certificate 3520e900…a23c6". */
export function displayHeadline(title: string, kind: string, entity: string): string {
  return `${title} — ${kind} ${shortHash(entity)}`;
}

// The public /api/v1 over the browser session: the cookie travels by itself; every write
// carries the CSRF token the sign-in (or GET /me) answered.

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrf: string | undefined;
let onUnauthorized: (() => void) | undefined;

export function setCsrf(token: string | undefined): void {
  csrf = token;
}

/** Called when a request answers 401 (the session ended): the app shows the sign-in page. */
export function whenUnauthorized(f: () => void): void {
  onUnauthorized = f;
}

type Query = Record<string, string | number | boolean | undefined | null | readonly string[]>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v as readonly string[]) q.append(k, x);
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

export async function request<T>(method: string, path: string, opts: { query?: Query; json?: unknown; body?: Blob | ArrayBuffer; contentType?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.body !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/octet-stream';
    body = opts.body;
  }
  const res = await fetch(withQuery(`/api/v1${path}`, opts.query), { method, headers, body, credentials: 'same-origin' });
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text) as unknown;
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    const e = (data as ErrorBody | undefined)?.error;
    if (res.status === 401 && path !== '/session') onUnauthorized?.();
    throw new ApiFailure(res.status, e?.code ?? 'error', e?.message ?? `${res.status} ${res.statusText}`, e?.details);
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query): Promise<T> => request<T>('GET', path, query ? { query } : {});
export const post = <T>(path: string, json?: unknown, query?: Query): Promise<T> => request<T>('POST', path, { json: json ?? {}, ...(query ? { query } : {}) });
export const put = <T>(path: string, json: unknown): Promise<T> => request<T>('PUT', path, { json });
export const del = <T>(path: string): Promise<T> => request<T>('DELETE', path);

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// Shapes of the answers: generated from the OpenAPI document (web/generated/api.ts, `npm run gen:api`),
// so a route's schema and the page that reads it cannot drift apart.
import type { paths } from '../generated/api.js';
export { CLASSIFICATIONS, FORMATS, PIVOT_FIELDS, ROLES, SEVERITIES } from '../generated/api.js';

type Method = 'get' | 'post' | 'put' | 'delete';
/** The JSON body a route answers with the given status. */
export type Answer<P extends keyof paths, M extends Method, S extends number = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Me = Answer<'/api/v1/me', 'get'>;

/** The organisation (and role) the UI acts in: the user's default, else their only one. */
export function currentOrg(me: Me): { org: string; role: string } | undefined {
  return me.organisations.find((m) => m.org === me.default_org) ?? (me.organisations.length === 1 ? me.organisations[0] : undefined);
}

export type Invitation = Answer<'/api/v1/invitations', 'get'>[number];

export interface Page<T> {
  items: T[];
  next: string | null;
}

export type EntityView = Answer<'/api/v1/entities/{entity}', 'get'>;
export type Tag = EntityView['tags'][number];
export type Notification = Answer<'/api/v1/notifications', 'get'>['items'][number];
export type Summary = Answer<'/api/v1/notifications/summary', 'get'>;
export type SignatureSummary = Answer<'/api/v1/signatures', 'get'>['items'][number];
export type SignatureVersion = Answer<'/api/v1/signatures/{id}/history', 'get'>[number];
export type SearchItem = Answer<'/api/v1/search', 'get'>['items'][number];
export type IngestJob = Answer<'/api/v1/ingest/{job}', 'get'>;
export type HuntJob = Answer<'/api/v1/hunts/{job}', 'get'>;
export type Channel = Answer<'/api/v1/channels', 'get'>[number];
export type Member = Answer<'/api/v1/users', 'get'>[number];
export type ApiKey = Answer<'/api/v1/apikeys', 'post', 201>;
export type AuditEntry = Answer<'/api/v1/audit', 'get'>['items'][number];
export type FeedStatus = Answer<'/api/v1/feeds', 'get'>[number];
export type PivotPage = Answer<'/api/v1/pivot', 'get'>;
export type PivotCounts = Answer<'/api/v1/pivot/counts', 'get'>;
export type ValueCount = PivotCounts['counts'][number];
export type TagSummary = Answer<'/api/v1/tags', 'get'>;
export type PackList = Answer<'/api/v1/packs', 'get'>;
export type PackView = Answer<'/api/v1/packs/{publisher}/{pack}', 'get'>;

// The signature workbench's reports (lint, test, preview, import) have no response schema yet:
// their shapes are services' report types, kept here until the routes declare them.

export interface LintError {
  file: string;
  line: number;
  signature?: string;
  pattern?: number;
  path?: string;
  message: string;
}

export interface TestReport {
  cases: number;
  failures: { signature: string; path: string; message: string }[];
}

export interface PreviewReport {
  scanned: Record<string, number>;
  matched: number;
  planned: { tag: number; classify: number; alert: number };
  sample: { target: { kind: string; id: string }; action: string; signature: string; field: string; value: string }[];
}

export interface ImportReport {
  created: string[];
  changed: string[];
  unchanged: string[];
  /** With workers (a server with a queue): the retro-hunt's job, followed under /ingest. */
  huntJob?: { id: string; parts: number };
  [k: string]: unknown;
}

/** What an entity page can show: a domain, an IP address, or a certificate SHA-1 / SHA-256. */
export function looksLikeEntity(text: string): boolean {
  const t = text.trim();
  if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(t.replace(/:/g, ''))) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) return true;
  if (/^[0-9a-f:.]+$/i.test(t) && t.includes(':') && t.split(':').length > 2) return true;
  return /^(?=.{1,253}\.?$)([a-z0-9_\u00a1-\uffff]([a-z0-9_\u00a1-\uffff-]{0,61}[a-z0-9_\u00a1-\uffff])?\.)+[a-z\u00a1-\uffff][a-z0-9\u00a1-\uffff-]*\.?$/i.test(t);
}

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

// Shapes of the answers (src/api/routes/v1-*.ts).

export interface Me {
  email: string;
  organisations: { org: string; role: string }[];
  /** Where requests that name no organisation act (this UI names none). */
  default_org?: string | null;
  /** May add users with a password directly; organisation admins invite. */
  server_admin?: boolean;
  csrf?: string;
}

/** The organisation (and role) the UI acts in: the user's default, else their only one. */
export function currentOrg(me: Me): { org: string; role: string } | undefined {
  return me.organisations.find((m) => m.org === me.default_org) ?? (me.organisations.length === 1 ? me.organisations[0] : undefined);
}

export interface Invitation {
  id: string;
  org: string;
  email: string;
  role: string;
  invited_by: string;
  created: string;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface Tag {
  name: string;
  source: 'signature' | 'manual';
  signature?: string;
  field?: string;
  value?: string;
  signature_version?: number;
  pattern?: number;
  first_matched?: string;
  last_matched?: string;
}

export interface EntityView {
  kind: 'domain' | 'ip' | 'certificate';
  id: string;
  fields: Record<string, string[]>;
  tags: Tag[];
  classification: { value?: string; source?: string; signature?: string } | null;
  related: { ips?: string[]; domains?: string[]; certificates?: string[] };
}

export interface Notification {
  id: string;
  signature: string;
  entity: string;
  kind: string;
  field: string;
  value: string;
  severity: string;
  headline: string;
  content: string;
  created: string;
  read: boolean;
}

export interface Summary {
  unread: number;
  total: number;
  unreadBySignature: Record<string, number>;
  unreadBySeverity: Record<string, number>;
  perDay: { day: string; count: number }[];
}

export interface SignatureSummary {
  id: string;
  version: number;
  enabled: boolean;
  title?: string;
  field: string;
  match: string;
  patterns: number;
  actions: string[];
  updated: string;
  status: string;
  author: string | null;
  /** Distinct entities it currently tags or classifies + notifications it created. */
  hits: number;
  last_hit: string | null;
}

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
  [k: string]: unknown;
}

export interface SignatureVersion {
  id: string;
  version: number;
  change: string;
  enabled: boolean;
  source: unknown;
  at: string;
}

export interface SearchItem {
  kind: string;
  id: string;
  field: string;
  value: string;
}

export interface IngestJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  format: string;
  actor: string;
  created: string;
  finished: string | null;
  progress: { records: number; bytesRead: number; size: number };
  summary: { read: number; stored: Record<string, number>; rejected: number; actions: { tags: number; classifications: number; notifications: number } };
  rejects?: { input: string; line: number; message: string }[];
  error?: string;
}

export interface Channel {
  name: string;
  type: 'webhook' | 'email';
  config: Record<string, unknown>;
  has_secret: boolean;
  created: string;
  outbox?: { pending: number; sent: number; dead: number };
}

export interface Member {
  email: string;
  role: string;
  [k: string]: unknown;
}

export interface ApiKey {
  id: string;
  user: string;
  org?: string | null;
  name: string;
  created: string;
  last_used: string | null;
  revoked: string | null;
  key?: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export const CLASSIFICATIONS = ['malicious', 'suspicious', 'non-malicious', 'unknown'] as const;
export const ROLES = ['admin', 'analyst', 'viewer'] as const;
export const FORMATS = ['pem', 'der', 'whois', 'rdap', 'cof', 'dnsdb', 'certstream', 'zeek', 'mmdb', 'iptoasn', 'ip-location-db', 'pfx2as', 'warren'] as const;

/** What an entity page can show: a domain, an IP address, or a certificate SHA-1 / SHA-256. */
export function looksLikeEntity(text: string): boolean {
  const t = text.trim();
  if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(t.replace(/:/g, ''))) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) return true;
  if (/^[0-9a-f:.]+$/i.test(t) && t.includes(':') && t.split(':').length > 2) return true;
  return /^(?=.{1,253}\.?$)([a-z0-9_\u00a1-\uffff]([a-z0-9_\u00a1-\uffff-]{0,61}[a-z0-9_\u00a1-\uffff])?\.)+[a-z\u00a1-\uffff][a-z0-9\u00a1-\uffff-]*\.?$/i.test(t);
}

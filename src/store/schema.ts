// The store's tables as Kysely sees them. Times are ISO 8601 UTC text (`YYYY-MM-DDTHH:MM:SSZ`),
// which sorts as it reads in SQLite and PostgreSQL alike; NULL when the data had none.
import type { ColumnType, Generated } from 'kysely';

/** BIGINT: PostgreSQL returns it as text, SQLite as a number; read it through Number(). */
export type BigIntColumn = ColumnType<number | string, number, number>;

export interface DomainTable {
  name: string; // normalised domain, primary key
  first_seen: string | null;
  last_seen: string | null;
}

export interface IpTable {
  address: string; // canonical IP text, primary key
  family: number; // 4 or 6
  first_seen: string | null;
  last_seen: string | null;
}

export interface CertificateTable {
  sha256: string; // primary key
  /** NULL for a field-only certificate whose source gave no SHA-1. */
  sha1: string | null;
  /** NULL for a field-only certificate (its source gave fields, not bytes): migration 0007. */
  der: Buffer | null;
  /** JSON of the x509.* field map. */
  fields: string;
  not_before: string | null;
  not_after: string | null;
  first_seen: string | null;
  last_seen: string | null;
  /** Read from the DER at ingest (migration 0010): the version field as encoded, the signed decimal serial. */
  version: number | null;
  serial: string | null;
}

export interface WhoisTable {
  domain: string;
  /** SHA-256 of the record's content: the same reply ingested twice is one version. */
  content_hash: string;
  observed: string | null;
  source: string;
  /** JSON of the whois.* field map (whois.raw excluded; it is `raw`). */
  fields: string;
  raw: string | null;
  /** Insertion order, to pick the newest version when observation times are missing or equal. */
  seq: Generated<number>;
}

export interface ResolutionTable {
  domain: string;
  rrtype: string;
  value: string;
  source: string;
  first_seen: string | null;
  last_seen: string | null;
  count: BigIntColumn;
}

export interface ServedTable {
  sha256: string;
  ip: string;
  port: number; // 0 when unknown
  source: string;
  first_seen: string | null;
  last_seen: string | null;
}

export interface NamesTable {
  sha256: string;
  domain: string;
  source: string;
  first_seen: string | null;
  last_seen: string | null;
}

/** Another key of a certificate (`zeek-fuid:F…`, `sha1:…`) → its SHA-256 (migration 0007). */
export interface CertificateRefTable {
  ref: string;
  sha256: string;
  source: string;
}

/** A served / names relation naming a certificate by a key whose SHA-256 is not known yet. */
export interface PendingRelationTable {
  ref: string;
  relation: string; // served | names
  /** The IP (served) or the domain (names). */
  target: string;
  port: number; // 0 when unknown or for names
  source: string;
  first_seen: string | null;
  last_seen: string | null;
}

export interface AsRangeTable {
  family: number;
  /** Fixed-width lower-case hex of the first / last address (8 or 32 digits): sorts numerically. */
  start_hex: string;
  end_hex: string;
  /** The smallest CIDR block enclosing the range, `<hex>/<length>` (store/as-lpm.ts, migration 0009). */
  block: string;
  /** Fixed-width hex of end − start: the range's size, for "most specific". */
  span_hex: string;
  start_ip: string;
  end_ip: string;
  asn: BigIntColumn;
  name: string | null;
  source: string;
}

/** An IP network's registration (RDAP ip network), per block and source (migration 0011). */
export interface IpNetworkTable {
  family: number;
  /** Fixed-width lower-case hex of the first / last address, as in as_ranges. */
  start_hex: string;
  end_hex: string;
  /** The smallest CIDR block enclosing the range and its size (store/as-lpm.ts), as in as_ranges. */
  block: string;
  span_hex: string;
  start_ip: string;
  end_ip: string;
  source: string;
  /** JSON of the network.* field map of the newest observation. */
  fields: string;
  /** When those fields were observed (the data's time); NULL when the data had none. */
  observed: string | null;
  first_seen: string | null;
  last_seen: string | null;
}

export interface OrgTable {
  name: string;
  created: string;
  revision: Generated<number>;
}

export interface SignatureTable {
  org: string;
  id: string;
  version: number;
  enabled: number; // 0 | 1
  /** The signature as YAML (the file format), re-parsed when compiled. */
  source: string;
  updated: string;
}

export interface SignatureVersionTable {
  org: string;
  id: string;
  version: number;
  change: string; // import | enable | disable | rm
  enabled: number;
  source: string;
  at: string;
}

export interface TagTable {
  org: string;
  kind: string;
  entity: string;
  name: string;
  source: string; // signature | manual
  signature: string; // '' for manual
  signature_version: number;
  field: string;
  value: string;
  pattern: number;
  first_matched: string;
  last_matched: string;
  /** Why it matched, in words, for look-alike hits; '' otherwise (migration 0016). */
  why: Generated<string>;
}

export interface ClassificationTable {
  org: string;
  kind: string;
  entity: string;
  value: string;
  source: string; // signature | manual
  signature: string; // '' for manual
  signature_version: number;
  field: string;
  matched_value: string;
  first_matched: string;
  last_matched: string;
}

export interface NotificationTable {
  id: string;
  org: string;
  signature: string;
  signature_version: number;
  kind: string;
  entity: string;
  field: string;
  value: string;
  severity: string;
  channels: string | null;
  headline: string;
  content: string;
  created: string;
  read: number;
  /** open | acknowledged | resolved | false_positive (migration 0014). */
  status: Generated<string>;
  /** When and by whom the status was last set; null while it is the first `open`. */
  status_at: string | null;
  status_by: string | null;
  /** A member's email, or null. */
  assignee: string | null;
}

/** A comment on a notification (migration 0014): never edited, listed in `seq` order. */
export interface NotificationCommentTable {
  seq: Generated<number>;
  org: string;
  notification: string;
  author: string;
  at: string;
  text: string;
}

export interface ChannelTable {
  org: string;
  name: string;
  type: string;
  config: string;
  secret: string | null;
  created: string;
}

export interface OutboxTable {
  seq: Generated<number>;
  org: string;
  channel: string;
  notification: string;
  status: string; // pending | sent | dead
  attempts: number;
  next_attempt: string;
  last_error: string | null;
  created: string;
  sent: string | null;
  /** The deliverer holding the row (migration 0006): it alone sends it until claimed_until. */
  claimed_by: string | null;
  /** The end of the claim's lease (ISO 8601 UTC): after it, any deliverer may take the row. */
  claimed_until: string | null;
}

export interface UserTable {
  email: string;
  password_hash: string | null;
  first_name: string | null;
  last_name: string | null;
  created: string;
  /** 1 for an operator set through the CLI (`warren user add --server-admin`): may create accounts. */
  server_admin: Generated<number>;
  /** Where a request without `?org=` acts: set with the first membership, then only by the user. */
  default_org: string | null;
}

export interface MembershipTable {
  org: string;
  email: string;
  role: string; // admin | analyst | viewer
}

export interface ApiKeyTable {
  id: string;
  email: string;
  name: string;
  /** SHA-256 of the whole key: keys are 256-bit random, so a fast hash is enough. */
  key_hash: string;
  created: string;
  last_used: string | null;
  revoked: string | null;
  /** The organisation the key acts in; null for keys made before keys were scoped (0005). */
  org: string | null;
}

/** A pending invitation to an organisation: the membership exists once the invitee accepts. */
export interface InvitationTable {
  id: string;
  org: string;
  email: string;
  role: string;
  invited_by: string;
  created: string;
}

/** Failed sign-ins per `user:<email>` / `ip:<address>`, counted in a window that starts at the first. */
export interface LoginFailureTable {
  key: string;
  failures: number;
  window_start: string;
}

export interface SessionTable {
  id_hash: string;
  email: string;
  csrf: string;
  created: string;
  expires: string;
}

export interface AuditTable {
  seq: Generated<number>;
  at: string;
  actor: string;
  org: string | null;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
}

/** The newest live fetch of one source for one entity (migration 0012). */
export interface LiveFetchTable {
  kind: string;
  entity: string;
  source: string;
  status: string;
  detail: string | null;
  fetched_at: string;
  records: number;
}

/** Who follows a feed now (migration 0017): one follower per feed across processes. */
export interface FeedLeaseTable {
  feed: string;
  /** The follower: host, process and a random part (services/feeds/lease.ts). */
  holder: string;
  /** When the lease ends unless renewed, ms since the epoch by the holder's clock. */
  expires_ms: BigIntColumn;
  /** When this holder took it (ISO 8601). */
  since: string;
}

/** A job of the work queue (migration 0018): an API upload's ingest or a retro-hunt, in parts. */
export interface JobTable {
  id: string;
  org: string;
  /** 'ingest' | 'hunt' (services/jobs/). */
  kind: string;
  actor: string;
  /** 'running' | 'done' | 'failed' | 'cancelled'. */
  status: string;
  created: string;
  finished: string | null;
  /** JSON: what every part needs (the upload's name and format; the hunted signatures). */
  params: string;
  parts: number;
  error: string | null;
}

/** One part of a job: a slice of an upload, or one key range of a hunt. */
export interface JobPartTable {
  job: string;
  part: number;
  /** 'queued' | 'running' | 'done' | 'failed' | 'cancelled'. */
  status: string;
  attempts: number;
  /** JSON: the part's own parameters (line offset, key range). */
  spec: string;
  /** JSON: what the part did (its summary or hunt report), also while it runs. */
  result: string | null;
  /** Last sign of life, ms since the epoch: a part quiet for long is handed to the queue again. */
  updated_ms: BigIntColumn;
  error: string | null;
}

/** An upload's bytes for one part, removed when the part is done. */
export interface JobChunkTable {
  job: string;
  part: number;
  data: Buffer;
}

export interface FeedPositionTable {
  feed: string;
  /** JSON of the source's position after the last committed batch. */
  position: string | null;
  /** JSON of the position after the last batch whose signatures ran. */
  evaluated: string | null;
  entries: BigIntColumn;
  evaluated_entries: BigIntColumn;
  updated_at: string;
  rate: number;
  errors: BigIntColumn;
  last_error: string | null;
  last_error_at: string | null;
  size: ColumnType<number | string | null, number | null, number | null>;
  newest: string | null;
}

/** A publisher's pack (migration 0015): its newest version. */
export interface PackTable {
  org: string;
  name: string;
  version: number;
  description: string;
  created: string;
  updated: string;
}

export interface PackVersionTable {
  org: string;
  name: string;
  version: number;
  published: string;
  signatures: number;
}

/** One signature of one version of a pack: its text as it was when published (file object JSON). */
export interface PackSignatureTable {
  org: string;
  name: string;
  version: number;
  signature: string;
  source: string;
}

/** The publisher's consent: `consumer` may subscribe to the pack. */
export interface PackGrantTable {
  org: string;
  name: string;
  consumer: string;
  granted: string;
}

/** A subscriber's subscription (`org` is the subscriber) and the pack version it runs. */
export interface PackSubscriptionTable {
  org: string;
  publisher: string;
  name: string;
  version: number;
  subscribed: string;
  updated: string;
}

/** A pack signature the subscriber switched off. */
export interface PackDisabledTable {
  org: string;
  publisher: string;
  name: string;
  signature: string;
  at: string;
}

export interface Database {
  domains: DomainTable;
  ips: IpTable;
  certificates: CertificateTable;
  whois: WhoisTable;
  resolutions: ResolutionTable;
  served: ServedTable;
  names: NamesTable;
  as_ranges: AsRangeTable;
  ip_networks: IpNetworkTable;
  certificate_refs: CertificateRefTable;
  pending_relations: PendingRelationTable;
  orgs: OrgTable;
  signatures: SignatureTable;
  signature_versions: SignatureVersionTable;
  packs: PackTable;
  pack_versions: PackVersionTable;
  pack_signatures: PackSignatureTable;
  pack_grants: PackGrantTable;
  pack_subscriptions: PackSubscriptionTable;
  pack_disabled: PackDisabledTable;
  tags: TagTable;
  classifications: ClassificationTable;
  notifications: NotificationTable;
  notification_comments: NotificationCommentTable;
  channels: ChannelTable;
  outbox: OutboxTable;
  live_fetches: LiveFetchTable;
  feed_positions: FeedPositionTable;
  feed_leases: FeedLeaseTable;
  jobs: JobTable;
  job_parts: JobPartTable;
  job_chunks: JobChunkTable;
  users: UserTable;
  memberships: MembershipTable;
  api_keys: ApiKeyTable;
  sessions: SessionTable;
  audit: AuditTable;
  invitations: InvitationTable;
  login_failures: LoginFailureTable;
}

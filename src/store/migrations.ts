// Schema migrations, in code so that they ship with the build and run on SQLite and PostgreSQL.
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { rangeLpmKeys } from './as-lpm.js';
import { versionAndSerial } from '../ingest/parsers/x509/version-serial.js';
import type { DialectName } from './dialect.js';

function initial(dialect: DialectName): Migration {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  // PostgreSQL compares text by locale unless told otherwise; the hex range keys need byte order.
  const hex = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('domains')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('first_seen', 'text')
        .addColumn('last_seen', 'text')
        .execute();
      await db.schema
        .createTable('ips')
        .addColumn('address', 'text', (c) => c.primaryKey())
        .addColumn('family', 'integer', (c) => c.notNull())
        .addColumn('first_seen', 'text')
        .addColumn('last_seen', 'text')
        .execute();
      await db.schema
        .createTable('certificates')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('sha1', 'text', (c) => c.notNull())
        .addColumn('der', sql.raw(blob), (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('not_before', 'text')
        .addColumn('not_after', 'text')
        .addColumn('first_seen', 'text')
        .addColumn('last_seen', 'text')
        .execute();
      await db.schema.createIndex('certificates_sha1').on('certificates').column('sha1').execute();
      await db.schema
        .createTable('whois')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.notNull() : c.primaryKey().autoIncrement(),
        )
        .addColumn('domain', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('observed', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('raw', 'text')
        .execute();
      await db.schema.createIndex('whois_domain_hash').unique().on('whois').columns(['domain', 'content_hash']).execute();
      await db.schema
        .createTable('resolutions')
        .addColumn('domain', 'text', (c) => c.notNull())
        .addColumn('rrtype', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text')
        .addColumn('last_seen', 'text')
        .addColumn('count', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('resolutions_pk', ['domain', 'rrtype', 'value', 'source'])
        .execute();
      await db.schema.createIndex('resolutions_value').on('resolutions').column('value').execute();
      await db.schema
        .createTable('served')
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text')
        .addColumn('last_seen', 'text')
        .addPrimaryKeyConstraint('served_pk', ['sha256', 'ip', 'port', 'source'])
        .execute();
      await db.schema.createIndex('served_ip').on('served').column('ip').execute();
      await db.schema
        .createTable('names')
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('domain', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text')
        .addColumn('last_seen', 'text')
        .addPrimaryKeyConstraint('names_pk', ['sha256', 'domain', 'source'])
        .execute();
      await db.schema.createIndex('names_domain').on('names').column('domain').execute();
      await db.schema
        .createTable('as_ranges')
        .addColumn('family', 'integer', (c) => c.notNull())
        .addColumn('start_hex', hex, (c) => c.notNull())
        .addColumn('end_hex', hex, (c) => c.notNull())
        .addColumn('start_ip', 'text', (c) => c.notNull())
        .addColumn('end_ip', 'text', (c) => c.notNull())
        .addColumn('asn', 'bigint', (c) => c.notNull()) // AS numbers are 32-bit unsigned
        .addColumn('name', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('as_ranges_pk', ['family', 'start_hex', 'end_hex', 'source'])
        .execute();
    },
  };
}

/**
 * What belongs to an organisation: its signatures (every version kept), the tags and
 * classifications they and people set, notifications, delivery channels and the outbox.
 * Booleans are integers 0/1 on both dialects; times are ISO 8601 UTC text.
 */
function organisations(dialect: DialectName): Migration {
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('orgs')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('created', 'text', (c) => c.notNull())
        // Bumped on every signature change: a compiled matcher is valid while this is unchanged.
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('signatures')
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('updated', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('signatures_pk', ['org', 'id'])
        .execute();
      await db.schema
        .createTable('signature_versions')
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('change', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('signature_versions_pk', ['org', 'id', 'version'])
        .execute();
      await db.schema
        .createTable('tags')
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull()) // signature | manual
        .addColumn('signature', 'text', (c) => c.notNull()) // '' for manual
        .addColumn('signature_version', 'integer', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('pattern', 'integer', (c) => c.notNull())
        .addColumn('first_matched', 'text', (c) => c.notNull())
        .addColumn('last_matched', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('tags_pk', ['org', 'kind', 'entity', 'name', 'signature', 'field', 'value'])
        .execute();
      await db.schema.createIndex('tags_signature').on('tags').columns(['org', 'signature']).execute();
      await db.schema
        .createTable('classifications')
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull()) // '' for manual
        .addColumn('signature_version', 'integer', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('matched_value', 'text', (c) => c.notNull())
        .addColumn('first_matched', 'text', (c) => c.notNull())
        .addColumn('last_matched', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('classifications_pk', ['org', 'kind', 'entity', 'signature', 'field', 'matched_value'])
        .execute();
      await db.schema.createIndex('classifications_signature').on('classifications').columns(['org', 'signature']).execute();
      await db.schema
        .createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('signature_version', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('channels', 'text') // JSON list of channel names; NULL for all
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('read', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notifications_dedup').unique().on('notifications').columns(['org', 'signature', 'kind', 'entity', 'value']).execute();
      await db.schema.createIndex('notifications_org_created').on('notifications').columns(['org', 'created']).execute();
      await db.schema
        .createTable('channels')
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull()) // webhook | email
        .addColumn('config', 'text', (c) => c.notNull()) // JSON
        .addColumn('secret', 'text')
        .addColumn('created', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('channels_pk', ['org', 'name'])
        .execute();
      await db.schema
        .createTable('outbox')
        .addColumn('seq', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('notification', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // pending | sent | dead
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('sent', 'text')
        .execute();
      await db.schema.createIndex('outbox_dedup').unique().on('outbox').columns(['org', 'channel', 'notification']).execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt']).execute();
    },
  };
}

/** People and machines: users, their roles per organisation, API keys, sessions, the audit log. */
function accounts(dialect: DialectName): Migration {
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('email', 'text', (c) => c.primaryKey())
        .addColumn('password_hash', 'text')
        .addColumn('first_name', 'text')
        .addColumn('last_name', 'text')
        .addColumn('created', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('memberships')
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull()) // admin | analyst | viewer
        .addPrimaryKeyConstraint('memberships_pk', ['org', 'email'])
        .execute();
      await db.schema.createIndex('memberships_email').on('memberships').column('email').execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('last_used', 'text')
        .addColumn('revoked', 'text')
        .execute();
      await db.schema.createIndex('api_keys_email').on('api_keys').column('email').execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('csrf', 'text', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('expires', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit')
        .addColumn('seq', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('org', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .execute();
      await db.schema.createIndex('audit_org').on('audit').columns(['org', 'seq']).execute();
    },
  };
}

/** The notifications list's order (newest first, then id) straight from an index. */
const notificationOrder: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('notifications_org_created_id').on('notifications').columns(['org', 'created desc', 'id']).execute();
  },
};

/**
 * Issue 10: invitations instead of adding other organisations' users, server admins (set by the
 * operator), API keys scoped to an organisation, a default organisation each user chooses, and
 * failed sign-ins counted in the store (shared by every server process, kept across restarts).
 * Existing users default to the organisation they joined first: the earliest audit entry that
 * gave them a role there, else (no such entry) the first by name.
 */
const accountsHardening: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').addColumn('server_admin', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('users').addColumn('default_org', 'text').execute();
    await db.schema.alterTable('api_keys').addColumn('org', 'text').execute();
    await db.schema
      .createTable('invitations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('invited_by', 'text', (c) => c.notNull())
      .addColumn('created', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('invitations_org_email').unique().on('invitations').columns(['org', 'email']).execute();
    await db.schema.createIndex('invitations_email').on('invitations').column('email').execute();
    await db.schema
      .createTable('login_failures')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('login_failures_window').on('login_failures').column('window_start').execute();
    await sql`update users set default_org = coalesce(
        (select a.org from audit a join memberships m on m.org = a.org and m.email = users.email
          where a.target = 'user:' || users.email and a.action in ('user.add', 'user.role') order by a.seq limit 1),
        (select min(m.org) from memberships m where m.email = users.email))`.execute(db);
  },
};

/**
 * Outbox rows are claimed before they are sent, so any number of deliverers send each row once:
 * the claim names the deliverer and ends at a lease, after which a crashed deliverer's rows are
 * taken over.
 */
const outboxClaims: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('outbox').addColumn('claimed_by', 'text').execute();
    await db.schema.alterTable('outbox').addColumn('claimed_until', 'text').execute();
  },
};

/**
 * Issue 12: certificates without DER. A certificate row may hold only the fields a source gave
 * (Zeek x509.log, certstream without `as_der`): `der` and `sha1` become nullable (SQLite cannot
 * drop NOT NULL, so its table is rebuilt). `certificate_refs` maps other keys of a certificate
 * (a Zeek file id, a SHA-1) to its SHA-256; `pending_relations` keeps the served / names
 * relations that name a certificate by such a key until that key's SHA-256 is known.
 */
function certificatesWithoutDer(dialect: DialectName): Migration {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'postgres') {
        await sql`alter table certificates alter column der drop not null`.execute(db);
        await sql`alter table certificates alter column sha1 drop not null`.execute(db);
      } else {
        await db.schema
          .createTable('certificates_0007')
          .addColumn('sha256', 'text', (c) => c.primaryKey())
          .addColumn('sha1', 'text')
          .addColumn('der', sql.raw(blob))
          .addColumn('fields', 'text', (c) => c.notNull())
          .addColumn('not_before', 'text')
          .addColumn('not_after', 'text')
          .addColumn('first_seen', 'text')
          .addColumn('last_seen', 'text')
          .execute();
        await sql`insert into certificates_0007 (sha256, sha1, der, fields, not_before, not_after, first_seen, last_seen)
          select sha256, sha1, der, fields, not_before, not_after, first_seen, last_seen from certificates`.execute(db);
        await db.schema.dropTable('certificates').execute();
        await sql`alter table certificates_0007 rename to certificates`.execute(db);
        await db.schema.createIndex('certificates_sha1').on('certificates').column('sha1').execute();
      }
      await db.schema
        .createTable('certificate_refs')
        .addColumn('ref', 'text', (c) => c.primaryKey())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('pending_relations')
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('relation', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text')
        .addColumn('last_seen', 'text')
        .addPrimaryKeyConstraint('pending_relations_pk', ['ref', 'relation', 'target', 'port', 'source'])
        .execute();
    },
  };
}

/**
 * Issue 12: IP → AS by longest-prefix match over nested prefixes. Each range gets the key of the
 * smallest CIDR block enclosing it (`block`, indexed) and its size (`span_hex`), so a lookup is
 * one query over the W + 1 blocks holding the address (store/as-lpm.ts). Existing rows are keyed
 * through a scratch table, in chunks, so the update is one statement on either dialect.
 */
function asRangesLpm(dialect: DialectName): Migration {
  const hex = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('as_ranges').addColumn('block', hex, (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('as_ranges').addColumn('span_hex', hex, (c) => c.notNull().defaultTo('')).execute();
      await db.schema
        .createTable('as_lpm_backfill')
        .addColumn('family', 'integer', (c) => c.notNull())
        .addColumn('start_hex', hex, (c) => c.notNull())
        .addColumn('end_hex', hex, (c) => c.notNull())
        .addColumn('block', hex, (c) => c.notNull())
        .addColumn('span_hex', hex, (c) => c.notNull())
        .addPrimaryKeyConstraint('as_lpm_backfill_pk', ['family', 'start_hex', 'end_hex'])
        .execute();
      const typed = db as unknown as Kysely<{
        as_ranges: { family: number; start_hex: string; end_hex: string; block: string; span_hex: string };
        as_lpm_backfill: { family: number; start_hex: string; end_hex: string; block: string; span_hex: string };
      }>;
      let after: { family: number; start_hex: string; end_hex: string } | undefined;
      for (;;) {
        let q = typed.selectFrom('as_ranges').select(['family', 'start_hex', 'end_hex']).distinct();
        if (after) {
          const a = after;
          q = q.where((eb) =>
            eb.or([
              eb('family', '>', a.family),
              eb.and([eb('family', '=', a.family), eb('start_hex', '>', a.start_hex)]),
              eb.and([eb('family', '=', a.family), eb('start_hex', '=', a.start_hex), eb('end_hex', '>', a.end_hex)]),
            ]),
          );
        }
        const page = await q.orderBy('family').orderBy('start_hex').orderBy('end_hex').limit(5_000).execute();
        if (page.length === 0) break;
        const rows = page.map((r) => ({ family: Number(r.family), start_hex: r.start_hex, end_hex: r.end_hex, ...rangeLpmKeys(r.start_hex, r.end_hex) }));
        for (let i = 0; i < rows.length; i += 200) await typed.insertInto('as_lpm_backfill').values(rows.slice(i, i + 200)).execute();
        after = page[page.length - 1];
      }
      const match = sql`b.family = as_ranges.family and b.start_hex = as_ranges.start_hex and b.end_hex = as_ranges.end_hex`;
      await sql`update as_ranges set
          block = coalesce((select b.block from as_lpm_backfill b where ${match}), ''),
          span_hex = coalesce((select b.span_hex from as_lpm_backfill b where ${match}), '')`.execute(db);
      await db.schema.dropTable('as_lpm_backfill').execute();
      await db.schema.createIndex('as_ranges_block').on('as_ranges').columns(['family', 'block']).execute();
    },
  };
}

/**
 * Issue 11: a certificate's version field and signed serial are read from the DER once, at
 * ingest, so presenters (PassiveTotal's shape) never decode DER. Certificates stored before get
 * theirs here, read from their DER a chunk at a time.
 */
const certificateVersionSerial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('certificates').addColumn('version', 'integer').execute();
    await db.schema.alterTable('certificates').addColumn('serial', 'text').execute();
    let after = '';
    for (;;) {
      const rows = await sql<{ sha256: string; der: Uint8Array }>`select sha256, der from certificates where der is not null and sha256 > ${after} order by sha256 limit 1000`.execute(db);
      if (rows.rows.length === 0) break;
      for (const r of rows.rows) {
        const vs = versionAndSerial(new Uint8Array(r.der));
        if (vs) await sql`update certificates set version = ${vs.version}, serial = ${vs.serial} where sha256 = ${r.sha256}`.execute(db);
      }
      after = rows.rows[rows.rows.length - 1]!.sha256;
    }
  },
};

/**
 * live.md "Network fields": IP network registrations (RDAP ip network), one row per block and
 * source, with the same longest-prefix keys as as_ranges (`block`, `span_hex`: store/as-lpm.ts)
 * so the registration holding an address is one query over the W + 1 blocks holding it.
 */
function ipNetworks(dialect: DialectName): Migration {
  const hex = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('ip_networks')
        .addColumn('family', 'integer', (c) => c.notNull())
        .addColumn('start_hex', hex, (c) => c.notNull())
        .addColumn('end_hex', hex, (c) => c.notNull())
        .addColumn('block', hex, (c) => c.notNull())
        .addColumn('span_hex', hex, (c) => c.notNull())
        .addColumn('start_ip', 'text', (c) => c.notNull())
        .addColumn('end_ip', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('observed', 'text')
        .addColumn('first_seen', 'text')
        .addColumn('last_seen', 'text')
        .addPrimaryKeyConstraint('ip_networks_pk', ['family', 'start_hex', 'end_hex', 'source'])
        .execute();
      await db.schema.createIndex('ip_networks_block').on('ip_networks').columns(['family', 'block']).execute();
    },
  };
}

/**
 * Issue 13: live look-ups. One row per entity and live source: the newest fetch's status, time and
 * reason. A view reads it to decide whether the source is within its TTL (or a failure within its
 * short back-off), so every worker and replica shares one answer to "fetched lately?".
 */
const liveFetches: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('live_fetches')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('fetched_at', 'text', (c) => c.notNull())
      .addColumn('records', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('live_fetches_pk', ['kind', 'entity', 'source'])
      .execute();
  },
};

/**
 * Issue 14: where each followed feed stands. `position` is written in the same transaction as the
 * records of the batch that ends there; `evaluated` once that batch's signatures have run, so a
 * restart that finds them apart fetches again from `evaluated` (services/feeds/runner.ts). The
 * rest is what `warren watch --status`, the API and /metrics show. Counts and sizes are bigint:
 * CT logs hold billions of entries.
 */
const feedPositions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('feed_positions')
      .addColumn('feed', 'text', (c) => c.primaryKey())
      .addColumn('position', 'text')
      .addColumn('evaluated', 'text')
      .addColumn('entries', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('evaluated_entries', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('rate', 'real', (c) => c.notNull().defaultTo(0))
      .addColumn('errors', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('last_error_at', 'text')
      .addColumn('size', 'bigint')
      .addColumn('newest', 'text')
      .execute();
  },
};

/**
 * Issue 17: one follower per feed. A process that follows a feed holds its lease, renewing it
 * well before it ends; another process asking for the same feed waits and takes the lease over
 * once it has ended (its holder died or hangs).
 */
const feedLeases: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('feed_leases')
      .addColumn('feed', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_ms', 'bigint', (c) => c.notNull())
      .addColumn('since', 'text', (c) => c.notNull())
      .execute();
  },
};

/**
 * Issue 15: triage. A notification's status (open until someone acknowledges, resolves or marks
 * it a false positive), who set it and when, its assignee (a member's email), and comments.
 * Comments are rows of their own (never edited), keyed by the organisation so every read filters
 * by it like the notifications do.
 */
function notificationTriage(dialect: DialectName): Migration {
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('notifications').addColumn('status', 'text', (c) => c.notNull().defaultTo('open')).execute();
      await db.schema.alterTable('notifications').addColumn('status_at', 'text').execute();
      await db.schema.alterTable('notifications').addColumn('status_by', 'text').execute();
      await db.schema.alterTable('notifications').addColumn('assignee', 'text').execute();
      await db.schema.createIndex('notifications_org_signature').on('notifications').columns(['org', 'signature']).execute();
      await db.schema.createIndex('notifications_org_status').on('notifications').columns(['org', 'status']).execute();
      await db.schema
        .createTable('notification_comments')
        .addColumn('seq', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('notification', 'text', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notification_comments_note').on('notification_comments').columns(['org', 'notification', 'seq']).execute();
    },
  };
}

/**
 * Issue 18: signature packs between organisations (docs/PACKS.md). A publisher's pack is a name
 * and its versions; each version is a snapshot of its signatures' text (`pack_signatures`), never
 * changed after. Consent is the publisher's list of organisations allowed to subscribe
 * (`pack_grants`); a subscription is the subscriber's row naming the version it runs, and the
 * signatures of the pack it has switched off (`pack_disabled`). Every row names its organisation
 * first, so each read filters by it like the rest of the organisation data.
 */
const signaturePacks: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('packs')
      .addColumn('org', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created', 'text', (c) => c.notNull())
      .addColumn('updated', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('packs_pk', ['org', 'name'])
      .execute();
    await db.schema
      .createTable('pack_versions')
      .addColumn('org', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('published', 'text', (c) => c.notNull())
      .addColumn('signatures', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('pack_versions_pk', ['org', 'name', 'version'])
      .execute();
    await db.schema
      .createTable('pack_signatures')
      .addColumn('org', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pack_signatures_pk', ['org', 'name', 'version', 'signature'])
      .execute();
    await db.schema
      .createTable('pack_grants')
      .addColumn('org', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('consumer', 'text', (c) => c.notNull())
      .addColumn('granted', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pack_grants_pk', ['org', 'name', 'consumer'])
      .execute();
    await db.schema.createIndex('pack_grants_consumer').on('pack_grants').columns(['consumer']).execute();
    await db.schema
      .createTable('pack_subscriptions')
      .addColumn('org', 'text', (c) => c.notNull())
      .addColumn('publisher', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('subscribed', 'text', (c) => c.notNull())
      .addColumn('updated', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pack_subscriptions_pk', ['org', 'publisher', 'name'])
      .execute();
    await db.schema.createIndex('pack_subscriptions_pack').on('pack_subscriptions').columns(['publisher', 'name']).execute();
    await db.schema
      .createTable('pack_disabled')
      .addColumn('org', 'text', (c) => c.notNull())
      .addColumn('publisher', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pack_disabled_pk', ['org', 'publisher', 'name', 'signature'])
      .execute();
  },
};

/**
 * 0016: why a signature's tag matched, in words, beyond the pattern index: a look-alike hit's
 * family and distance ("transposition of paypal in pyapal-login.com (distance 1)"); '' for
 * every other match kind and for manual tags.
 */
const tagWhy: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('tags').addColumn('why', 'text', (c) => c.notNull().defaultTo('')).execute();
  },
};

/**
 * 0018: the work queue's state (issue 17, docs/DEPLOY.md). BullMQ on Redis only carries which
 * part to run next; what a job is, how far each part got and an upload's bytes live here, so a
 * Redis that loses everything loses no work: unfinished parts are handed to the queue again.
 */
function jobs(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('finished', 'text')
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('parts', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .execute();
      await db.schema.createIndex('jobs_org').on('jobs').columns(['org', 'kind', 'created']).execute();
      await db.schema.createIndex('jobs_status').on('jobs').columns(['status']).execute();
      await db.schema
        .createTable('job_parts')
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('part', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('spec', 'text', (c) => c.notNull())
        .addColumn('result', 'text')
        .addColumn('updated_ms', 'bigint', (c) => c.notNull())
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('job_parts_pk', ['job', 'part'])
        .execute();
      await db.schema
        .createTable('job_chunks')
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('part', 'integer', (c) => c.notNull())
        .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addPrimaryKeyConstraint('job_chunks_pk', ['job', 'part'])
        .execute();
    },
  };
}

/** How many hash partitions each big sighting table has on PostgreSQL (0019). */
export const SIGHTING_PARTITIONS = 16;

/**
 * 0019 (issue 17, scale-out), PostgreSQL only: the sighting tables, the ones that grow to
 * billions of rows, become HASH-partitioned, so each partition's indexes stay a size the cache
 * holds and vacuum, reindex and rebuilds work partition by partition. `resolutions` is split by
 * domain (a domain's lookup reads one partition); its lookups by value (an IP's domains, a
 * CNAME's sources) keep `resolutions_value`, probed in every partition. `served` is split by ip
 * (an IP's lookup reads one partition); lookups by certificate use the primary key, which leads
 * with sha256. Both primary keys already hold the partition key, so ON CONFLICT upserts keep
 * working on the parent. Existing rows move over in the migration's transaction. SQLite keeps
 * its tables as they are: it has no partitions, and a single file store is not the one that
 * reaches this size.
 */
function partitionedSightings(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      const tables = [
        { table: 'resolutions', key: 'domain', pk: ['domain', 'rrtype', 'value', 'source'], index: { name: 'resolutions_value', column: 'value' } },
        { table: 'served', key: 'ip', pk: ['sha256', 'ip', 'port', 'source'], index: { name: 'served_ip', column: 'ip' } },
      ];
      for (const t of tables) {
        const old = `${t.table}_unpartitioned`;
        await sql`alter table ${sql.table(t.table)} rename to ${sql.table(old)}`.execute(db);
        await sql`alter table ${sql.table(old)} rename constraint ${sql.ref(`${t.table}_pk`)} to ${sql.ref(`${old}_pk`)}`.execute(db);
        await sql`alter index ${sql.ref(t.index.name)} rename to ${sql.ref(`${old}_${t.index.column}`)}`.execute(db);
        // LIKE copies the columns with their types, NOT NULLs and defaults, whatever later
        // migrations added; the keys are declared again on the partitioned parent.
        await sql`create table ${sql.table(t.table)} (like ${sql.table(old)} including defaults including constraints) partition by hash (${sql.ref(t.key)})`.execute(db);
        for (let i = 0; i < SIGHTING_PARTITIONS; i++) {
          const part = `${t.table}_p${String(i).padStart(2, '0')}`;
          await sql`create table ${sql.table(part)} partition of ${sql.table(t.table)} for values with (modulus ${sql.lit(SIGHTING_PARTITIONS)}, remainder ${sql.lit(i)})`.execute(db);
        }
        await sql`alter table ${sql.table(t.table)} add constraint ${sql.ref(`${t.table}_pk`)} primary key (${sql.join(t.pk.map((c) => sql.ref(c)))})`.execute(db);
        await sql`create index ${sql.ref(t.index.name)} on ${sql.table(t.table)} (${sql.ref(t.index.column)})`.execute(db);
        await sql`insert into ${sql.table(t.table)} select * from ${sql.table(old)}`.execute(db);
        await sql`drop table ${sql.table(old)}`.execute(db);
      }
    },
  };
}

/**
 * 0020 (issue 17), PostgreSQL only: an upload's chunks are compressed with lz4 instead of the
 * default pglz. The API replica stores every part of a queued upload before answering, and pglz
 * took ~0.85 s of the ~1.5 s it spent on 39 MB (300,000 COF records); lz4 writes the same chunks
 * in ~0.3 s at about the same size (no compression would be as fast at 2.6× the disk). A server
 * built without lz4 keeps pglz: the statement's error is caught, the migration goes on.
 */
function chunkCompression(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`do $$ begin
          execute 'alter table job_chunks alter column data set compression lz4';
        exception when others then
          raise notice 'job_chunks keeps pglz: %', sqlerrm;
        end $$`.execute(db);
    },
  };
}

export function migrationProvider(dialect: DialectName): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve({
        '0001_initial': initial(dialect),
        '0002_organisations': organisations(dialect),
        '0003_accounts': accounts(dialect),
        '0004_notification_order': notificationOrder,
        '0005_accounts_hardening': accountsHardening,
        '0006_outbox_claims': outboxClaims,
        '0007_certificates_without_der': certificatesWithoutDer(dialect),
        '0009_as_ranges_lpm': asRangesLpm(dialect),
        '0010_certificate_version_serial': certificateVersionSerial,
        '0011_ip_networks': ipNetworks(dialect),
        '0012_live_fetches': liveFetches,
        '0013_feed_positions': feedPositions,
        '0014_notification_triage': notificationTriage(dialect),
        '0015_signature_packs': signaturePacks,
        '0016_tag_why': tagWhy,
        '0017_feed_leases': feedLeases,
        '0018_jobs': jobs(dialect),
        '0019_partitioned_sightings': partitionedSightings(dialect),
        '0020_chunk_compression': chunkCompression(dialect),
      }),
  };
}

// Schema migrations, in code so that they ship with the build and run on SQLite and PostgreSQL.
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DialectName } from './connect.js';

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

export function migrationProvider(dialect: DialectName): MigrationProvider {
  return {
    getMigrations: () => Promise.resolve({ '0001_initial': initial(dialect) }),
  };
}

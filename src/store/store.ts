// The store: one object over SQLite or PostgreSQL, with the queries ingest and lookup need.
import { sql, type Kysely } from 'kysely';
import type { IngestRecord } from '../ingest/records.js';
import type { Database } from './schema.js';
import { AsIndex } from './as-index.js';
import { connect, connectDeferringCommits, type Connection, type DialectName } from './connect.js';
import * as read from './read.js';
import { networkForIp, networksForIps, type StoredNetwork } from './ip-networks.js';
import { writeBatch } from './write.js';

export class Store {
  private constructor(
    private readonly conn: Connection,
    /** The URL it was opened from: another thread or process opens the same store with it. */
    readonly url: string,
    /**
     * What caches of this store's contents are keyed by (compiled matchers): shared with the
     * store deferringCommits() gives, which reads and writes the same database.
     */
    readonly identity: object = {},
  ) {}

  static async open(url: string): Promise<Store> {
    return new Store(await connect(url), url);
  }

  /**
   * The same database through connections whose commits do not wait for the disk
   * (connect.ts connectDeferringCommits), for work whose end is committed through this store;
   * the caller closes it. SQLite has one connection and no such setting: this store itself.
   */
  deferringCommits(): Store {
    return this.conn.dialect === 'postgres' ? new Store(connectDeferringCommits(this.url), this.url, this.identity) : this;
  }

  /** A SQLite database in this process's memory: no other thread or process can open it. */
  get inMemory(): boolean {
    return this.conn.dialect === 'sqlite' && (this.url === 'sqlite:' || this.url === 'sqlite::memory:');
  }

  get dialect(): DialectName {
    return this.conn.dialect;
  }

  /** The query builder, for the repositories of organisation data (signatures, tags, …). */
  get db(): Kysely<Database> {
    return this.conn.db;
  }

  /**
   * Writes a batch in one transaction: all of it or none. Returns the relations that pending
   * certificate references resolved to in this write (write.ts), which evaluation must see too.
   * `also` runs in the same transaction after the records (a feed's position: stored exactly when
   * the records that lead to it are), even when the batch has no records.
   */
  async write(records: readonly IngestRecord[], also?: (trx: Kysely<Database>) => Promise<void>): Promise<IngestRecord[]> {
    if (records.length === 0 && !also) return [];
    return this.conn.db.transaction().execute(async (trx) => {
      const resolved = records.length === 0 ? [] : await writeBatch(trx, records);
      await also?.(trx);
      return resolved;
    });
  }

  /** A round trip to the database, for health checks. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.conn.db);
  }

  stats(): Promise<read.Stats> {
    return read.stats(this.conn.db);
  }

  domainExists(name: string): Promise<boolean> {
    return read.domainExists(this.conn.db, name);
  }

  ipExists(address: string): Promise<boolean> {
    return read.ipExists(this.conn.db, address);
  }

  newestWhois(domain: string): ReturnType<typeof read.newestWhois> {
    return read.newestWhois(this.conn.db, domain);
  }

  certificate(hash: string): Promise<read.StoredCertificate | undefined> {
    return read.certificateByHash(this.conn.db, hash);
  }

  asForIp(ip: string): Promise<read.AsInfo | undefined> {
    return read.asForIp(this.conn.db, ip);
  }

  /** The most specific stored network registration (RDAP ip network) holding `ip`. */
  networkForIp(ip: string): Promise<StoredNetwork | undefined> {
    return networkForIp(this.conn.db, ip);
  }

  /** The same for many IPs at once (IPs held by no registration are left out). */
  networksForIps(ips: readonly string[]): Promise<Map<string, StoredNetwork>> {
    return networksForIps(this.conn.db, ips);
  }

  /** Every AS range, indexed in memory for bulk lookups. */
  async loadAsIndex(): Promise<AsIndex> {
    return new AsIndex(await this.conn.db.selectFrom('as_ranges').selectAll().execute());
  }

  domainRelations(domain: string): Promise<read.Relation[]> {
    return read.domainRelations(this.conn.db, domain);
  }

  ipRelations(ip: string): Promise<read.Relation[]> {
    return read.ipRelations(this.conn.db, ip);
  }

  certificateRelations(sha256: string): Promise<read.Relation[]> {
    return read.certificateRelations(this.conn.db, sha256);
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}

export type { Stats, Relation, AsInfo, StoredCertificate } from './read.js';
export type { StoredNetwork } from './ip-networks.js';

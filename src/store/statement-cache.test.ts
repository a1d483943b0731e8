import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cachingDatabase } from './statement-cache.js';

describe('cachingDatabase', () => {
  const open: SqliteDatabase.Database[] = [];
  const fresh = (): SqliteDatabase.Database => {
    const db = new SqliteDatabase(':memory:');
    open.push(db);
    db.exec('create table t (k integer primary key, v text)');
    return db;
  };
  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
  });

  it('hands out the statement it prepared before for the same SQL', () => {
    const db = cachingDatabase(fresh());
    const a = db.prepare('insert into t (k, v) values (?, ?)');
    a.run([1, 'one']);
    const b = db.prepare('insert into t (k, v) values (?, ?)');
    expect(b).toBe(a);
    b.run([2, 'two']);
    expect(db.prepare('select v from t order by k').all([])).toEqual([{ v: 'one' }, { v: 'two' }]);
  });

  it('gives a statement of its own to a query whose kept statement is still iterating', () => {
    const db = cachingDatabase(fresh());
    db.prepare('insert into t (k, v) values (?, ?)').run([1, 'one']);
    db.prepare('insert into t (k, v) values (?, ?)').run([2, 'two']);
    const sql = 'select v from t order by k';
    const seen: unknown[] = [];
    for (const row of db.prepare(sql).iterate([])) seen.push(row, db.prepare(sql).all([]).length);
    expect(seen).toEqual([{ v: 'one' }, 2, { v: 'two' }, 2]);
  });

  it('keeps at most the number asked, dropping the least recently used', () => {
    const db = cachingDatabase(fresh(), 2);
    const one = db.prepare('select 1');
    db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(one);
    db.prepare('select 3');
    expect(db.kept).toBe(2);
    // 'select 2' was the least recently used: it is prepared anew; 'select 1' is still kept.
    expect(db.prepare('select 1')).toBe(one);
  });

  it('runs a kept statement against a changed schema', () => {
    const raw = fresh();
    const db = cachingDatabase(raw);
    const select = db.prepare('select * from t');
    expect(select.all([])).toEqual([]);
    raw.exec("alter table t add column w text default 'x'");
    raw.exec("insert into t (k, v) values (1, 'one')");
    expect(db.prepare('select * from t').all([])).toEqual([{ k: 1, v: 'one', w: 'x' }]);
  });
});

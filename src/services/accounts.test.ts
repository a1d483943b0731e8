// Sign-in does the same scrypt work whether or not the email has an account (issue 10, item 8):
// counted through node:crypto's scrypt, not timed.
import * as crypto from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Store } from '../store/store.js';
import { addUser, login, signIn } from './accounts.js';

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, scrypt: vi.fn(real.scrypt) };
});

const scrypt = vi.mocked(crypto.scrypt);
const NOW = new Date('2026-03-01T12:00:00Z');
let dir: string;
let store: Store;

beforeAll(async () => {
  process.env.WARREN_SCRYPT_N = '2048';
  dir = mkdtempSync(join(tmpdir(), 'warren-signin-'));
  store = await Store.open(`sqlite:${join(dir, 's.db')}`);
  await addUser(store, { email: 'known@example.com', org: 'acme', role: 'viewer', password: 'the-right-password', now: '2026-03-01T12:00:00Z' });
  await addUser(store, { email: 'keys-only@example.com', org: 'acme', role: 'viewer', now: '2026-03-01T12:00:00Z' });
  // The dummy hash is made once per cost; make it before counting.
  await login(store, 'warm-up@example.com', 'x', NOW);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The scrypt calls (and their cost N) one sign-in makes. */
async function work(email: string, password: string): Promise<number[]> {
  scrypt.mockClear();
  await login(store, email, password, NOW);
  return scrypt.mock.calls.map((c) => (c[3] as { N: number }).N);
}

describe('sign-in work', () => {
  it('verifies against a dummy hash of the same cost for an unknown email or an account without a password', async () => {
    const known = await work('known@example.com', 'a-wrong-password');
    expect(known).toEqual([2048]);
    expect(await work('nobody@example.com', 'a-wrong-password')).toEqual(known);
    expect(await work('keys-only@example.com', 'a-wrong-password')).toEqual(known);
    expect(await work('known@example.com', 'x'.repeat(2000))).toEqual(known);
    expect(await work('known@example.com', 'the-right-password')).toEqual(known);
  });

  it('refuses a locked account or address before any scrypt work', async () => {
    for (let i = 0; i < 10; i++) expect(await signIn(store, 'known@example.com', 'wrong', `192.0.2.${i}`, NOW)).toEqual({ ok: false, reason: 'wrong' });
    scrypt.mockClear();
    expect(await signIn(store, 'known@example.com', 'the-right-password', '192.0.2.99', NOW)).toEqual({ ok: false, reason: 'limited' });
    expect(scrypt).not.toHaveBeenCalled();
  });
});

// `warren org add`, `user add [--server-admin]`, `apikey create [--org] | list | revoke`, and
// `serve`'s configuration check, through the CLI.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../api/server.js';
import { userByEmail } from '../store/accounts.js';
import { Store } from '../store/store.js';
import { checkServeConfig } from './commands/serve.js';
import { cliActor } from './store-options.js';
import { runCli } from './test-support/run.js';

process.env.WARREN_SCRYPT_N = '1024';
const dir = mkdtempSync(join(tmpdir(), 'warren-accounts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = `sqlite:${join(dir, 'a.db')}`;

describe('accounts through the CLI', () => {
  it('creates an organisation, a user with a password from stdin, and an API key that works once printed', async () => {
    expect((await runCli(['org', 'add', 'acme', '--db', db])).code).toBe(0);
    expect((await runCli(['org', 'add', 'Bad Name', '--db', db])).code).toBe(2);
    const user = await runCli(['user', 'add', 'Ann@Example.com', '--org', 'acme', '--role', 'analyst', '--password-stdin', '--db', db], 'a-long-enough-password\n');
    expect(user.code, user.stderr).toBe(0);
    expect(user.stdout).toBe('ann@example.com is analyst of acme\n');
    expect((await runCli(['user', 'add', 'x@example.com', '--org', 'acme', '--role', 'root', '--db', db])).code).toBe(2);
    expect((await runCli(['user', 'add', 'y@example.com', '--org', 'acme', '--role', 'viewer', '--password-stdin', '--db', db], 'short')).code).toBe(2);

    const created = await runCli(['apikey', 'create', '--user', 'ann@example.com', '--name', 'notebook', '--db', db]);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^wk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const list = JSON.parse((await runCli(['apikey', 'list', '--json', '--db', db])).stdout) as { id: string; name: string }[];
    expect(list.map((k) => k.name)).toEqual(['notebook']);
    expect(JSON.stringify(list)).not.toContain(key.slice(key.indexOf('_', 3) + 1));

    const store = await Store.open(db);
    try {
      const app = await buildServer({ store });
      const me = (k: string): Promise<number> =>
        app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Basic ${Buffer.from(`ann@example.com:${k}`).toString('base64')}` } }).then((r) => r.statusCode);
      expect(await me(key)).toBe(200);
      expect((await runCli(['apikey', 'revoke', list[0]!.id, '--db', db])).code).toBe(0);
      expect(await me(key)).toBe(401);
      expect((await runCli(['apikey', 'revoke', list[0]!.id, '--db', db])).code).toBe(1);
      await app.close();
    } finally {
      await store.close();
    }
  });
});

describe('server admins and keys of an organisation through the CLI', () => {
  it('--server-admin lets a user create accounts over the API; --no-server-admin takes it away', async () => {
    expect((await runCli(['org', 'add', 'beta', '--db', db])).code).toBe(0);
    const ops = await runCli(['user', 'add', 'ops@example.com', '--org', 'beta', '--role', 'admin', '--server-admin', '--db', db]);
    expect(ops.code, ops.stderr).toBe(0);
    expect(ops.stdout).toBe('ops@example.com is admin of beta, server admin\n');
    const key = (await runCli(['apikey', 'create', '--user', 'ops@example.com', '--org', 'beta', '--db', db])).stdout.trim();
    const store = await Store.open(db);
    try {
      expect((await userByEmail(store.db, 'ops@example.com'))?.serverAdmin).toBe(true);
      const app = await buildServer({ store });
      const add = (email: string): Promise<number> =>
        app
          .inject({
            method: 'POST',
            url: '/api/v1/users',
            headers: { authorization: `Basic ${Buffer.from(`ops@example.com:${key}`).toString('base64')}` },
            payload: { email, role: 'viewer', password: 'a-long-enough-password' },
          })
          .then((r) => r.statusCode);
      expect(await add('new-one@example.com')).toBe(201);
      const off = await runCli(['user', 'add', 'ops@example.com', '--org', 'beta', '--role', 'admin', '--no-server-admin', '--db', db]);
      expect(off.stdout).toBe('ops@example.com is admin of beta, not a server admin\n');
      expect(await add('new-two@example.com')).toBe(403);
      await app.close();
    } finally {
      await store.close();
    }
  });

  it('apikey create --org makes a key that acts only in that organisation, and refuses one the user is not in', async () => {
    await runCli(['user', 'add', 'ann@example.com', '--org', 'beta', '--role', 'viewer', '--db', db]);
    const created = await runCli(['apikey', 'create', '--user', 'ann@example.com', '--org', 'beta', '--name', 'beta-notebook', '--db', db]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toMatch(/ in beta: shown once/);
    const key = created.stdout.trim();
    const refused = await runCli(['apikey', 'create', '--user', 'ann@example.com', '--org', 'gamma', '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not a member of organisation gamma/);
    const list = JSON.parse((await runCli(['apikey', 'list', '--user', 'ann@example.com', '--json', '--db', db])).stdout) as { name: string; org: string | null }[];
    expect(list.find((k) => k.name === 'beta-notebook')?.org).toBe('beta');
    expect((await runCli(['apikey', 'list', '--user', 'ann@example.com', '--db', db])).stdout).toMatch(/beta-notebook .* org beta/);

    const store = await Store.open(db);
    try {
      const app = await buildServer({ store });
      const account = (q: string): Promise<{ statusCode: number; body: string }> =>
        app.inject({ method: 'GET', url: `/v2/account${q}`, headers: { authorization: `Basic ${Buffer.from(`ann@example.com:${key}`).toString('base64')}` } });
      // ann's default is acme (her first organisation); the key still acts in beta only.
      expect(JSON.parse((await account('')).body)).toMatchObject({ organization: 'beta' });
      expect((await account('?org=acme')).statusCode).toBe(404);
      await app.close();
    } finally {
      await store.close();
    }
  });
});

describe('changes made from the CLI are audited as the API audits them', () => {
  it("org add, user add, apikey create / revoke, tag, untag and classify show in the organisation's /audit with the CLI's actor", async () => {
    const audited = `sqlite:${join(dir, 'audit.db')}`;
    const cli = async (args: string[], stdin?: string): Promise<string> => {
      const r = await runCli([...args, '--db', audited], stdin);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    await cli(['org', 'add', 'gamma']);
    await cli(['user', 'add', 'gil@example.com', '--org', 'gamma', '--role', 'viewer']);
    await cli(['user', 'add', 'gil@example.com', '--org', 'gamma', '--role', 'admin']);
    const key = (await cli(['apikey', 'create', '--user', 'gil@example.com', '--org', 'gamma', '--name', 'audit'])).trim();
    const spare = (await cli(['apikey', 'create', '--user', 'gil@example.com', '--org', 'gamma', '--name', 'spare'])).trim();
    await cli(['apikey', 'revoke', spare.split('_')[1]!]);
    await cli(['tag', 'evil.example', 'phish', '--org', 'gamma']);
    await cli(['untag', 'evil.example', 'phish', '--org', 'gamma']);
    await cli(['classify', 'evil.example', 'malicious', '--org', 'gamma']);

    const store = await Store.open(audited);
    try {
      const app = await buildServer({ store });
      const res = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: `Basic ${Buffer.from(`gil@example.com:${key}`).toString('base64')}` } });
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json<{ items: { actor: string; action: string; target: string; before?: unknown; after?: unknown }[] }>().items.reverse();
      expect(items.map((e) => e.action)).toEqual(['org.create', 'user.add', 'user.role', 'apikey.create', 'apikey.create', 'apikey.revoke', 'tag.add', 'tag.remove', 'classification.set']);
      expect(new Set(items.map((e) => e.actor))).toEqual(new Set([cliActor()]));
      expect(cliActor()).toMatch(/^cli(:.+)?$/);
      expect(items[1]).toMatchObject({ target: 'user:gil@example.com', after: { role: 'viewer', password: false } });
      expect(items[2]).toMatchObject({ before: { role: 'viewer' }, after: { role: 'admin' } });
      expect(items[5]).toMatchObject({ target: `apikey:${spare.split('_')[1]!}`, before: { user: 'gil@example.com' } });
      expect(items.slice(6)).toMatchObject([
        { target: 'domain:evil.example', after: { tag: 'phish' } },
        { target: 'domain:evil.example', before: { tag: 'phish' } },
        { target: 'domain:evil.example', after: { classification: 'malicious' } },
      ]);
      await app.close();
    } finally {
      await store.close();
    }
  });

  it("channel add / rm / test and sig import / disable / enable / rm show in the organisation's /audit with the CLI's actor, once each", async () => {
    const audited = `sqlite:${join(dir, 'audit-delivery.db')}`;
    const cli = async (args: string[], expected = 0): Promise<string> => {
      const r = await runCli([...args, '--db', audited]);
      expect(r.code, r.stderr).toBe(expected);
      return r.stdout;
    };
    await cli(['org', 'add', 'delta']);
    await cli(['user', 'add', 'dee@example.com', '--org', 'delta', '--role', 'admin']);
    const key = (await cli(['apikey', 'create', '--user', 'dee@example.com', '--org', 'delta', '--name', 'audit'])).trim();
    // An email channel: its test fails without an SMTP server, but is audited all the same.
    await cli(['channel', 'add', 'mail', '--org', 'delta', '--type', 'email', '--to', 'soc@example.com']);
    await cli(['channel', 'add', 'hook', '--org', 'delta', '--type', 'webhook', '--url', 'https://user:pa55word@hooks.example/t/abc', '--secret', 'a-long-enough-secret']);
    await cli(['channel', 'test', 'mail', '--org', 'delta', '--smtp', 'smtp://127.0.0.1:1', '--timeout', '2'], 1);
    await cli(['channel', 'rm', 'hook', '--org', 'delta']);
    await cli(['channel', 'rm', 'hook', '--org', 'delta'], 2); // gone: nothing to audit
    const sigs = join(dir, 'audit-sigs.yaml');
    writeFileSync(sigs, 'id: brand\ntitle: brand\nfield: domain\npatterns: [paypal]\nactions: [{tag: Brand}]\n');
    await cli(['sig', 'import', sigs, '--org', 'delta']);
    await cli(['sig', 'import', sigs, '--org', 'delta']); // unchanged: nothing to audit
    writeFileSync(sigs, 'id: brand\ntitle: brand\nfield: domain\npatterns: [paypal, ebay]\nactions: [{tag: Brand}]\n');
    await cli(['sig', 'import', sigs, '--org', 'delta']);
    await cli(['sig', 'disable', 'brand', '--org', 'delta']);
    await cli(['sig', 'disable', 'brand', '--org', 'delta']); // already disabled: nothing to audit
    await cli(['sig', 'enable', 'brand', '--org', 'delta']);
    await cli(['sig', 'rm', 'brand', '--org', 'delta']);

    const store = await Store.open(audited);
    try {
      const app = await buildServer({ store });
      const res = await app.inject({ method: 'GET', url: '/api/v1/audit?limit=100', headers: { authorization: `Basic ${Buffer.from(`dee@example.com:${key}`).toString('base64')}` } });
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json<{ items: { actor: string; action: string; target: string; before?: unknown; after?: unknown }[] }>().items.reverse();
      expect(items.map((e) => [e.action, e.target])).toEqual([
        ['org.create', 'org:delta'],
        ['user.add', 'user:dee@example.com'],
        ['apikey.create', expect.stringMatching(/^apikey:/)],
        ['channel.add', 'channel:mail'],
        ['channel.add', 'channel:hook'],
        ['channel.test', 'channel:mail'],
        ['channel.remove', 'channel:hook'],
        ['signature.create', 'signature:brand'],
        ['signature.change', 'signature:brand'],
        ['signature.disable', 'signature:brand'],
        ['signature.enable', 'signature:brand'],
        ['signature.delete', 'signature:brand'],
      ]);
      expect(new Set(items.map((e) => e.actor))).toEqual(new Set([cliActor()]));
      const rows = items.slice(3);
      // The rows the API writes for the same changes (v1-channels.test.ts, services/audit.test.ts).
      expect(rows[0]).toMatchObject({ after: { name: 'mail', type: 'email', config: { to: 'soc@example.com' }, has_secret: false } });
      expect(rows[1]).toMatchObject({ after: { name: 'hook', type: 'webhook', has_secret: true } });
      expect(rows[2]).toMatchObject({ after: { ok: false, error: 'smtp_error' } });
      expect(rows[3]).toMatchObject({ before: { name: 'hook' }, after: { dropped_pending: 0 } });
      expect(rows[4]).toMatchObject({ after: { id: 'brand', patterns: ['paypal'] } });
      expect(rows[4]).not.toHaveProperty('before');
      expect(rows[5]).toMatchObject({ before: { id: 'brand', patterns: ['paypal'] }, after: { id: 'brand', patterns: ['paypal', 'ebay'] } });
      expect(rows[6]).toMatchObject({ after: { version: 3 } });
      expect(rows[7]).toMatchObject({ after: { version: 4 } });
      expect(rows[8]).toMatchObject({ before: { id: 'brand', patterns: ['paypal', 'ebay'] } });
      // Secrets stay out of the log: the webhook's key and the URL's password.
      expect(res.body).not.toContain('a-long-enough-secret');
      expect(res.body).not.toContain('pa55word');
      await app.close();
    } finally {
      await store.close();
    }
  });
});

describe("serve's configuration", () => {
  it('names every problem at once', () => {
    expect(checkServeConfig({ port: '99999', host: 'bad host!' }).problems).toEqual([
      'port 99999 (--port / WARREN_PORT) is not 0-65535',
      'host bad host! (--host / WARREN_HOST) is not a host name or address',
    ]);
    expect(checkServeConfig({ port: '0', host: '127.0.0.1' }).config).toMatchObject({ port: 0, host: '127.0.0.1', secureCookies: false, deliver: true });
  });

  it('names a wrong live look-up setting by its variable', () => {
    const saved = process.env.WARREN_LIVE_TTL;
    process.env.WARREN_LIVE_TTL = '1 fortnight';
    try {
      expect(checkServeConfig({ port: '0', host: '127.0.0.1' }).problems).toEqual(['WARREN_LIVE_TTL: "1 fortnight" is not a duration like 30m, 6h, 7d or 5s']);
    } finally {
      if (saved === undefined) delete process.env.WARREN_LIVE_TTL;
      else process.env.WARREN_LIVE_TTL = saved;
    }
  });

  it('refuses a bad configuration with exit 2 before opening anything', async () => {
    const r = await runCli(['serve', '--port', 'eighty', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/port eighty/);
  });

});

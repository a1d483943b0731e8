// `warren org add NAME`, `warren user add --org NAME --role ROLE EMAIL --password-stdin
// [--server-admin | --no-server-admin]`, `warren apikey create --user EMAIL [--org NAME] [--name N]`
// (prints the key once), `warren apikey list|revoke`. The operator with store access adds members
// directly; over the API an organisation admin can only invite.
import type { Command } from 'commander';
import { addMember, allApiKeys, createOrg, issueApiKey, normaliseEmail, revokeAnyApiKey, ROLES, type Role } from '../../services/accounts.js';
import { isoSeconds, systemClock } from '../../services/clock.js';
import { EXIT_PROBLEMS, UsageError, write } from '../io.js';
import type { CommandContext } from '../context.js';
import { cliActor, withDb, withStore as run } from '../store-options.js';

async function readStdin(ctx: CommandContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of ctx.io.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerAccounts(program: Command, ctx: CommandContext): void {
  const now = (): string => isoSeconds(systemClock());
  const org = program.command('org').description('organisations');
  withDb(org.command('add').description('create an organisation').argument('<name>', 'a-z 0-9 . _ -')).action((name: string, opts: { db?: string }) =>
    run(opts, async (store) => {
      await createOrg(store, cliActor(), name, now());
      await write(ctx.io.stdout, `organisation ${name}\n`);
    }),
  );

  const user = program.command('user').description('users');
  withDb(
    user
      .command('add')
      .description('create a user (or give an existing one a role) in an organisation')
      .argument('<email>', 'the sign-in name')
      .requiredOption('--org <name>', 'organisation')
      .requiredOption('--role <role>', ROLES.join(' | '))
      .option('--password-stdin', 'read the password from standard input')
      .option('--server-admin', 'make the user a server administrator (may create accounts and add members directly over the API)')
      .option('--no-server-admin', 'take the server administrator flag away'),
  ).action((email: string, opts: { db?: string; org: string; role: string; passwordStdin?: boolean; serverAdmin?: boolean }) =>
    run(opts, async (store) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) throw new UsageError(`--role ${opts.role} is not one of ${ROLES.join(', ')}`);
      const password = opts.passwordStdin ? await readStdin(ctx) : undefined;
      const address = normaliseEmail(email);
      await addMember(store, cliActor(), {
        email,
        org: opts.org,
        role: opts.role as Role,
        ...(password !== undefined ? { password } : {}),
        ...(opts.serverAdmin !== undefined ? { serverAdmin: opts.serverAdmin } : {}),
        now: now(),
      });
      const flag = opts.serverAdmin === true ? ', server admin' : opts.serverAdmin === false ? ', not a server admin' : '';
      await write(ctx.io.stdout, `${address} is ${opts.role} of ${opts.org}${flag}\n`);
    }),
  );

  const key = program.command('apikey').description('API keys');
  withDb(
    key
      .command('create')
      .description('create an API key (printed once; only its hash is kept)')
      .requiredOption('--user <email>', 'owner')
      .option('--org <name>', 'the organisation the key acts in (only there); without it, the user\'s default or any organisation a request names')
      .option('--name <name>', 'what it is for', 'cli'),
  ).action((opts: { db?: string; user: string; org?: string; name: string }) =>
    run(opts, async (store) => {
      const k = await issueApiKey(store, cliActor(), { user: opts.user, name: opts.name, ...(opts.org !== undefined ? { org: opts.org } : {}), now: now() });
      await write(ctx.io.stdout, `${k.key}\n`);
      await write(ctx.io.stderr, `API key ${k.id} for ${opts.user}${opts.org !== undefined ? ` in ${opts.org}` : ''}: shown once, keep it safe\n`);
    }),
  );
  withDb(key.command('list').description('API keys (never the keys themselves)').option('--user <email>', 'only this user').option('--json', 'print as JSON')).action(
    (opts: { db?: string; user?: string; json?: boolean }) =>
      run(opts, async (store) => {
        const keys = await allApiKeys(store, opts.user);
        if (opts.json) await write(ctx.io.stdout, `${JSON.stringify(keys)}\n`);
        else for (const k of keys) await write(ctx.io.stdout, `${k.id}  ${k.email}  ${k.name}  created ${k.created}  last used ${k.lastUsed ?? 'never'}${k.org !== null ? `  org ${k.org}` : ''}${k.revoked ? `  revoked ${k.revoked}` : ''}\n`);
      }),
  );
  withDb(key.command('revoke').description('revoke an API key').argument('<id>', 'the key id from list')).action((id: string, opts: { db?: string }) =>
    run(opts, async (store) => {
      if (!(await revokeAnyApiKey(store, cliActor(), id, now()))) {
        await write(ctx.io.stderr, `no live API key ${id}\n`);
        ctx.exitCode = EXIT_PROBLEMS;
        return;
      }
      await write(ctx.io.stdout, `revoked ${id}\n`);
    }),
  );
}

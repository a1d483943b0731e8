// Filling a store for `warren demo`: organisation `demo`, the sample signatures, the bundled
// data set ingested the way `warren ingest` does it (signatures evaluated on each batch, so the
// notifications are real), and an admin to sign in with. Idempotent: the user is created last,
// so a store that has it holds the whole demo, and a run interrupted half-way simply starts over
// (imports and ingest are themselves idempotent). The demo user is a server admin, so the
// Settings page can add users with a password (an organisation admin can only invite).
import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { formatByName } from '../ingest/detect.js';
import { FORMATS } from '../ingest/formats.js';
import { openInput } from '../ingest/input.js';
import { addOrg, addUser } from '../services/accounts.js';
import { EVERY_ORG } from '../services/ingest/evaluate-batch.js';
import { IngestPipeline } from '../services/ingest/pipeline.js';
import { emptySummary, type IngestSummary, type Reject } from '../services/ingest/read.js';
import { importSignatures } from '../services/org-signatures.js';
import { formatError, loadSignatureFiles } from '../signatures/load.js';
import { memberships, setServerAdmin, userByEmail } from '../store/accounts.js';
import { listNotifications, markRead } from '../store/notifications.js';
import type { Store } from '../store/store.js';
import { generateDemoDataset } from './dataset.js';

export const DEMO_ORG = 'demo';
export const DEMO_EMAIL = 'demo@warren.local';
/** Printed on every start: this is a local demo with made-up data, not an account to protect. */
export const DEMO_PASSWORD = 'warren-demo-password';

const SIGNATURES = fileURLToPath(new URL('../../samples/signatures/', import.meta.url));

export interface DemoCredentials {
  readonly email: string;
  readonly password: string;
  readonly org: string;
}

export interface DemoReport {
  /** False when the store already held the demo and nothing was done. */
  readonly prepared: boolean;
  readonly summary: IngestSummary;
  readonly rejects: readonly Reject[];
  readonly notifications: number;
}

const credentials: DemoCredentials = { email: DEMO_EMAIL, password: DEMO_PASSWORD, org: DEMO_ORG };

async function hasDemo(store: Store): Promise<boolean> {
  if (!(await userByEmail(store.db, DEMO_EMAIL))) return false;
  return (await memberships(store.db, DEMO_EMAIL)).some((m) => m.org === DEMO_ORG);
}

/** Every samples/signatures/*.yaml, in name order. */
async function importSamples(store: Store, now: string): Promise<void> {
  const files = readdirSync(SIGNATURES)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => `${SIGNATURES}${f}`);
  const { signatures, errors } = await loadSignatureFiles(files);
  // The samples are part of the build: an error here is a bug, not something to show a user.
  if (errors.length > 0) throw new Error(`demo signatures do not load: ${errors.map(formatError).join('; ')}`);
  await importSignatures(store, DEMO_ORG, signatures, { now });
}

/** Prepares the demo unless the store holds it already; the credentials either way. */
export async function prepareDemo(store: Store, opts: { now: string }): Promise<DemoCredentials> {
  await prepareDemoReport(store, opts);
  return credentials;
}

export async function prepareDemoReport(store: Store, opts: { now: string }): Promise<DemoReport & DemoCredentials> {
  if (await hasDemo(store)) {
    // A demo store made before server admins existed: its user becomes one.
    await setServerAdmin(store.db, DEMO_EMAIL, true);
    return { ...credentials, prepared: false, summary: emptySummary(), rejects: [], notifications: 0 };
  }
  await addOrg(store, DEMO_ORG, opts.now);
  // Signatures first: ingest then evaluates them on every batch, as in daily use.
  await importSamples(store, opts.now);
  const dataset = await generateDemoDataset();
  const rejects: Reject[] = [];
  // The operator's data, as `warren ingest` would take it: every organisation's signatures meet it.
  const pipeline = new IngestPipeline(store, {
    scope: EVERY_ORG,
    now: () => opts.now,
    onReject: (r) => {
      rejects.push(r);
    },
  });
  for (const d of dataset.inputs) {
    const input = { ...(await openInput('-', Readable.from([Buffer.from(d.text)]))), name: d.name };
    const format = formatByName(FORMATS, d.format);
    if (!format) throw new Error(`demo data set: unknown format ${d.format}`);
    await pipeline.ingest(input, format);
  }
  const summary = pipeline.summary;
  // An overview with both: the low-severity lure alerts count as already seen.
  const notes = await listNotifications(store.db, DEMO_ORG);
  const seen = notes.filter((n) => n.signature === 'phishing-lure-prefix').map((n) => n.id);
  if (seen.length > 0) await markRead(store.db, DEMO_ORG, seen, true);
  await addUser(store, { email: DEMO_EMAIL, org: DEMO_ORG, role: 'admin', password: DEMO_PASSWORD, serverAdmin: true, now: opts.now });
  return { ...credentials, prepared: true, summary, rejects, notifications: notes.length };
}

// The server half of `npm run bench:api`: `warren serve` in its own process, as it runs, on the
// store the benchmark prepared. Prints its port as JSON on stdout once it listens.
import { buildServer } from '../api/server.js';
import { compiledOrgs } from '../services/org-matcher.js';
import { Store } from '../store/store.js';

const url = process.argv[2];
if (!url) throw new Error('usage: api-server.js STORE_URL');
const store = await Store.open(url);
// As warren serve does: compile every organisation's signatures before the first request.
await compiledOrgs(store);
const app = await buildServer({ store });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => store.close()).then(() => process.exit(0));
});

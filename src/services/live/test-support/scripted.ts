// Fetchers for LiveLookups' tests that answer from a script and count their calls (the fetchers
// themselves are tested in src/live/ against local servers): a registrant email over RDAP, an A
// record to 198.51.100.7, a TLS reset, an IP's RDAP refused. `over` replaces any of them.
import type { LiveContext, LiveOutcome } from '../../../live/types.js';
import type { TlsTarget } from '../../../live/tls.js';
import { makeSignature } from '../../../signatures/make.js';
import type { Store } from '../../../store/store.js';
import { importSignatures } from '../../org-signatures.js';
import type { LiveFetchers } from '../live.js';

export interface Calls {
  registration: string[];
  dns: string[];
  tls: TlsTarget[][];
  ip: string[];
}

export function scripted(over: Partial<LiveFetchers> = {}): { fetchers: LiveFetchers; calls: Calls } {
  const calls: Calls = { registration: [], dns: [], tls: [], ip: [] };
  const fetchers: LiveFetchers = {
    registration: (ctx: LiveContext, domain: string): Promise<LiveOutcome> => {
      calls.registration.push(domain);
      return Promise.resolve({
        source: 'rdap',
        status: 'ok',
        records: [{ kind: 'whois', domain, fields: { 'whois.registrant.email': ['46313@qq.com'] }, observed: ctx.now, source: 'rdap' }],
      });
    },
    dns: (ctx, domain) => {
      calls.dns.push(domain);
      return Promise.resolve({ source: 'dns', status: 'ok', records: [{ kind: 'resolution', domain, rrtype: 'A', value: '198.51.100.7', observation: { source: 'dns', firstSeen: ctx.now, lastSeen: ctx.now } }] });
    },
    tls: (_ctx, targets) => {
      calls.tls.push([...targets]);
      return Promise.resolve({ source: 'tls', status: 'failed', detail: 'connection reset', records: [] });
    },
    ipRegistration: (_ctx, ip) => {
      calls.ip.push(ip);
      return Promise.resolve({ source: 'rdap-ip', status: 'refused', detail: `${ip} is a private address`, records: [] });
    },
    ...over,
  };
  return { fetchers, calls };
}

/** What organisation acme runs in these tests: a tag on the scripted registrant, an alert on a brand. */
export async function importLiveSignatures(store: Store, now: string): Promise<void> {
  await importSignatures(
    store,
    'acme',
    [
      makeSignature({ id: 'bad-registrant', field: 'whois.registrant.email', patterns: ['^46313@qq\\.com$'], actions: [{ tag: 'Malicious_Registrant' }] }),
      makeSignature({ id: 'brand', field: 'domain', patterns: ['acmebrand'], actions: [{ alert: { severity: 'high' } }] }),
    ],
    { now },
  );
}

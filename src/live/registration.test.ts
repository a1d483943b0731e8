// RDAP for a TLD the bootstrap covers, port-43 WHOIS (through its referral chain) for one it
// does not: both against real local servers answering with real replies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhoisRecord } from '../ingest/records.js';
import { RdapBootstrap } from './bootstrap.js';
import { fetchDomainRegistration } from './registration.js';
import { icannReply, likexianReply, startRealRdapServer, startWhoisChain, testContext, type WhoisChain } from './test-support/real-replies.js';
import type { RdapTestServer } from './test-support/rdap-server.js';

const haveData = icannReply('lemonde.fr') !== undefined && likexianReply('com_git.com') !== undefined;

describe.skipIf(!haveData)('fetchDomainRegistration', () => {
  let rdap: RdapTestServer;
  let chain: WhoisChain;
  let bootstrap: RdapBootstrap;
  beforeAll(async () => {
    rdap = (await startRealRdapServer())!;
    chain = (await startWhoisChain())!;
    // The test server's dns.json covers .fr, .click and .moscow: .com has no RDAP here.
    bootstrap = new RdapBootstrap({ source: { kind: 'url', base: rdap.bootstrapBase } });
  });
  afterAll(async () => {
    await rdap.close();
    await chain.close();
  });
  const whois = (): { server: WhoisChain['first']; options: { resolveServer: WhoisChain['resolveServer'] } } => ({ server: chain.first, options: { resolveServer: chain.resolveServer } });

  it('asks RDAP for a TLD the bootstrap covers, and WHOIS nothing', async () => {
    const out = await fetchDomainRegistration(testContext(), 'lemonde.fr', bootstrap, whois());
    expect(out).toMatchObject({ source: 'rdap', status: 'ok' });
    expect(chain.iana.connections()).toBe(0);
  });

  it('asks WHOIS, through IANA, the registry and the registrar, for a TLD without RDAP', async () => {
    const out = await fetchDomainRegistration(testContext(), 'git.com', bootstrap, whois());
    expect(out).toMatchObject({ source: 'whois', status: 'ok' });
    expect((out.records[0] as WhoisRecord).fields['whois.registrant.name']).toEqual(['PRIVACYDOTLINK CUSTOMER 1078347']);
    expect([chain.iana, chain.registry, chain.registrar].map((s) => s.queries)).toEqual([['git.com'], ['git.com'], ['git.com']]);
    expect(rdap.requests.filter((q) => q.kind === 'domain' && q.path.includes('git.com'))).toHaveLength(0);
  });

  it('a failing RDAP server is reported as such, not replaced by WHOIS', async () => {
    const out = await fetchDomainRegistration(testContext(), 'nosuch.fr', bootstrap, whois());
    expect(out).toMatchObject({ source: 'rdap', status: 'failed', detail: expect.stringMatching(/^no such domain at 127\.0\.0\.1:\d+$/) as unknown });
  });
});

// Which source answers for a domain's registration (live.md): RDAP where the bootstrap names a
// server for its TLD, port-43 WHOIS where it names none. A failing RDAP server is not a reason to
// ask WHOIS instead: the outcome says what RDAP did.
import type { RdapBootstrap } from './bootstrap.js';
import { fetchDomainRdap } from './rdap.js';
import type { LiveContext, LiveOutcome } from './types.js';
import { fetchDomainWhois, type WhoisOptions, type WhoisServer } from './whois43.js';

export interface WhoisFallback {
  /** WARREN_WHOIS_SERVER (parseWhoisServer). */
  readonly server: WhoisServer;
  readonly options?: WhoisOptions;
}

/** Source `rdap` or, for a TLD without RDAP, source `whois`. Never throws. */
export async function fetchDomainRegistration(ctx: LiveContext, domain: string, bootstrap: RdapBootstrap, whois: WhoisFallback): Promise<LiveOutcome> {
  let server: string | undefined;
  try {
    server = await bootstrap.domainServer(ctx, domain);
  } catch {
    server = undefined;
  }
  if (server === undefined) return fetchDomainWhois(ctx, domain, whois.server, whois.options);
  return fetchDomainRdap(ctx, domain, bootstrap);
}

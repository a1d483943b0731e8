// The live look-ups of a process, wired to the real fetchers (src/live/) with its settings.
import { RdapBootstrap, parseBootstrapSource } from '../../live/bootstrap.js';
import { fetchDns } from '../../live/dns.js';
import { fetchIpRdap } from '../../live/rdap.js';
import { fetchDomainRegistration } from '../../live/registration.js';
import { grabCertificates } from '../../live/tls.js';
import { parseWhoisServer, type WhoisOptions } from '../../live/whois43.js';
import { LiveLookups, type LiveFetchers } from './live.js';
import { SettingError, type LiveSettings } from './settings.js';

export interface WiringOptions {
  /** Maps a WHOIS referral host to where it is reached (tests: local servers); default port 43. */
  readonly whois?: WhoisOptions;
}

export function liveFetchers(settings: LiveSettings, opts: WiringOptions = {}): LiveFetchers {
  const source = parseBootstrapSource(settings.bootstrap);
  if (!source.ok) throw new SettingError(`WARREN_RDAP_BOOTSTRAP: ${source.error}`);
  const whoisServer = parseWhoisServer(settings.whoisServer);
  if (!whoisServer.ok) throw new SettingError(`WARREN_WHOIS_SERVER: ${whoisServer.error}`);
  const bootstrap = new RdapBootstrap({ source: source.value });
  const whois = { server: whoisServer.value, ...(opts.whois ? { options: opts.whois } : {}) };
  return {
    registration: (ctx, domain) => fetchDomainRegistration(ctx, domain, bootstrap, whois),
    dns: (ctx, domain) => fetchDns(ctx, domain, settings.dnsServers),
    tls: (ctx, targets) => grabCertificates(ctx, targets),
    ipRegistration: (ctx, ip) => fetchIpRdap(ctx, ip, bootstrap),
  };
}

/** A SettingError names the variable that is wrong. */
export function createLiveLookups(settings: LiveSettings, opts: WiringOptions = {}): LiveLookups {
  return new LiveLookups(settings, liveFetchers(settings, opts));
}

// Every input format `warren ingest` knows (cli.md). Detection asks each format how sure it is
// of an input's first bytes and takes the surest.
import { certstreamFormat } from './parsers/certstream.js';
import { ipLocationDbFormat } from './parsers/as-range/ip-location-db.js';
import { iptoasnFormat } from './parsers/as-range/iptoasn.js';
import { mmdbFormat } from './parsers/as-range/mmdb.js';
import { cofFormat, dnsdbFormat } from './parsers/pdns.js';
import { pfx2asFormat } from './parsers/as-range/pfx2as.js';
import { rdapFormat } from './parsers/rdap/rdap.js';
import { warrenFormat } from './parsers/warren-jsonl.js';
import { whoisFormat } from './parsers/whois/whois.js';
import { derFormat, pemFormat } from './parsers/x509/x509.js';
import { zeekFormat } from './parsers/zeek.js';
import type { Format } from './records.js';

export const FORMATS: readonly Format[] = [
  pemFormat,
  derFormat,
  whoisFormat,
  rdapFormat,
  cofFormat,
  dnsdbFormat,
  certstreamFormat,
  zeekFormat,
  mmdbFormat,
  iptoasnFormat,
  ipLocationDbFormat,
  pfx2asFormat,
  warrenFormat,
];

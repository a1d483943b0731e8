// A real DNS server on 127.0.0.1 (UDP, port 0) for the live look-up tests: dns2 encodes and
// decodes every message, so no test depends on a wire format written here. It answers A, AAAA,
// CNAME, NS and MX from a zone map, follows CNAMEs inside the zone as a recursive resolver would,
// says NXDOMAIN for names the zone lacks and NODATA for types a name lacks, and can misbehave
// per name (never answer, answer garbage, SERVFAIL) or answer late (to observe concurrency).
import dns2 from 'dns2';

const { Packet } = dns2;

export interface MxAnswer {
  readonly exchange: string;
  readonly priority?: number;
}

export interface ZoneEntry {
  readonly A?: readonly string[];
  readonly AAAA?: readonly string[];
  readonly CNAME?: readonly string[];
  readonly NS?: readonly string[];
  readonly MX?: readonly (MxAnswer | string)[];
}

/** Name (any case, no trailing dot) → its records. */
export type Zone = Readonly<Record<string, ZoneEntry>>;

export interface DnsServerOptions {
  /** Names whose queries are never answered. */
  readonly hang?: readonly string[];
  /** Names whose queries are answered with bytes that are not a DNS message. */
  readonly garbage?: readonly string[];
  /** Names answered with SERVFAIL. */
  readonly servfail?: readonly string[];
  /** Name → the types (A, MX, …) answered with SERVFAIL for it; other types answer normally. */
  readonly servfailTypes?: Readonly<Record<string, readonly string[]>>;
  /** Every answer is sent this late (ms). */
  readonly delayMs?: number;
}

export interface DnsQuery {
  readonly name: string;
  /** A, AAAA, CNAME, NS, MX, or the type number as text. */
  readonly type: string;
}

export interface TestDnsServer {
  /** host:port, as WARREN_DNS_SERVERS takes it. */
  readonly server: string;
  readonly port: number;
  /** Every query received, in order. */
  readonly queries: DnsQuery[];
  /** Queries received and not yet answered (or never to be: hang). */
  readonly outstanding: number;
  /** The most queries outstanding at once. */
  readonly peak: number;
  close(): Promise<void>;
}

type Resource = Partial<dns2.Packet.Resource>;

const plain = (name: string): string => name.toLowerCase().replace(/\.+$/, '');

function answersFor(zone: Zone, name: string, type: number): { exists: boolean; answers: Resource[] } {
  const answers: Resource[] = [];
  const base = { class: Packet.CLASS.IN, ttl: 300 };
  let current = plain(name);
  const seen = new Set<string>();
  // A CNAME stands for the whole name (RFC 1034 §3.6.2): a query for another type gets the CNAME
  // and the records of its target, as far as the zone knows them.
  for (let hop = 0; hop < 8 && !seen.has(current); hop++) {
    seen.add(current);
    const entry = zone[current] ?? Object.entries(zone).find(([k]) => plain(k) === current)?.[1];
    if (!entry) return { exists: hop > 0, answers };
    const cname = entry.CNAME?.[0];
    if (cname !== undefined && type !== Packet.TYPE.CNAME) {
      answers.push({ ...base, name: current, type: Packet.TYPE.CNAME, domain: cname });
      current = plain(cname);
      continue;
    }
    const n = current;
    switch (type) {
      case Packet.TYPE.A:
        for (const address of entry.A ?? []) answers.push({ ...base, name: n, type, address });
        break;
      case Packet.TYPE.AAAA:
        for (const address of entry.AAAA ?? []) answers.push({ ...base, name: n, type, address });
        break;
      case Packet.TYPE.CNAME:
        for (const domain of entry.CNAME ?? []) answers.push({ ...base, name: n, type, domain });
        break;
      case Packet.TYPE.NS:
        for (const ns of entry.NS ?? []) answers.push({ ...base, name: n, type, ns });
        break;
      case Packet.TYPE.MX:
        for (const mx of entry.MX ?? []) {
          const m = typeof mx === 'string' ? { exchange: mx } : mx;
          answers.push({ ...base, name: n, type, exchange: m.exchange, priority: m.priority ?? 10 });
        }
        break;
      default:
        break;
    }
    return { exists: true, answers };
  }
  return { exists: true, answers };
}

/** Starts a DNS server on 127.0.0.1 answering from `zone`. */
export async function startDnsServer(zone: Zone, options: DnsServerOptions = {}): Promise<TestDnsServer> {
  const hang = new Set((options.hang ?? []).map(plain));
  const garbage = new Set((options.garbage ?? []).map(plain));
  const servfail = new Set((options.servfail ?? []).map(plain));
  const queries: DnsQuery[] = [];
  let outstanding = 0;
  let peak = 0;
  const timers = new Set<NodeJS.Timeout>();

  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const question = request.questions[0];
      if (!question) return;
      const name = plain(question.name);
      queries.push({ name, type: Packet.TYPE_NAME[question.type] ?? String(question.type) });
      outstanding++;
      peak = Math.max(peak, outstanding);
      if (hang.has(name)) return;
      const reply = (): void => {
        outstanding--;
        if (garbage.has(name)) {
          void send(Buffer.from('this is not a DNS message at all\n')).catch(() => undefined);
          return;
        }
        const response = Packet.createResponseFromRequest(request);
        response.header.ra = 1;
        const type = Packet.TYPE_NAME[question.type] ?? String(question.type);
        const failTypes = Object.entries(options.servfailTypes ?? {}).find(([k]) => plain(k) === name)?.[1] ?? [];
        if (servfail.has(name) || failTypes.includes(type)) response.header.rcode = Packet.RCODE.SERVFAIL;
        else {
          const { exists, answers } = answersFor(zone, name, question.type);
          if (!exists) response.header.rcode = Packet.RCODE.NXDOMAIN;
          // dns2 fills in each record's encoder from its type; the partial shape is what it reads.
          response.answers.push(...(answers as dns2.Packet.Resource[]));
        }
        void send(response).catch(() => undefined);
      };
      if (options.delayMs === undefined) reply();
      else {
        const t = setTimeout(() => {
          timers.delete(t);
          reply();
        }, options.delayMs);
        timers.add(t);
      }
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = addresses.udp?.port;
  if (port === undefined) throw new Error('the DNS test server did not bind a UDP port');
  return {
    server: `127.0.0.1:${port}`,
    port,
    queries,
    get outstanding() {
      return outstanding;
    },
    get peak() {
      return peak;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      await server.close();
    },
  };
}

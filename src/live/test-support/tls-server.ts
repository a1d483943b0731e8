// A real TLS server on 127.0.0.1 (port 0) for the live look-up tests: node:tls presenting a leaf
// made in the test with @peculiar/x509 and signed by a CA made alongside it, the chain sent after
// the leaf; a different leaf per SNI name when asked; or a misbehaving peer (accepts TCP and then
// never handshakes, resets, or writes bytes that are not TLS).
import { createHash, webcrypto } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { x509 } from '../../ingest/x509-runtime.js';

export interface LeafSpec {
  /** Subject CN. */
  readonly commonName: string;
  /** SAN DNS names (default: the CN). */
  readonly dnsNames?: readonly string[];
  /** SAN IP addresses. */
  readonly ipAddresses?: readonly string[];
}

export type Misbehaviour = 'hang' | 'reset' | 'garbage';

export interface TlsServerOptions {
  /** The leaf presented without SNI or for an SNI name not in `sni` (default CN www.lanxess-lab.com). */
  readonly leaf?: LeafSpec;
  /** SNI name → the leaf presented for it (signed by the same CA). */
  readonly sni?: Readonly<Record<string, LeafSpec>>;
  /** Subject CN of the CA (default "Warren Test CA"). */
  readonly caName?: string;
  /** Send the CA after the leaf (default true). */
  readonly sendChain?: boolean;
  /** Instead of TLS: accept and never answer, reset the connection, or write non-TLS bytes. */
  readonly misbehave?: Misbehaviour;
  /** Hold each connection this long before the handshake (to observe concurrency). */
  readonly delayMs?: number;
  /** Speak only this TLS version (an old server: 'TLSv1'). */
  readonly version?: tls.SecureVersion;
}

export interface TestTlsServer {
  readonly port: number;
  /** SHA-256 (lower-case hex) of the default leaf's DER. */
  readonly leafSha256: string;
  /** SNI name → SHA-256 of the leaf presented for it. */
  readonly sniSha256: Readonly<Record<string, string>>;
  readonly caSha256: string;
  /** The CA certificate as PEM (for a client that would trust it). */
  readonly caPem: string;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /**
   * The most connections held before their handshake at once (with `delayMs`). Counted there
   * rather than until a socket closes: a client's close reaches the server a moment after the
   * client has moved on, which would make sequential connections look concurrent.
   */
  readonly peak: number;
  /** SNI names the handshakes asked for, in order (a handshake without SNI adds none). */
  readonly servernames: string[];
  close(): Promise<void>;
}

const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
// Fixed validity: nothing verifies these certificates, and the tests never read the clock.
const NOT_BEFORE = new Date('2026-01-01T00:00:00Z');
const NOT_AFTER = new Date('2027-01-01T00:00:00Z');

interface Made {
  readonly pem: string;
  readonly sha256: string;
}

function sha256(der: ArrayBuffer): string {
  return createHash('sha256').update(new Uint8Array(der)).digest('hex');
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
}

async function makeCa(name: string): Promise<Made & { readonly keys: webcrypto.CryptoKeyPair; readonly subject: string }> {
  const keys = await webcrypto.subtle.generateKey(KEY, true, ['sign', 'verify']);
  const subject = `CN=${name}, O=Warren Tests`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '01',
      name: subject,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      signingAlgorithm: SIGNING,
      keys,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
    },
    webcrypto,
  );
  return { pem: cert.toString('pem'), sha256: sha256(cert.rawData), keys, subject };
}

async function makeLeaf(spec: LeafSpec, ca: Awaited<ReturnType<typeof makeCa>>, serial: number): Promise<Made & { readonly key: string }> {
  const keys = await webcrypto.subtle.generateKey(KEY, true, ['sign', 'verify']);
  const names = [...(spec.dnsNames ?? [spec.commonName]).map((value) => ({ type: 'dns' as const, value })), ...(spec.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value }))];
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: (0x1000 + serial).toString(16),
      subject: `CN=${spec.commonName}`,
      issuer: ca.subject,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      signingAlgorithm: SIGNING,
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      extensions: names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : [],
    },
    webcrypto,
  );
  return { pem: cert.toString('pem'), sha256: sha256(cert.rawData), key: await privateKeyPem(keys.privateKey) };
}

/** Starts a TLS server on 127.0.0.1 presenting generated certificates (or misbehaving). */
export async function startTlsServer(options: TlsServerOptions = {}): Promise<TestTlsServer> {
  const ca = await makeCa(options.caName ?? 'Warren Test CA');
  const chain = (leaf: Made): string => (options.sendChain === false ? leaf.pem : `${leaf.pem}\n${ca.pem}`);
  const leaf = await makeLeaf(options.leaf ?? { commonName: 'www.lanxess-lab.com' }, ca, 0);
  const contexts = new Map<string, tls.SecureContext>();
  const sniSha256: Record<string, string> = {};
  let serial = 1;
  for (const [name, spec] of Object.entries(options.sni ?? {})) {
    const made = await makeLeaf(spec, ca, serial++);
    contexts.set(name.toLowerCase(), tls.createSecureContext({ key: made.key, cert: chain(made) }));
    sniSha256[name.toLowerCase()] = made.sha256;
  }
  const servernames: string[] = [];
  const tlsServer = tls.createServer({
    key: leaf.key,
    cert: chain(leaf),
    // OpenSSL 3 allows TLS 1.0 and 1.1 only at security level 0.
    ...(options.version !== undefined && { minVersion: options.version, maxVersion: options.version, ciphers: 'DEFAULT:@SECLEVEL=0' }),
    // Called with the ClientHello: the client may close right after reading the certificates,
    // before the server would see the handshake finish.
    SNICallback: (name, cb) => {
      servernames.push(name);
      cb(null, contexts.get(name.toLowerCase()));
    },
  });
  tlsServer.on('secureConnection', (s) => {
    s.on('error', () => undefined);
    s.end();
  });
  tlsServer.on('tlsClientError', () => undefined);

  let connections = 0;
  let held = 0;
  let peak = 0;
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    const start = (): void => {
      switch (options.misbehave) {
        case 'hang':
          return;
        case 'reset':
          socket.resetAndDestroy();
          return;
        case 'garbage':
          socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
          return;
        case undefined:
          // The TLS server takes over the accepted socket as if it had accepted it itself.
          tlsServer.emit('connection', socket);
          return;
      }
    };
    if (options.delayMs === undefined) start();
    else {
      held++;
      peak = Math.max(peak, held);
      const t = setTimeout(() => {
        timers.delete(t);
        held--;
        if (!socket.destroyed) start();
      }, options.delayMs);
      timers.add(t);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    leafSha256: leaf.sha256,
    sniSha256,
    caSha256: ca.sha256,
    caPem: ca.pem,
    get connections() {
      return connections;
    },
    get peak() {
      return peak;
    },
    servernames,
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

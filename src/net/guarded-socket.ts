// Outbound TCP through the same SSRF guard as guarded-http.ts, for what is not HTTP: WHOIS on
// port 43 and TLS certificate grabs. A literal address is checked before anything is sent; a
// name is checked by the guarded lookup at connect time (every address it resolves to); and the
// address actually connected to is checked again once connected.
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { blockedName, GuardRefusedError, guardedLookup, OutboundError, refusedAddress, type GuardOptions } from './guarded-http.js';

export interface SocketRequest {
  readonly host: string;
  readonly port: number;
  readonly guard: GuardOptions;
  /** Until connected. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Why the guard refuses host:port before any lookup (a literal address or a blocked name), or undefined. */
export function refusedHost(host: string, opts: GuardOptions): string | undefined {
  if (opts.allowPrivate === true) return undefined;
  const literal = host.replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.isValid(literal)) return refusedAddress(literal, opts);
  return blockedName(host);
}

/**
 * A connected TCP socket to host:port, or an OutboundError (GuardRefusedError when the guard
 * refused the target: then nothing was connected to).
 */
export function guardedConnect(req: SocketRequest): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const why = refusedHost(req.host, req.guard);
    if (why !== undefined) {
      reject(new GuardRefusedError(`refused: ${why}`));
      return;
    }
    const literal = req.host.replace(/^\[(.*)\]$/, '$1');
    const socket = net.connect({ host: literal, port: req.port, lookup: guardedLookup(req.guard) });
    let settled = false;
    const settle = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      if (error) {
        socket.destroy();
        reject(error);
      } else resolve(socket);
    };
    const onError = (e: Error): void => {
      if (e instanceof OutboundError) settle(e);
      else if ((e as { cause?: unknown }).cause instanceof GuardRefusedError) settle((e as { cause: GuardRefusedError }).cause);
      else {
        const code = (e as { code?: unknown }).code;
        settle(new OutboundError('unreachable', typeof code === 'string' && !e.message.includes(code) ? `${code}: ${e.message}` : e.message));
      }
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      const remote = socket.remoteAddress;
      const bad = remote === undefined ? 'no remote address' : refusedAddress(remote, req.guard);
      settle(bad === undefined ? undefined : new GuardRefusedError(`refused: connected to ${bad}`));
    });
    const timer = setTimeout(() => settle(new OutboundError('timeout', `no connection within ${req.timeoutMs} ms`)), req.timeoutMs);
    const onAbort = (): void => settle(new OutboundError('interrupted', 'interrupted'));
    if (req.signal?.aborted) onAbort();
    else req.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// An SMTP server for tests (smtp-server on 127.0.0.1, a port the system picks, no TLS, no
// authentication) that keeps every message it accepts, and can refuse the ones a test says.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly to: string[];
  readonly raw: string;
  readonly subject: string;
  readonly headers: Map<string, string>;
  /** The body, with quoted-printable soft line breaks and escapes undone. */
  readonly text: string;
}

export interface SmtpSink {
  readonly url: string;
  readonly messages: ReceivedMail[];
  /** Return an error message to refuse the n-th message (from 0, counted since reset) with a 4xx reply. */
  refuse: (n: number) => string | undefined;
  /** Forgets the messages, restarts the count and accepts everything again. */
  reset(): void;
  close(): Promise<void>;
}

function parse(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' '); // unfold
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  let text = raw.slice(split + 4);
  if (headers.get('content-transfer-encoding') === 'quoted-printable') {
    text = text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
  return { to, raw, subject: headers.get('subject') ?? '', headers, text: text.replace(/\r\n/g, '\n') };
}

export async function startSmtp(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  let seen = 0;
  const sink: SmtpSink = {
    url: '',
    messages,
    refuse: () => undefined,
    reset: () => {
      messages.length = 0;
      seen = 0;
      sink.refuse = () => undefined;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refusal = sink.refuse(seen++);
        if (refusal !== undefined) {
          callback(Object.assign(new Error(refusal), { responseCode: 451 }));
          return;
        }
        messages.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((a) => a.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(sink, { url: `smtp://127.0.0.1:${port}` });
}

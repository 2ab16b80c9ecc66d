import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface CapturedMail {
  to: string[];
  subject: string;
  /** The decoded bodies of every part (text and HTML). */
  body: string;
  raw: string;
}

/** Decodes each MIME part's body (base64 or quoted-printable), enough to read what a person reads. */
function decodeBodies(raw: string): string {
  return raw
    .split(/\r?\n--[^\r\n]+/)
    .map((part) => {
      const [head, ...rest] = part.split(/\r?\n\r?\n/);
      const body = rest.join('\n\n');
      const cte = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
      if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
      if (cte === 'quoted-printable') {
        const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
        return Buffer.from(bytes, 'latin1').toString('utf8');
      }
      return body;
    })
    .join('\n');
}

/** Decodes RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=) in a header. */
function decodeHeader(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

export interface SmtpSinkOptions {
  /**
   * Answers each accepted message only this long after its data arrived, as a slow server does.
   * The message counts as received at once: a client that dies meanwhile never hears the 250.
   */
  replyDelayMs?: number;
  /** Called with each accepted message as it arrives (before the delayed answer). */
  onMessage?: (mail: CapturedMail) => void;
}

/**
 * A real SMTP server in the test process. Addresses containing "invalid" are refused with 550
 * (permanent); `failNext(n)` answers the next n messages with 451 (transient).
 */
export class SmtpSink {
  readonly messages: CapturedMail[] = [];
  private transientFailures = 0;
  private server!: SMTPServer;
  port = 0;

  constructor(private readonly options: SmtpSinkOptions = {}) {}

  async start(): Promise<void> {
    const options: SMTPServerOptions = {
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (address.address.includes('invalid')) {
          const err = new Error('5.1.1 mailbox unavailable') as Error & { responseCode: number };
          err.responseCode = 550;
          return callback(err);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.transientFailures > 0) {
            this.transientFailures -= 1;
            const err = new Error('4.3.0 try again later') as Error & { responseCode: number };
            err.responseCode = 451;
            return callback(err);
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const unfolded = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
          const subject = /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
          const mail: CapturedMail = {
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: decodeHeader(subject),
            body: decodeBodies(raw),
            raw,
          };
          this.messages.push(mail);
          this.options.onMessage?.(mail);
          if (this.options.replyDelayMs) setTimeout(() => callback(), this.options.replyDelayMs);
          else callback();
        });
      },
    };
    this.server = new SMTPServer(options);
    // A client killed mid-connection (the resilience tests SIGKILL a worker holding pooled SMTP
    // connections) resets its socket: smtp-server reports that as an 'error' event, which must not
    // take the test process down with it.
    this.server.on('error', () => {});
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as { port: number }).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  failNext(n: number): void {
    this.transientFailures = n;
  }

  to(address: string): CapturedMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls until the condition holds or the time is up. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

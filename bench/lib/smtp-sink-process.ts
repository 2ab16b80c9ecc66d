/**
 * The benchmark's SMTP sink, run as a child process (bench/lib/smtp-sink.ts starts it) so that
 * receiving mail does not share an event loop, or a core's time accounting, with the sender.
 * It accepts every message on a loopback port and only counts: connections, messages, bytes,
 * and when the first and the last message arrived.
 *
 * smtp-server holds its greeting back 100 ms on every connection (to catch clients that talk
 * too soon). Real relays greet at once (Postfix without postscreen, Mailpit), so the sink's first
 * argument sets the pause instead: 0 by default here, 100 to keep smtp-server's own behaviour.
 */
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import type { SinkReply, SinkRequest, SinkStats } from './smtp-sink.js';

const greetingDelayMs = Number(process.argv[2] ?? 0);
if (greetingDelayMs !== 100) {
  SMTPConnection.prototype.init = function (this: SMTPConnection): void {
    this._setListeners(() => {
      if (greetingDelayMs > 0) setTimeout(() => this.connectionReady(), greetingDelayMs).unref();
      else this.connectionReady();
    });
  };
}

const stats: SinkStats = { connections: 0, messages: 0, bytes: 0, firstAt: null, lastAt: null, cpuMs: 0 };

const send = (reply: SinkReply): void => {
  process.send?.(reply);
};

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  // No DNS lookup of the client per connection: the sink should cost as little as possible.
  disableReverseLookup: true,
  onConnect: (_session, callback) => {
    stats.connections += 1;
    callback();
  },
  onData: (stream, _session, callback) => {
    stream.on('data', (chunk: Buffer) => {
      stats.bytes += chunk.length;
    });
    stream.on('end', () => {
      const now = Date.now();
      stats.messages += 1;
      stats.firstAt ??= now;
      stats.lastAt = now;
      callback();
    });
  },
});

process.on('message', (m: SinkRequest) => {
  if (m.type === 'stats') {
    const cpu = process.cpuUsage();
    send({ type: 'stats', stats: { ...stats, cpuMs: (cpu.user + cpu.system) / 1000 } });
  } else {
    server.close(() => process.exit(0));
  }
});

server.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', port: (server.server.address() as { port: number }).port });
});

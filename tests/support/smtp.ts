/**
 * SMTP on loopback for the mail tests (#5): a real SMTP server (smtp-server) whose messages are
 * parsed with mailparser, which can refuse recipients on demand, stop and start again on the
 * same port; and a "black hole" that accepts connections and never answers.
 */
import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './process';

export interface ReceivedMail {
  /** The envelope as the server saw it (RCPT TO addresses). */
  recipients: string[];
  parsed: ParsedMail;
}

export interface TestSmtp {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Answer RCPT TO with this SMTP error (e.g. 451 or 550) until set back to null. */
  refuse: { code: number; message: string } | null;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSmtp(port?: number): Promise<TestSmtp> {
  const p = port ?? (await freePort());
  let server: SMTPServer | null = null;
  const smtp: TestSmtp = {
    port: p,
    url: `smtp://127.0.0.1:${p}`,
    received: [],
    refuse: null,
    start: async () => {
      server = new SMTPServer({
        authOptional: true,
        // Plain SMTP on loopback: its built-in certificate would fail nodemailer's verification.
        disabledCommands: ['STARTTLS'],
        logger: false,
        onRcptTo(_address, _session, callback) {
          if (!smtp.refuse) return callback();
          const err = new Error(smtp.refuse.message) as Error & { responseCode: number };
          err.responseCode = smtp.refuse.code;
          callback(err);
        },
        onData(stream, session, callback) {
          // Copied now: the session's envelope is reset once the callback runs (STACK-NOTES).
          const recipients = session.envelope.rcptTo.map((a) => a.address);
          simpleParser(stream).then(
            (parsed) => {
              smtp.received.push({ recipients, parsed });
              callback();
            },
            (err: Error) => callback(err),
          );
        },
      });
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(p, '127.0.0.1', () => resolve());
      });
    },
    stop: async () => {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await smtp.start();
  return smtp;
}

/** A server that accepts connections and never says a word: an SMTP server hung mid-send. */
export async function startBlackHole(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    connections: () => count,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * W1 leak proof, shared by tests/integration/whisper.test.ts (one node, PGlite or PostgreSQL) and
 * tests/integration/multinode/whisper.test.ts (two nodes behind Redis): random sequences of
 * visitor messages, operator messages, whispers (by a monitoring supervisor, a monitoring admin,
 * the assigned operator), whisper typing, transfers with notes, take-overs, visitor reconnects
 * with `chat:sync`, reloads (a new socket: `session:started`), a file over REST, and at the end
 * the transcript mail. A raw visitor socket records every frame it receives (engine.io packets:
 * every broadcast and every ack), and every REST response the visitor gets is recorded; the
 * transcript mail is read from the outbox. Internal chats between operators run beside (W2, W3):
 * messages between two of the staff, and Respond on a whisper (its quote, a link back to the chat,
 * then a message each way). None may carry a whisper's (or a transfer note's, or an internal chat
 * message's) text or clientId, an internal chat's id, any operator's id, or the name of an operator the visitor was never shown;
 * the visitor's own sequence numbers 1..n without a gap.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { expect } from 'vitest';
import { VISITOR_NAMESPACE, type VisitorSession } from '../../shared/events';
import type { OutboxPage } from '../../shared/schemas/mail';
import { ok } from './ack';
import { upload, PNG } from './files';
import { api, newClientId, type OperatorClient, type VisitorClient } from './server';

export interface Staff {
  id: string;
  name: string;
  socket: OperatorClient;
}

export interface WhisperEnv {
  accountId: string;
  /** Where visitors connect: each new visitor socket takes the next (two nodes: alternately). */
  visitorUrls: string[];
  /** An admin's token and a node's URL, to read the mail outbox. */
  adminToken: string;
  restUrl: string;
  /** Otto (operator, no right to monitor), Sue (supervisor), Olivia (admin). */
  otto: Staff;
  sue: Staff;
  olivia: Staff;
  /** Sockets the scenario opened, for the caller to close. */
  opened: VisitorClient[];
}

type Step =
  | { kind: 'visitor' | 'operator' | 'typing' | 'transfer' | 'takeOver' | 'reload' | 'file' }
  | { kind: 'whisper'; by: 'sue' | 'olivia' | 'assignee' }
  /** W3: a message between two of the staff (from, to: indexes into otto, sue, olivia); W2: Respond on the latest whisper. */
  | { kind: 'teamchat'; from: number; to: number }
  | { kind: 'respond' }
  | { kind: 'reconnect'; from: number };

export const whisperSteps = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<Step>({ kind: 'visitor' }, { kind: 'operator' }) },
    { weight: 4, arbitrary: fc.constantFrom<'sue' | 'olivia' | 'assignee'>('sue', 'olivia', 'assignee').map((by): Step => ({ kind: 'whisper', by })) },
    { weight: 1, arbitrary: fc.constantFrom<Step>({ kind: 'typing' }, { kind: 'transfer' }, { kind: 'takeOver' }, { kind: 'reload' }, { kind: 'file' }) },
    { weight: 1, arbitrary: fc.nat({ max: 8 }).map((from): Step => ({ kind: 'reconnect', from })) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 1 })).map(([from, d]): Step => ({ kind: 'teamchat', from, to: (from + 1 + d) % 3 })),
        fc.constant<Step>({ kind: 'respond' }),
      ),
    },
  ),
  { minLength: 6, maxLength: 16 },
);

/** A widget socket whose every received frame is recorded; resolves with its session. */
function connectVisitor(env: WhisperEnv, url: string, frames: string[], token?: string): Promise<{ socket: VisitorClient; session: VisitorSession }> {
  const socket: VisitorClient = io(`${url}${VISITOR_NAMESPACE}`, {
    auth: token ? { accountId: env.accountId, visitorToken: token } : { accountId: env.accountId },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  env.opened.push(socket);
  // Every engine.io packet: broadcasts, acks, session:started — before Socket.IO decodes them.
  socket.io.on('open', () => {
    socket.io.engine.on('packet', (packet: { data?: unknown }) =>
      frames.push(typeof packet.data === 'string' ? packet.data : JSON.stringify(packet.data ?? '')),
    );
  });
  return new Promise((resolve, reject) => {
    socket.once('session:started', (session) => resolve({ socket, session }));
    socket.once('connect_error', reject);
  });
}

/** One random run: a chat from start to transcript. */
export async function runWhisperScenario(env: WhisperEnv, steps: Step[]): Promise<void> {
  const { otto, sue, olivia } = env;
  const staff = [otto, sue, olivia];
  const frames: string[] = [];
  const live: [string, number][] = [];
  let nextNode = 0;
  const visitorUrl = () => env.visitorUrls[nextNode++ % env.visitorUrls.length]!;
  const email = `vera-${randomUUID().slice(0, 8)}@example.com`;

  let visitor = await connectVisitor(env, visitorUrl(), frames);
  const token = visitor.session.visitorToken;
  const follow = (v: typeof visitor) => v.socket.on('message:sent', (m) => live.push([m.body, m.seq]));
  follow(visitor);
  const started = ok(
    await visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email, question: 'public question' }),
    'chat:start',
  );
  const conversationId = started.conversation.id;
  ok(await otto.socket.emitWithAck('chat:accept', { conversationId }), 'chat:accept');
  // Sue and Olivia monitor it (W4), so every whisper reaches them live too.
  ok(await sue.socket.emitWithAck('chat:watch', { conversationId }), 'sue watches');
  ok(await olivia.socket.emitWithAck('chat:watch', { conversationId }), 'olivia watches');

  try {
    await steps_(conversationId);
  } finally {
    // A failing run (and fast-check's shrinking) leaves no chat open to hold anyone's limit.
    await olivia.socket.emitWithAck('chat:close', { conversationId });
  }
  async function steps_(conversationId: string) {
    let assignee = otto;
    /** Names the visitor is shown: whoever joined, took over, was transferred to, or wrote to them. */
    const shownNames = new Set([otto.name]);
    const expected = ['public question'];
    /** Whispers and transfer notes: operators only. */
    const secrets: { body: string; clientId: string; author: Staff; seq?: number }[] = [];
    /** W2, W3: internal chats the run used (their ids must never reach the visitor either). */
    const teamChatIds = new Set<string>();
    /** A message in an internal chat, resent once (idempotent: the same seq), kept as a secret. */
    const teamSay = async (from: Staff, teamChatId: string, text: string) => {
      const clientId = newClientId();
      const sent = ok(await from.socket.emitWithAck('teamchat:send', { teamChatId, clientId, body: text }), `teamchat:send by ${from.name}`);
      expect(ok(await from.socket.emitWithAck('teamchat:send', { teamChatId, clientId, body: text }), 'teamchat resend').seq).toBe(sent.seq);
      secrets.push({ body: text, clientId, author: from });
    };
    let n = 0;

    for (const s of steps) {
      const body = `${s.kind}-${++n}-${randomUUID().slice(0, 8)}`;
      switch (s.kind) {
        case 'visitor':
          ok(await visitor.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body }), 'visitor message');
          expected.push(body);
          break;
        case 'operator':
          ok(await assignee.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body }), 'operator message');
          expected.push(body);
          break;
        case 'whisper': {
          const by = s.by === 'assignee' ? assignee : env[s.by];
          const clientId = newClientId();
          const sent = ok(await by.socket.emitWithAck('message:send', { conversationId, clientId, body, internal: true }), `whisper by ${by.name}`);
          expect(sent.visibility).toBe('internal');
          // Idempotent like any message: a resend is answered with the same one, nothing stored twice.
          if (n % 3 === 0)
            expect(ok(await by.socket.emitWithAck('message:send', { conversationId, clientId, body, internal: true }), 'resend').seq).toBe(sent.seq);
          secrets.push({ body, clientId, author: by, seq: sent.seq });
          break;
        }
        case 'teamchat': {
          const [from, to] = [staff[s.from]!, staff[s.to]!];
          const chat = ok(await from.socket.emitWithAck('teamchat:start', { operatorId: to.id }), 'teamchat:start');
          teamChatIds.add(chat.chat.id);
          await teamSay(from, chat.chat.id, body);
          break;
        }
        case 'respond': {
          // W2: someone other than the whisper's author responds to it; both then write.
          const whisper = secrets.findLast((x) => x.seq !== undefined);
          if (!whisper) break;
          const by = staff.find((x) => x !== whisper.author)!;
          const clientId = newClientId();
          const opened = ok(await by.socket.emitWithAck('teamchat:respond', { conversationId, seq: whisper.seq!, clientId }), 'teamchat:respond');
          const quoted = opened.messages.find((m) => m.clientId === clientId);
          expect(quoted?.ref).toMatchObject({ conversationId, seq: whisper.seq, quote: whisper.body, authorName: whisper.author.name });
          teamChatIds.add(opened.chat.id);
          secrets.push({ body: `${body}-by`, clientId, author: by });
          await teamSay(by, opened.chat.id, `${body}-by`);
          await teamSay(whisper.author, opened.chat.id, `${body}-back`);
          break;
        }
        case 'typing':
          // W1: whisper typing (the assignee's and a monitor's), and a monitor's plain typing, never reach the visitor.
          for (const [who, internal] of [
            [assignee, true],
            [sue === assignee ? olivia : sue, true],
            [olivia === assignee ? sue : olivia, false],
          ] as const) {
            ok(await who.socket.emitWithAck('typing:set', { conversationId, typing: true, internal }), 'typing');
          }
          break;
        case 'transfer': {
          const to = assignee === otto ? olivia : otto;
          ok(await assignee.socket.emitWithAck('chat:transfer', { conversationId, operatorId: to.id, note: body }), 'transfer');
          secrets.push({ body, clientId: '', author: assignee });
          shownNames.add(assignee.name).add(to.name);
          assignee = to;
          break;
        }
        case 'takeOver':
          if (assignee === sue) break;
          ok(await sue.socket.emitWithAck('chat:takeover', { conversationId }), 'take over');
          assignee = sue;
          shownNames.add(sue.name);
          // Sue is the operator now, and Olivia still monitors.
          break;
        case 'reconnect': {
          visitor.socket.disconnect();
          // The same socket comes back as the same visitor (its first connection had no token yet).
          visitor.socket.auth = { accountId: env.accountId, visitorToken: token };
          const back = new Promise<void>((resolve) => visitor.socket.once('session:started', () => resolve()));
          visitor.socket.connect();
          await back;
          const synced = ok(await visitor.socket.emitWithAck('chat:sync', { conversationId, afterSeq: s.from }), 'chat:sync');
          expect(synced.map((m) => m.seq)).toEqual(synced.map((_, i) => s.from + i + 1));
          break;
        }
        case 'reload': {
          visitor.socket.disconnect();
          visitor = await connectVisitor(env, visitorUrl(), frames, token);
          follow(visitor);
          const messages = visitor.session.chat?.messages ?? [];
          expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
          expect(messages.filter((m) => m.author !== 'system').map((m) => m.body)).toEqual(expected);
          break;
        }
        case 'file': {
          // The visitor's REST side: an upload and a fresh look at the file, every response recorded.
          const up = await upload(visitorUrl(), { token, conversationId, name: 'photo.png', bytes: PNG, contentType: 'image/png' });
          frames.push(JSON.stringify(up.body));
          expect(up.status).toBe(201);
          const again = await api(visitorUrl(), 'GET', `/api/files/${up.body.file.id}`, undefined, token);
          frames.push(JSON.stringify(again.body));
          ok(await visitor.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body, fileId: up.body.file.id }), 'file message');
          expected.push(body);
          break;
        }
      }
    }

    // Operators read everything in one order: whispers and notes among the rest, seq 1..N.
    const history = ok(await olivia.socket.emitWithAck('chat:get', { conversationId }), 'chat:get');
    expect(history.messages.map((m) => m.seq)).toEqual(history.messages.map((_, i) => i + 1));
    // Internal chat messages are not the visitor chat's: only whispers and notes are in it.
    const inChat = secrets.filter((x) => !/^(teamchat|respond)-/.test(x.body));
    expect(history.messages.filter((m) => m.visibility === 'internal').map((m) => m.body)).toEqual(inChat.map((x) => x.body));
    expect(secrets.map((x) => x.body)).not.toContain(history.conversation.preview);

    // The visitor's own numbering (#6): 1..n, the public messages only; live seqs agree with it.
    const mine = ok(await visitor.socket.emitWithAck('chat:sync', { conversationId, afterSeq: 0 }), 'chat:sync from 0');
    expect(mine.map((m) => m.seq)).toEqual(mine.map((_, i) => i + 1));
    expect(mine.filter((m) => m.author !== 'system').map((m) => m.body)).toEqual(expected);
    await new Promise((r) => setTimeout(r, 100)); // anything still in flight to the visitor arrives
    const seqOf = new Map(mine.map((m) => [m.body, m.seq]));
    for (const [b, seq] of live) expect(seq, `live seq of ${b}`).toBe(seqOf.get(b));

    // A reload now (session:started), then the end of the chat and its transcript.
    visitor.socket.disconnect();
    visitor = await connectVisitor(env, visitorUrl(), frames, token);
    expect(visitor.session.chat?.conversation.lastSeq).toBe(mine.length);
    ok(await visitor.socket.emitWithAck('chat:close', { conversationId }), 'chat:close');
    ok(await visitor.socket.emitWithAck('transcript:send', { conversationId, email }), 'transcript:send');
    let mail: OutboxPage['items'][number] | undefined;
    for (const deadline = Date.now() + 20_000; !mail && Date.now() < deadline;) {
      const page = await api<OutboxPage>(env.restUrl, 'GET', '/api/mail/outbox?limit=100', undefined, env.adminToken);
      mail = page.body.items.find((m) => m.to.includes(email));
      if (!mail) await new Promise((r) => setTimeout(r, 100));
    }
    if (!mail) throw new Error('the transcript mail never reached the outbox');
    for (const b of expected) expect(mail.text, 'the transcript has every public message').toContain(b);

    const seen = frames.join('\n');
    const texts = { frames: seen, 'transcript text': mail.text, 'transcript html': mail.html ?? '' };
    for (const [where, text] of Object.entries(texts)) {
      for (const secret of secrets) {
        expect(text.includes(secret.body), `${where} carries ${secret.body}`).toBe(false);
        if (secret.clientId) expect(text.includes(secret.clientId), `${where} carries the id of ${secret.body}`).toBe(false);
        if (!shownNames.has(secret.author.name)) expect(text.includes(secret.author.name), `${where} names ${secret.author.name}`).toBe(false);
      }
      for (const s of staff) expect(text.includes(s.id), `${where} carries ${s.name}'s id`).toBe(false);
      for (const id of teamChatIds) expect(text.includes(id), `${where} carries internal chat ${id}`).toBe(false);
      expect(text.includes('teamchat'), `${where} carries an internal chat event`).toBe(false);
    }
    for (const b of expected) expect(seen.includes(b), `the visitor never received ${b}`).toBe(true);
    // No typing of anyone's reached the visitor: whisper typing and a monitor's never do.
    expect(seen).not.toContain('typing:updated');
    visitor.socket.disconnect();
  }
}

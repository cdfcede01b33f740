/**
 * The floor the bench compares Sidedesk with: a Socket.IO relay that speaks the same events as
 * our server (so the load generator drives both identically) but has no accounts, no auth, no
 * validation, no visitors grid. `persist` decides what happens before the ack: nothing (bare
 * relay) or one INSERT per message (minimal persisted relay).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server, type Namespace, type Socket } from 'socket.io';

export interface StoredMessage {
  conversationId: string;
  seq: number;
  clientId: string;
  author: 'visitor' | 'operator';
  body: string;
}

export interface Persistence {
  /** Store one message; resolves with its created_at once committed. */
  insert(m: StoredMessage): Promise<string>;
  close(): Promise<void>;
}

// A sync after a reconnect only ever needs the recent tail here; the bench doesn't drop connections.
const KEEP_PER_CONVERSATION = 50;

interface Conversation {
  id: string;
  seq: number;
  recent: ReturnType<typeof view>[];
}

function view(m: StoredMessage, createdAt: string) {
  return { ...m, authorName: m.author, createdAt };
}

export async function startRelay(name: string, persist: Persistence | null): Promise<void> {
  const http = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404).end(req.url === '/health' ? 'ok' : '');
  });
  const io = new Server(http, { transports: ['websocket'], serveClient: false });
  const conversations = new Map<string, Conversation>();
  const visitors = io.of('/visitor');
  const operators = io.of('/operator');
  const room = (id: string) => `c:${id}`;

  async function store(c: Conversation, author: StoredMessage['author'], clientId: string, body: string) {
    const m: StoredMessage = { conversationId: c.id, seq: ++c.seq, clientId, author, body };
    const createdAt = persist ? await persist.insert(m) : new Date().toISOString();
    const v = view(m, createdAt);
    c.recent.push(v);
    if (c.recent.length > KEEP_PER_CONVERSATION) c.recent.shift();
    return v;
  }

  function common(socket: Socket, author: StoredMessage['author']) {
    socket.on('message:send', async (p: { conversationId: string; clientId: string; body: string }, ack) => {
      const c = conversations.get(p.conversationId);
      if (!c) return ack({ ok: false, error: { code: 'not_found', message: 'no such conversation' } });
      try {
        const v = await store(c, author, p.clientId, p.body);
        ack({ ok: true, data: v });
        broadcast(visitors, operators, room(c.id), v);
      } catch (e) {
        ack({ ok: false, error: { code: 'internal_error', message: String(e) } });
      }
    });
    socket.on('chat:sync', (p: { conversationId: string; afterSeq: number }, ack) => {
      const c = conversations.get(p.conversationId);
      ack({ ok: true, data: c ? c.recent.filter((m) => m.seq > p.afterSeq) : [] });
    });
  }

  visitors.on('connection', (socket) => {
    socket.emit('session:started', {
      visitorId: randomUUID(),
      visitorToken: randomUUID(),
      accountName: name,
      operatorsAvailable: true,
      chat: null,
    });
    socket.on('page:view', (_p, ack) => ack({ ok: true, data: null }));
    socket.on('chat:start', async (p: { clientId: string; question: string }, ack) => {
      const c: Conversation = { id: randomUUID(), seq: 0, recent: [] };
      conversations.set(c.id, c);
      await socket.join(room(c.id));
      const first = await store(c, 'visitor', p.clientId, p.question);
      ack({ ok: true, data: { conversation: { id: c.id, status: 'waiting', lastSeq: c.seq }, messages: [first] } });
    });
    common(socket, 'visitor');
  });

  operators.on('connection', (socket) => {
    // What a panel asks on every connect (the reconnect storm, #4): nothing to list here.
    socket.on('chat:list', (_p, ack) => ack({ ok: true, data: [] }));
    socket.on('visitor:list', (_p, ack) => ack({ ok: true, data: [] }));
    socket.on('chat:accept', async (p: { conversationId: string }, ack) => {
      await socket.join(room(p.conversationId));
      ack({ ok: true, data: { id: p.conversationId, status: 'active' } });
    });
    common(socket, 'operator');
  });

  const port = Number(process.env.PORT ?? 0);
  await new Promise<void>((r) => http.listen(port, process.env.HOST ?? '127.0.0.1', r));
  console.log(`${name} listening on ${port}`);
  const shutdown = async () => {
    void io.close();
    await persist?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

/** Both sides of the chat get the message, as on our server. */
function broadcast(visitors: Namespace, operators: Namespace, to: string, v: unknown) {
  visitors.to(to).emit('message:sent', v);
  operators.to(to).emit('message:sent', v);
}

/**
 * #4: visitors receive only what the widget needs. A raw visitor socket records every frame the
 * server sends it through a whole chat; none may carry an operator's id or any other internal.
 */
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { VISITOR_NAMESPACE, type VisitorClientToServer, type VisitorServerToClient, type VisitorSession } from '../../shared/events';
import { ok } from '../support/ack';
import { Harness, newClientId, waitFor } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

/** Every field name a visitor may see, in any event or ack (session, visitor conversation, message, typing). */
const VISITOR_FIELDS = new Set([
  // Socket.IO's own connect packet
  'sid',
  // Ack
  'ok',
  'data',
  'error',
  'code',
  'message',
  'issues',
  'path',
  // VisitorSession
  'visitorId',
  'visitorToken',
  'accountName',
  'operatorsAvailable',
  'chat',
  'conversation',
  'messages',
  // P4: VisitorSession.invitation, VisitorInvitationView, invitation:closed
  'invitation',
  'senderName',
  'invitationId',
  // VisitorConversationView
  'id',
  'status',
  'operatorName',
  'operatorPresent',
  'lastSeq',
  // #6: the chat's department (whether its operators are online), and the departments the pre-chat form offers
  'departmentId',
  'departments',
  // P5: "Seen" (VisitorConversationView.seen, and read:seen)
  'seen',
  // MessageView
  'conversationId',
  'seq',
  'clientId',
  'author',
  'authorName',
  'body',
  'createdAt',
  // TypingView, availability (#4: whether, never how many)
  'name',
  'typing',
  'available',
]);

/** The JSON of a Socket.IO packet as it came off the wire (`2/visitor,["event",{…}]`, `3/visitor,7[{…}]`). */
function payloadOf(frame: string): unknown {
  const start = frame.search(/[[{]/);
  return start < 0 ? null : JSON.parse(frame.slice(start));
}

function fieldNames(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) fieldNames(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      fieldNames(v, into);
    }
  }
  return into;
}

describe('what a visitor receives', () => {
  it('is never an operator id or another internal field, through start, accept, messages, typing, reconnect and close', async () => {
    const server = await h.server();
    const op = await h.operator(server, { name: 'Olivia' });
    const colleague = await h.colleague(server, op.account.id);

    const frames: string[] = [];
    const visitor: Socket<VisitorServerToClient, VisitorClientToServer> = io(`${server.url}${VISITOR_NAMESPACE}`, {
      auth: { accountId: op.account.id },
      transports: ['websocket'],
      forceNew: true,
      autoConnect: false,
    });
    onTestFinished(() => void visitor.disconnect());
    // Raw engine.io messages: every packet, events and acks alike, before any decoding.
    visitor.io.on('open', () => visitor.io.engine.on('message', (data: unknown) => frames.push(String(data))));
    const ready = () => new Promise<VisitorSession>((resolve) => visitor.once('session:started', resolve));
    let session = ready();
    visitor.connect();
    const { visitorToken } = await session;

    const started = ok(await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Hello?' }));
    const conversationId = started.conversation.id;
    const joined = waitFor(visitor, 'chat:updated', (c) => c.status === 'active');
    ok(await op.socket.emitWithAck('chat:accept', { conversationId }));
    await joined;
    await colleague.socket.emitWithAck('chat:get', { conversationId });

    const fromOperator = waitFor(visitor, 'message:sent', (m) => m.author === 'operator');
    const typing = waitFor(visitor, 'typing:updated');
    ok(await op.socket.emitWithAck('typing:set', { conversationId, typing: true }));
    ok(await op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Hi Vera' }));
    await Promise.all([fromOperator, typing]);
    ok(await visitor.emitWithAck('typing:set', { conversationId, typing: true }));
    ok(await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Thanks' }));
    ok(await visitor.emitWithAck('chat:sync', { conversationId, afterSeq: 0 }));

    // A reconnect: session:started carries the open chat with its history.
    visitor.disconnect();
    visitor.auth = { accountId: op.account.id, visitorToken };
    session = ready();
    visitor.connect();
    expect((await session).chat?.conversation).toEqual({
      id: conversationId,
      status: 'active',
      operatorName: 'Olivia',
      operatorPresent: true,
      lastSeq: 4,
      departmentId: null,
      seen: 0,
    });

    const closed = waitFor(visitor, 'chat:updated', (c) => c.status === 'closed');
    ok(await op.socket.emitWithAck('chat:close', { conversationId }));
    await closed;
    expect(ok(await visitor.emitWithAck('chat:close', { conversationId }))).toEqual({
      id: conversationId,
      status: 'closed',
      operatorName: 'Olivia',
      operatorPresent: false,
      lastSeq: 5,
      departmentId: null,
      seen: 0,
    });
    visitor.disconnect();

    expect(frames.length).toBeGreaterThan(15);
    const wire = frames.join('\n');
    for (const secret of [op.admin.id, colleague.operator.id, op.email, colleague.operator.email, op.token, op.account.id, 'vera@example.com']) {
      expect(wire, `a frame carries ${secret}`).not.toContain(secret);
    }
    const unexpected = [...fieldNames(frames.map(payloadOf))].filter((k) => !VISITOR_FIELDS.has(k));
    expect(unexpected, 'fields a visitor should not get').toEqual([]);
  });
});

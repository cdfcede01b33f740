/**
 * #5: a visitor is told "Olivia is here" only while Olivia has a panel connected. Her last socket
 * going (sign-out, a closed browser) tells the visitors of her active chats that she has left;
 * her coming back tells them she is here again. A new session of the widget says the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OPERATOR_LEFT_GRACE_MS } from '../../server/src/features/chats/operatorPresence';
import { ok } from '../support/ack';
import { api, collect, Harness, loginOk, newClientId, waitFor } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function acceptedChat() {
  const server = await h.server();
  const op = await h.operator(server, { name: 'Olivia' });
  const { socket: visitor, session } = await h.connectVisitor(server, op.account.id);
  const started = ok(await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Hello?' }));
  expect(started.conversation.operatorPresent).toBe(false); // waiting: nobody's chat yet
  const conversationId = started.conversation.id;
  const joined = waitFor(visitor, 'chat:updated', (c) => c.status === 'active');
  ok(await op.socket.emitWithAck('chat:accept', { conversationId }));
  expect(await joined).toMatchObject({ operatorName: 'Olivia', operatorPresent: true });
  return { server, op, visitor, visitorToken: session.visitorToken, conversationId };
}

describe("the operator's presence in a visitor's chat", () => {
  it('says the operator left when their last socket signs out, and is here again when they sign back in', async () => {
    const { server, op, visitor, visitorToken, conversationId } = await acceptedChat();
    const updates = collect(visitor, 'chat:updated');

    // A second panel of hers closing changes nothing: another one is still connected.
    const second = await h.connectOperator(server, op.token);
    second.disconnect();
    await pause(300);
    expect(updates).toEqual([]);

    const left = waitFor(visitor, 'chat:updated', (c) => !c.operatorPresent);
    expect((await api(server.url, 'POST', '/api/auth/logout', undefined, op.token)).status).toBe(204);
    expect(await left).toEqual({
      id: conversationId,
      status: 'active',
      operatorName: 'Olivia',
      operatorPresent: false,
      lastSeq: 2,
      departmentId: null,
      seen: 0,
    });

    // A widget that (re)connects now is told the same in its session.
    const again = await h.connectVisitor(server, op.account.id, visitorToken);
    expect(again.session.chat?.conversation).toMatchObject({ id: conversationId, status: 'active', operatorPresent: false });

    const back = waitFor(visitor, 'chat:updated', (c) => c.operatorPresent);
    const login = await loginOk(server.url, op.email, op.password);
    await h.connectOperator(server, login.token);
    expect(await back).toMatchObject({ id: conversationId, status: 'active', operatorPresent: true });
    const later = await h.connectVisitor(server, op.account.id, visitorToken);
    expect(later.session.chat?.conversation.operatorPresent).toBe(true);
  });

  it('tells only the visitors of that operator’s active chats', async () => {
    const { server, op, visitor } = await acceptedChat();
    const colleague = await h.colleague(server, op.account.id, 'Colin');
    const { socket: other } = await h.connectVisitor(server, op.account.id);
    const started = ok(await other.emitWithAck('chat:start', { clientId: newClientId(), name: 'Otto', email: 'otto@example.com', question: 'Hi' }));
    const accepted = waitFor(other, 'chat:updated', (c) => c.status === 'active');
    ok(await colleague.socket.emitWithAck('chat:accept', { conversationId: started.conversation.id }));
    await accepted;
    const otherUpdates = collect(other, 'chat:updated');

    const left = waitFor(visitor, 'chat:updated', (c) => !c.operatorPresent);
    op.socket.disconnect();
    await left;
    await pause(200);
    expect(otherUpdates).toEqual([]);
  });

  it('waits a few seconds when the connection drops (the panel reconnects), then says the operator left', async () => {
    const { op, visitor } = await acceptedChat();
    const updates = collect(visitor, 'chat:updated');
    // The transport closes under the socket, as when the network goes (not a sign-out).
    op.socket.io.engine.close();
    await pause(OPERATOR_LEFT_GRACE_MS / 2);
    expect(updates).toEqual([]);
    await waitFor(visitor, 'chat:updated', (c) => !c.operatorPresent, OPERATOR_LEFT_GRACE_MS + 3000);
  }, 15_000);
});

/**
 * A disabled operator's chats go back to the queue (#6, A5 × A1: the durable job
 * `chats.requeueOperator`) on two nodes behind Redis: Bob's and Cleo's panels are on node B, the
 * visitor on node A, and the admin disables Bob through node A. Whichever node runs the job, Bob's
 * socket on B is cut, the chat waits again, Cleo on B sees it waiting and takes it, and the
 * visitor reads why. Needs PostgreSQL and redis-server on loopback (as cluster.test.ts).
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VISITOR_NAMESPACE } from '../../../shared/events';
import { ok } from '../../support/ack';
import { login, multiNodeSkipReason, setupAccount, startTwoNodes, type TwoNodes } from '../../support/cluster';
import { api, newClientId, waitFor, type VisitorClient } from '../../support/server';

const reason = await multiNodeSkipReason();

describe.skipIf(reason !== '')(`a disabled operator's chats on two nodes behind Redis ${reason ? `(skipped: ${reason})` : ''}`, () => {
  let nodes: TwoNodes;

  beforeAll(async () => {
    nodes = await startTwoNodes();
  }, 60_000);

  afterAll(() => nodes?.stop());

  function widget(url: string, accountId: string): Promise<VisitorClient> {
    const socket: VisitorClient = io(`${url}${VISITOR_NAMESPACE}`, { auth: { accountId }, transports: ['websocket'], forceNew: true, reconnection: false });
    nodes.sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('session:started', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  it(
    'requeues the chat of an operator on node B disabled through node A: a colleague on node B sees it waiting and takes it',
    { timeout: 60_000 },
    async () => {
      const { a, b, member } = nodes;
      const account = await setupAccount(nodes.backend.env);
      const adminToken = await login(a.url, account.email, account.password);
      const bob = await member(account.accountId, 'Bob', 'operator', b.url, 'bob@example.com');
      const cleo = await member(account.accountId, 'Cleo', 'operator', b.url, 'cleo@example.com');
      const visitor = await widget(a.url, account.accountId);

      const started = ok(
        await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Where is my parcel?' }),
      );
      const id = started.conversation.id;
      expect(ok(await bob.socket.emitWithAck('chat:accept', { conversationId: id }))).toMatchObject({ status: 'active', operatorId: bob.id });

      const bobCut = new Promise<string>((resolve) => bob.socket.once('disconnect', resolve));
      const cleoSees = waitFor(cleo.socket, 'chat:updated', (c) => c.id === id && c.status === 'waiting', 20_000);
      const visitorWaits = waitFor(visitor, 'chat:updated', (c) => c.status === 'waiting', 20_000);
      const disabled = await api(a.url, 'PATCH', `/api/team/operators/${bob.id}`, { status: 'disabled' }, adminToken);
      expect(disabled.status).toBe(200);

      // Node A revoked Bob; his socket on node B goes (through the adapter).
      expect(await bobCut).toBe('io server disconnect');
      // The job put the chat back: Cleo's panel on node B is told, and her chat list there has it waiting.
      expect(await cleoSees).toMatchObject({ id, status: 'waiting', operatorId: null });
      expect(ok(await cleo.socket.emitWithAck('chat:list', {})).find((c) => c.id === id)).toMatchObject({ status: 'waiting', operatorId: null });
      expect(await visitorWaits).toMatchObject({ status: 'waiting', operatorName: null });
      const lines = ok(await visitor.emitWithAck('chat:sync', { conversationId: id, afterSeq: 0 })).map((m) => m.body);
      expect(lines).toContain('Bob is no longer available: the chat waits for a colleague');

      // Cleo takes it on node B; the visitor on node A sees her join.
      const joined = waitFor(visitor, 'chat:updated', (c) => c.status === 'active', 10_000);
      expect(ok(await cleo.socket.emitWithAck('chat:accept', { conversationId: id }))).toMatchObject({ status: 'active', operatorId: cleo.id });
      expect(await joined).toMatchObject({ status: 'active', operatorName: 'Cleo' });
    },
  );
});

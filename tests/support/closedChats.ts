/**
 * The set-up the archive (P9) and reopen (P5) tests share: Acme's admin Olivia on a server that
 * lets the tests search often, chats she accepts (to close them), Colin and a Sales department of
 * both, and the archive searched.
 */
import type { ArchiveSearchPayload, ArchiveSearchResult } from '../../shared/schemas/archive';
import type { DepartmentView } from '../../shared/schemas/routing';
import { DEFAULT_LIMITS } from '../../server/src/config';
import { ok } from './ack';
import { api, newClientId, type Harness, type OperatorClient, type TestServer } from './server';

/** The tests search dozens of times a second (the panel: when Enter is pressed). */
export const roomy = { limits: { ...DEFAULT_LIMITS, commandScale: 20 } };

export async function searchArchive(socket: OperatorClient, payload: ArchiveSearchPayload): Promise<ArchiveSearchResult> {
  return ok(await socket.emitWithAck('archive:search', payload));
}

/** A server (`roomy`) with account Acme and its admin Olivia; `chat()`: a new visitor asks, Olivia accepts. */
export async function acmeWithOlivia(h: Harness) {
  const server = await h.server(roomy);
  const a = await h.operator(server, { account: 'Acme', name: 'Olivia' });

  async function chat(o: { name: string; email: string; question: string; departmentId?: string }) {
    const visitor = await h.connectVisitor(server, a.account.id);
    const started = ok(
      await visitor.socket.emitWithAck('chat:start', {
        clientId: newClientId(),
        name: o.name,
        email: o.email,
        question: o.question,
        ...(o.departmentId ? { departmentId: o.departmentId } : {}),
      }),
    );
    const conversationId = started.conversation.id;
    ok(await a.socket.emitWithAck('chat:accept', { conversationId }));
    return { visitor, conversationId };
  }

  return { server, a, chat };
}

/** Colin joins Olivia's account, and both are in its new Sales department. */
export async function salesWithColin(h: Harness, server: TestServer, a: Awaited<ReturnType<typeof acmeWithOlivia>>['a']) {
  const colin = await h.colleague(server, a.account.id, 'Colin');
  const sales = await api<DepartmentView>(server.url, 'POST', '/api/departments', { name: 'Sales' }, a.token);
  await api(server.url, 'PATCH', `/api/departments/${sales.body.id}`, { operatorIds: [a.admin.id, colin.operator.id] }, a.token);
  return { colin, sales: sales.body };
}

import { afterEach, describe, expect, it } from 'vitest';
import { withLastMessage, type LastMessageSummary } from '../../shared/protocol';
import type { ConversationView, MessageView } from '../../shared/schemas/chats';
import { ok } from '../support/ack';
import { Harness, newClientId } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

const summary = (c: LastMessageSummary) => ({ lastSeq: c.lastSeq, lastAuthor: c.lastAuthor, preview: c.preview });
const fold = (messages: MessageView[]) =>
  messages.reduce<LastMessageSummary>(withLastMessage, { lastSeq: 0, lastAuthor: null, lastMessageAt: null, preview: '' });

// #5: a client updates a chat's lastAuthor and preview from the messages it sees, until (or
// instead of) the server's chat:updated; both must say the same, or the grid's colour flips.
describe('the client protocol agrees with what the server stores', () => {
  it('lastAuthor and preview: system notes change neither, a long first line is cut the same way', async () => {
    const server = await h.server();
    const op = await h.operator(server, { name: 'Olivia' });
    const { socket: visitor } = await h.connectVisitor(server, op.account.id);
    const question = `${'q'.repeat(137)}👍🏽👨‍👩‍👧‍👦 tail\nsecond line`;
    const { conversation } = ok(await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question }));
    const conversationId = conversation.id;
    const stored = async (): Promise<{ conversation: ConversationView; messages: MessageView[] }> =>
      ok(await op.socket.emitWithAck('chat:get', { conversationId }));

    ok(await op.socket.emitWithAck('chat:accept', { conversationId })); // a system note after the visitor's question
    let now = await stored();
    expect(now.messages.map((m) => m.author)).toEqual(['visitor', 'system']);
    expect(summary(now.conversation)).toEqual(summary(fold(now.messages)));
    expect(now.conversation.lastAuthor).toBe('visitor');

    ok(await op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: '  Hello Vera!  \nHow can I help?' }));
    ok(await op.socket.emitWithAck('chat:close', { conversationId })); // another note, after the operator's reply
    now = await stored();
    expect(now.messages.map((m) => m.author)).toEqual(['visitor', 'system', 'operator', 'system']);
    expect(summary(now.conversation)).toEqual(summary(fold(now.messages)));
    expect(summary(now.conversation)).toEqual({ lastSeq: 4, lastAuthor: 'operator', preview: 'Hello Vera!' });
  });
});

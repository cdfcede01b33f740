import { afterEach, describe, expect, it } from 'vitest';
import { COMMAND_LIMITS } from '../../server/src/limits/commands';
import { COMMAND_LIMIT } from '../../server/src/realtime/withAck';
import { Harness } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

// Socket.IO's own events (it listens to 'error' itself), not commands.
const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'error', 'newListener', 'removeListener']);

/** Every command a server-side socket listens to, with the limit class its listeners declare. */
function commandsOf(socket: { eventNames(): (string | symbol)[]; listeners(event: string): unknown[] }) {
  return socket
    .eventNames()
    .filter((e): e is string => typeof e === 'string' && !RESERVED.has(e))
    .map((event) => ({ event, limits: socket.listeners(event).map((l) => (l as { [COMMAND_LIMIT]?: string })[COMMAND_LIMIT]) }));
}

describe('command limits (#4)', () => {
  it('declares a rate limit on every command a visitor or operator socket listens to', async () => {
    const server = await h.server();
    const { account } = await h.operator(server);
    await h.connectVisitor(server, account.id);
    const { operators, visitors } = server.app.ctx.rt;
    const visitorCommands = commandsOf([...visitors.sockets.values()][0]!);
    const operatorCommands = commandsOf([...operators.sockets.values()][0]!);

    expect(visitorCommands.map((c) => c.event).sort()).toEqual([
      'chat:close',
      'chat:start',
      'chat:sync',
      'invitation:accept',
      'invitation:dismiss',
      'message:send',
      'page:view',
      'rating:set',
      'read:mark',
      'transcript:send',
      'typing:set',
    ]);
    expect(operatorCommands.length).toBeGreaterThan(0);
    for (const { event, limits } of [...visitorCommands, ...operatorCommands]) {
      for (const limit of limits) expect(limit && limit in COMMAND_LIMITS, `${event} has no rate limit`).toBe(true);
    }
    // A visitor command never borrows an operator's (generous) class.
    for (const { event, limits } of visitorCommands)
      expect(
        limits.every((l) => l?.startsWith('visitor.')),
        event,
      ).toBe(true);
  });
});

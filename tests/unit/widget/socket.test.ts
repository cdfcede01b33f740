import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { OriginNotAllowed } from '../../../server/src/features/visitors/origin';
import { refusal } from '../../../server/src/realtime/overload';
import { VISITOR_NAMESPACE } from '../../../shared/events';
import { connect } from '../../../widget/src/socket';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A /visitor endpoint whose handshake refuses every widget the way the server does for a foreign site. */
async function refusingServer() {
  const server = http.createServer();
  const io = new Server(server);
  let handshakes = 0;
  io.of(VISITOR_NAMESPACE).use((_socket, next) => {
    handshakes += 1;
    next(new OriginNotAllowed('https://evil.example'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => void io.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, handshakes: () => handshakes };
}

describe('widget connection', () => {
  // #4: the widget used to retry a refused handshake forever (4 s, 8 s, … 60 s), silently.
  it("reports a refusal for its origin once, with the server's explanation, and stops trying", async () => {
    const server = await refusingServer();
    const refusals: string[] = [];
    const refused = new Promise<void>((resolve) => {
      connect(server.url, () => ({ accountId: '00000000-0000-4000-8000-000000000001' }), {
        onRefused: (message) => {
          refusals.push(message);
          resolve();
        },
      });
    });
    await refused;
    expect(refusals).toEqual([
      "This site (https://evil.example) is not in the account's allowed website addresses; an admin can add it in the Sidedesk extension's options.",
    ]);
    // Longer than the first retry of any other refusal (4 s): nothing more happens.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(server.handshakes()).toBe(1);
    expect(refusals).toHaveLength(1);
  });

  // #4: forgetting a visitor disconnects their widget from the server side, which Socket.IO
  // doesn't recover from by itself; the widget must come back (as a new visitor).
  it('connects again after the server ended its connection on purpose', async () => {
    const server = http.createServer();
    const io = new Server(server);
    let connections = 0;
    io.of(VISITOR_NAMESPACE).on('connection', (socket) => {
      connections += 1;
      if (connections === 1) setTimeout(() => socket.disconnect(), 50);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => void io.close(resolve)));
    connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, () => ({ accountId: '00000000-0000-4000-8000-000000000001' }));
    const deadline = Date.now() + 5_000;
    while (connections < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connections).toBe(2);
  });

  // #4: a server shedding load after a restart says when to come back; the widget must not fall
  // back to its slow backoff (4 s, 8 s, …) for that, nor hammer the server sooner.
  it('comes back after the retry-after of a server that refused it for load', async () => {
    const server = http.createServer();
    const io = new Server(server);
    const attempts: number[] = [];
    io.of(VISITOR_NAMESPACE).use((_socket, next) => {
      attempts.push(performance.now());
      next(attempts.length === 1 ? refusal('overloaded', { retryAfterMs: 400 }) : undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => void io.close(resolve)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const connected = new Promise<void>((resolve) => io.of(VISITOR_NAMESPACE).on('connection', () => resolve()));
    connect(url, () => ({ accountId: '00000000-0000-4000-8000-000000000001' }));
    await connected;
    expect(attempts).toHaveLength(2);
    // retryAfterMs ± 50 % jitter: between 200 and 600 ms after the refusal (the old backoff waited 4 s).
    const waited = attempts[1]! - attempts[0]!;
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(1_000);
  });
});

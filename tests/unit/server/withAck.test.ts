import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError, type Ack } from '../../../shared/errors';
import { CommandLimits, COMMAND_LIMITS, type LimitedSocket } from '../../../server/src/limits/commands';
import { LimiterStore } from '../../../server/src/limits/store';
import type { Logger } from '../../../server/src/log';
import { makeWithAck } from '../../../server/src/realtime/withAck';

const logger = () => ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() }) satisfies Logger;
const call = (listener: (p: never, ack: never) => void, payload: unknown) =>
  new Promise<Ack<unknown>>((resolve) => (listener as (p: unknown, a: (r: Ack<unknown>) => void) => void)(payload, resolve));

const stores: LimiterStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function commandLimits() {
  const store = await LimiterStore.open({ log: logger(), installId: 'unit' });
  stores.push(store);
  return new CommandLimits(store);
}

let sockets = 0;
const visitorSocket = (visitorId = 'v-1'): LimitedSocket => ({ id: `s-${++sockets}`, data: { accountId: 'a-1', visitorId } });
const limit = { limit: 'visitor.message' } as const;

describe('withAck', () => {
  const schema = z.object({ n: z.number() });

  it('runs the handler with the parsed payload and acks its result', async () => {
    const withAck = makeWithAck(logger(), await commandLimits())(visitorSocket());
    expect(
      await call(
        withAck(schema, async ({ n }) => n * 2, limit),
        { n: 21 },
      ),
    ).toEqual({ ok: true, data: 42 });
  });

  it('acks validation_failed with the issues and never calls the handler', async () => {
    const handler = vi.fn(async () => 1);
    const res = await call(makeWithAck(logger(), await commandLimits())(visitorSocket())(schema, handler, limit), { n: 'x' });
    expect(res).toMatchObject({ ok: false, error: { code: 'validation_failed', issues: [{ path: 'n' }] } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes AppError codes through and hides unknown errors as internal_error (logged)', async () => {
    const log = logger();
    const withAck = makeWithAck(log, await commandLimits())(visitorSocket());
    expect(
      await call(
        withAck(schema, () => Promise.reject(new AppError('not_found', 'gone')), limit),
        { n: 1 },
      ),
    ).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'gone' },
    });
    expect(log.error).not.toHaveBeenCalled();
    const res = await call(
      withAck(schema, () => Promise.reject(new Error('password=hunter2')), limit),
      { n: 1 },
    );
    expect(res).toEqual({ ok: false, error: { code: 'internal_error', message: 'Something went wrong' } });
    expect(log.error).toHaveBeenCalledOnce();
  });

  it('does not throw when the client sent no ack callback', async () => {
    const handler = vi.fn(async () => 1);
    const listener = makeWithAck(logger(), await commandLimits())(visitorSocket())(schema, handler, limit) as (p: unknown, a?: unknown) => void;
    expect(() => listener({ n: 1 })).not.toThrow();
    expect(() => listener('garbage')).not.toThrow();
    await vi.waitFor(() => expect(handler).toHaveBeenCalledOnce());
  });

  it('answers rate_limited with the wait once a socket passes its limit, before validating, and counts each socket alone', async () => {
    const handler = vi.fn(async () => null);
    const withAckFor = makeWithAck(logger(), await commandLimits());
    const flooder = withAckFor(visitorSocket('v-flood'))(schema, handler, { limit: 'visitor.pageView' });
    const { points } = COMMAND_LIMITS['visitor.pageView'].perSocket;
    const acks = await Promise.all(Array.from({ length: points + 5 }, () => call(flooder, { n: 1 })));
    expect(acks.filter((a) => a.ok)).toHaveLength(points);
    const refused = acks.find((a) => !a.ok);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', message: expect.stringMatching(/^Too many page views; slow down and try again in \d+ seconds?\.$/) },
    });
    expect(!refused!.ok && refused!.error.retryAfterMs).toBeGreaterThan(0);
    // Refused before validation: garbage costs no parsing either.
    expect(await call(flooder, 'garbage')).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(handler).toHaveBeenCalledTimes(points);

    const bystander = withAckFor(visitorSocket('v-other'))(schema, handler, { limit: 'visitor.pageView' });
    expect(await call(bystander, { n: 1 })).toEqual({ ok: true, data: null });
  });

  it('counts a visitor over all their sockets', async () => {
    const withAckFor = makeWithAck(logger(), await commandLimits());
    const { perSocket, perActor } = COMMAND_LIMITS['visitor.pageView'];
    const tabs = Array.from({ length: Math.ceil(perActor.points / perSocket.points) + 1 }, () =>
      withAckFor(visitorSocket('v-tabs'))(schema, async () => null, { limit: 'visitor.pageView' }),
    );
    const acks = await Promise.all(tabs.flatMap((tab) => Array.from({ length: perSocket.points }, () => call(tab, { n: 1 }))));
    expect(acks.filter((a) => a.ok)).toHaveLength(perActor.points);
  });
});

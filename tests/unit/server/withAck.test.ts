import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError, type Ack } from '../../../shared/errors';
import type { Logger } from '../../../server/src/log';
import { makeWithAck } from '../../../server/src/realtime/withAck';

const logger = () => ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() }) satisfies Logger;
const call = (listener: (p: never, ack: never) => void, payload: unknown) =>
  new Promise<Ack<unknown>>((resolve) => (listener as (p: unknown, a: (r: Ack<unknown>) => void) => void)(payload, resolve));

describe('withAck', () => {
  const schema = z.object({ n: z.number() });

  it('runs the handler with the parsed payload and acks its result', async () => {
    const withAck = makeWithAck(logger());
    expect(await call(withAck(schema, async ({ n }) => n * 2), { n: 21 })).toEqual({ ok: true, data: 42 });
  });

  it('acks validation_failed with the issues and never calls the handler', async () => {
    const handler = vi.fn(async () => 1);
    const res = await call(makeWithAck(logger())(schema, handler), { n: 'x' });
    expect(res).toMatchObject({ ok: false, error: { code: 'validation_failed', issues: [{ path: 'n' }] } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes AppError codes through and hides unknown errors as internal_error (logged)', async () => {
    const log = logger();
    const withAck = makeWithAck(log);
    expect(await call(withAck(schema, () => Promise.reject(new AppError('not_found', 'gone'))), { n: 1 })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'gone' },
    });
    expect(log.error).not.toHaveBeenCalled();
    const res = await call(withAck(schema, () => Promise.reject(new Error('password=hunter2'))), { n: 1 });
    expect(res).toEqual({ ok: false, error: { code: 'internal_error', message: 'Something went wrong' } });
    expect(log.error).toHaveBeenCalledOnce();
  });

  it('does not throw when the client sent no ack callback', async () => {
    const handler = vi.fn(async () => 1);
    const listener = makeWithAck(logger())(schema, handler) as (p: unknown, a?: unknown) => void;
    expect(() => listener({ n: 1 })).not.toThrow();
    expect(() => listener('garbage')).not.toThrow();
    await vi.waitFor(() => expect(handler).toHaveBeenCalledOnce());
  });
});

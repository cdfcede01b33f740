import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type LoggerOptions } from '../../../server/src/log';

/** A logger writing into memory: `raw` is exactly what would reach stdout. */
function captured(options: Omit<LoggerOptions, 'destination'> = {}) {
  let raw = '';
  const log = createLogger('debug', { ...options, destination: { write: (chunk: string) => void (raw += chunk) } });
  const lines = () => raw.split('\n').filter(Boolean);
  return { log, raw: () => raw, lines, records: () => lines().map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const FORGED = 'thanks!\n{"level":"error","msg":"fake"}\n[error] fake line\r\n\u001b[31mred\u001b[0m\u001b]0;title\u0007';

describe('log lines (#4)', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps visitor text with newlines and terminal escapes inside one JSON line', () => {
    const { log, raw, records } = captured();
    log.error(`Visitor wrote ${FORGED}`, new Error(FORGED), { body: FORGED });
    log.warn(FORGED);

    expect(raw().match(/\n/g)).toHaveLength(2);
    // eslint-disable-next-line no-control-regex -- the control characters are what it must not find
    expect(raw()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    const [first, second] = records();
    expect(first).toMatchObject({ level: 'error', msg: `Visitor wrote ${FORGED}`, err: { type: 'Error', message: FORGED }, details: [{ body: FORGED }] });
    expect(second).toMatchObject({ level: 'warn', msg: FORGED });
  });

  it('folds 1,000 identical errors into the first line and one "repeated" summary', () => {
    vi.useFakeTimers();
    const { log, lines, records } = captured({ repeatWindowMs: 10_000 });
    for (let i = 0; i < 1000; i++) log.error(`Message batch of ${i % 50} failed`, Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' }));
    log.error('Another failure', new Error('other'));
    expect(lines()).toHaveLength(2);
    vi.advanceTimersByTime(10_001);
    expect(records()).toEqual([
      expect.objectContaining({ msg: 'Message batch of 0 failed', err: expect.objectContaining({ code: 'ECONNREFUSED' }) }),
      expect.objectContaining({ msg: 'Another failure' }),
      expect.objectContaining({ msg: 'Message batch of 0 failed (repeated 999 times)', repeated: 999 }),
    ]);
    // The next window starts afresh: its first occurrence is written in full.
    log.error('Message batch of 7 failed', Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' }));
    expect(lines()).toHaveLength(4);
  });

  it('writes the pending summaries when flushed (the app closing)', () => {
    const { log, records } = captured({ repeatWindowMs: 60_000 });
    for (let i = 0; i < 3; i++) log.warn('Redis unreachable');
    log.flush();
    expect(records().map((r) => r.msg)).toEqual(['Redis unreachable', 'Redis unreachable (repeated 2 times)']);
  });

  it('keeps an error to its class, code, a short message and a few frames', () => {
    const { log, raw, records } = captured();
    const cause = Object.assign(new Error(`invalid input syntax for type integer: "${'x'.repeat(100_000)}"`), {
      code: '22P02',
      severity: 'ERROR',
      where: `unnamed portal parameter $1 = '${'x'.repeat(100_000)}'`,
      query: `SELECT * FROM append_messages($j$${'x'.repeat(100_000)}$j$::jsonb)`,
    });
    class DrizzleQueryError extends Error {
      constructor(
        readonly query: string,
        readonly params: unknown[],
      ) {
        super(`Failed query: ${query}\nparams: ${params.join(',')}`, { cause });
      }
    }
    log.error('Background task failed', new DrizzleQueryError('select $1::int', ['x'.repeat(1_000_000)]));
    expect(raw().length).toBeLessThan(4096);
    expect(raw()).not.toContain('x'.repeat(64));
    expect(records()[0]).toMatchObject({
      err: {
        type: 'DrizzleQueryError',
        message: 'Failed query: select $1::int',
        stack: expect.any(Array),
        cause: { code: '22P02', message: expect.stringContaining('invalid input syntax') },
      },
    });
  });
});

import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { logCapture } from '../support/log';
import { Harness } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('server logs (#4)', () => {
  it('logs a query that failed on a 1 MB parameter in under 4 KB, without the parameter', async () => {
    const log = logCapture();
    const server = await h.server({}, { log: log.options });
    const { ctx } = server.app;
    const huge = 'x'.repeat(1_000_000);
    // The two shapes of #4: a JSON cast that meets a lone surrogate, and a cast that quotes its input.
    ctx.background('json probe', () => ctx.db.execute(sql`select ${`{"a":"\\udc00${huge}"}`}::jsonb`));
    ctx.background('int probe', () => ctx.db.execute(sql`select ${huge}::int`));
    await until(() => log.errors().length === 2);

    const lines = log.raw().split('\n').filter(Boolean);
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThan(4096);
      expect(line).not.toContain('x'.repeat(64));
    }
    expect(log.errors()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          msg: 'json probe failed',
          err: expect.objectContaining({ type: 'DrizzleQueryError', cause: expect.objectContaining({ code: '22P02' }) }),
        }),
        expect.objectContaining({
          msg: 'int probe failed',
          err: expect.objectContaining({ message: expect.stringMatching(/^Failed query: select \$1::int/) }),
        }),
      ]),
    );
  });
});

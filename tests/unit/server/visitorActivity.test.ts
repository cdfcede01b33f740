import { afterEach, describe, expect, it, vi } from 'vitest';
import { VisitorActivity } from '../../../server/src/features/visitors/activity';

afterEach(() => vi.useRealTimers());

/** A write that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  return { done, open };
}

describe('VisitorActivity (#4)', () => {
  it('keeps one page-view write in flight per visitor; the newest waiting one replaces the others and answers for them', async () => {
    const activity = new VisitorActivity();
    const written: string[] = [];
    const first = gate();
    const write = (page: string, wait?: Promise<void>) => async () => {
      written.push(page);
      await wait;
    };
    const a = activity.coalesce('v1', write('/a', first.done));
    const b = activity.coalesce('v1', write('/b'));
    const c = activity.coalesce('v1', write('/c'));
    const other = activity.coalesce('v2', write('/other'));
    await other;
    await Promise.resolve();
    expect(written).toEqual(['/a', '/other']); // v2 is not held up by v1
    first.open();
    await Promise.all([a, b, c]);
    expect(written).toEqual(['/a', '/other', '/c']);
    expect(activity.size.writes).toBe(0);
  });

  it('passes a failed write to its callers and goes on with the next one', async () => {
    const activity = new VisitorActivity();
    const failing = activity.coalesce('v1', () => Promise.reject(new Error('db down')));
    const next = activity.coalesce('v1', async () => {});
    await expect(failing).rejects.toThrow('db down');
    await expect(next).resolves.toBeUndefined();
  });

  it('sends a visitor row at once, then at most once per interval with the latest row; urgent rows go at once and drop a waiting one', async () => {
    vi.useFakeTimers();
    const activity = new VisitorActivity(1_000);
    const sent: string[] = [];
    const send = (row: string) => () => sent.push(row);
    activity.throttleUpdate('v1', send('page 1'));
    activity.throttleUpdate('v1', send('page 2'));
    activity.throttleUpdate('v1', send('page 3'));
    activity.throttleUpdate('v2', send('other'));
    expect(sent).toEqual(['page 1', 'other']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual(['page 1', 'other', 'page 3']);

    activity.throttleUpdate('v1', send('page 4'));
    activity.throttleUpdate('v1', send('offline'), { urgent: true });
    expect(sent.at(-1)).toBe('offline');
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sent).toEqual(['page 1', 'other', 'page 3', 'offline']); // page 4 never arrives after "offline"
    expect(activity.size.updates).toBe(0);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { VisitorActivity } from '../../../server/src/features/visitors/activity';
import type { VisitorsChangedView, VisitorView } from '../../../shared/schemas/visitors';

afterEach(() => vi.useRealTimers());

/** A write that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  return { done, open };
}

describe('VisitorActivity (#4)', () => {
  it('keeps one page-view write in flight per visitor; the newest waiting one replaces the others and answers for them', async () => {
    const activity = new VisitorActivity(() => {});
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
    const activity = new VisitorActivity(() => {});
    const failing = activity.coalesce('v1', () => Promise.reject(new Error('db down')));
    const next = activity.coalesce('v1', async () => {});
    await expect(failing).rejects.toThrow('db down');
    await expect(next).resolves.toBeUndefined();
  });

  it('puts a visitor row in the next frame at once, then at most once per interval with the latest row; urgent rows go at once and drop a waiting one', async () => {
    vi.useFakeTimers();
    const frames: VisitorsChangedView[] = [];
    const activity = new VisitorActivity((_account, frame) => frames.push(frame), { updateIntervalMs: 1_000, batchMs: 100 });
    const sent = () => frames.flatMap((f) => f.visitors.map((v) => `${v.id} ${v.currentUrl}`));
    activity.updateRow('a1', row('v1', 'page 1'));
    activity.updateRow('a1', row('v1', 'page 2'));
    activity.updateRow('a1', row('v1', 'page 3'));
    activity.updateRow('a1', row('v2', 'other'));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent()).toEqual(['v1 page 1', 'v2 other']);
    await vi.advanceTimersByTimeAsync(1_000 + 1); // the interval, then the turn the frame leaves on
    expect(sent()).toEqual(['v1 page 1', 'v2 other', 'v1 page 3']);

    activity.updateRow('a1', row('v1', 'page 4'));
    activity.updateRow('a1', row('v1', 'offline'), { urgent: true });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sent()).toEqual(['v1 page 1', 'v2 other', 'v1 page 3', 'v1 offline']); // page 4 never arrives after "offline"
    expect(activity.size).toEqual({ writes: 0, updates: 0, accounts: 0 });
  });

  it("sends an account's changes of one turn as one frame, then at most one frame per batch interval; accounts apart", async () => {
    vi.useFakeTimers();
    const frames: [string, VisitorsChangedView][] = [];
    const activity = new VisitorActivity((account, frame) => frames.push([account, frame]), { batchMs: 100 });
    for (let i = 0; i < 50; i++) activity.updateRow('a1', row(`v${i}`, 'landing'), { urgent: true });
    activity.updateRow('a1', row('v7', 'left'), { urgent: true }); // the same visitor again: the latest state, in its place
    activity.updateRow('a2', row('w1', 'elsewhere'), { urgent: true });
    expect(frames).toEqual([]); // nothing leaves within the turn that made the changes
    await vi.advanceTimersByTimeAsync(0);
    expect(frames.map(([account, f]) => [account, f.visitors.length])).toEqual([
      ['a1', 50],
      ['a2', 1],
    ]);
    expect(frames[0]![1].visitors.find((v) => v.id === 'v7')?.currentUrl).toBe('left');

    // Within the interval: held, one entry per visitor, a removal staying against a late row.
    activity.updateRow('a1', row('v1', 'second'), { urgent: true });
    activity.removeVisitor('a1', { visitorId: 'v2', conversationIds: ['c2'] });
    activity.updateRow('a1', row('v2', 'read before the delete'), { urgent: true });
    await vi.advanceTimersByTimeAsync(99);
    expect(frames).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(frames).toHaveLength(3);
    expect(frames[2]).toEqual([
      'a1',
      { visitors: [expect.objectContaining({ id: 'v1', currentUrl: 'second' })], removed: [{ visitorId: 'v2', conversationIds: ['c2'] }] },
    ]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(frames).toHaveLength(3); // a quiet account sends nothing
    expect(activity.size).toEqual({ writes: 0, updates: 0, accounts: 0 });
  });

  it('builds one grid per account for the requests arriving together, never one started before a request', async () => {
    const activity = new VisitorActivity(() => {});
    const builds: string[] = [];
    const first = gate();
    const build = (account: string, wait?: Promise<void>) => async () => {
      const n = builds.push(account);
      await wait;
      return [row(`${account}-${n}`, 'x')];
    };
    const a = activity.grid('a1', build('a1', first.done));
    // Asked while the first build runs: it may be older than them, so they share the next one.
    const waiting = Array.from({ length: 10 }, () => activity.grid('a1', build('a1')));
    const other = activity.grid('a2', build('a2'));
    expect((await other).map((v) => v.id)).toEqual(['a2-2']); // another account never shares a1's
    first.open();
    expect((await a).map((v) => v.id)).toEqual(['a1-1']);
    const answers = await Promise.all(waiting);
    expect(new Set(answers.map((list) => list[0]!.id))).toEqual(new Set(['a1-3']));
    expect(builds).toEqual(['a1', 'a2', 'a1']);
  });
});

function row(id: string, currentUrl: string): VisitorView {
  return { id, currentUrl } as VisitorView; // only the fields the batching reads (id) and the test checks
}

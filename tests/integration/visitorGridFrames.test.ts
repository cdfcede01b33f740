/**
 * #4, the reconnect storm: the visitors grid reaches operators in frames (`visitors:updated`, one
 * per account at most every VISITOR_BATCH_MS from a node, one entry per visitor), and the
 * operators of an account asking for the grid together share one build of it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VISITOR_BATCH_MS } from '../../server/src/features/visitors/activity';
import { findVisitorWithChat } from '../../server/src/features/visitors/repo';
import { announceVisitor } from '../../server/src/features/visitors/service';
import type { VisitorsChangedView, VisitorView } from '../../shared/schemas/visitors';
import { Harness, type OperatorClient, type TestServer } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every frame `socket` hears from now on, and every other event about visitors (there must be none). */
function frames(socket: OperatorClient) {
  const seen: { at: number; frame: VisitorsChangedView }[] = [];
  const stray: string[] = [];
  socket.on('visitors:updated', (frame) => seen.push({ at: Date.now(), frame }));
  socket.onAny((event: string) => {
    if (event.startsWith('visitor') && event !== 'visitors:updated') stray.push(event);
  });
  return { seen, stray };
}

async function visitorsOf(server: TestServer, accountId: string, n: number) {
  return Promise.all(Array.from({ length: n }, () => h.connectVisitor(server, accountId)));
}

describe('visitors grid in frames (#4)', () => {
  it("sends an account's changes of one turn as one frame to each of its operators, latest state per visitor, nothing to other accounts", async () => {
    const server = await h.server();
    const a = await h.operator(server);
    const secondTab = await h.connectOperator(server, a.token);
    const b = await h.operator(server, { account: 'Other' });
    const visitors = await visitorsOf(server, a.account.id, 12);
    await sleep(VISITOR_BATCH_MS * 3); // the connects' frames are out; the account is quiet again
    const atA = [frames(a.socket), frames(secondTab)];
    const atB = frames(b.socket);

    // Twelve rows change in one turn of the event loop, and the first visitor twice: online, then gone.
    const { ctx } = server.app;
    const rows = await Promise.all(visitors.map((v) => findVisitorWithChat(ctx.db, a.account.id, v.session.visitorId)));
    rows.forEach((row) => announceVisitor(ctx, a.account.id, row!, true));
    announceVisitor(ctx, a.account.id, rows[0]!, false);
    await sleep(VISITOR_BATCH_MS * 3);

    for (const { seen, stray } of atA) {
      expect(seen).toHaveLength(1);
      const { visitors: sent, removed } = seen[0]!.frame;
      expect(removed).toEqual([]);
      expect(sent.map((v) => v.id).sort()).toEqual(visitors.map((v) => v.session.visitorId).sort());
      const byId = new Map<string, VisitorView>(sent.map((v) => [v.id, v]));
      expect(byId.get(visitors[0]!.session.visitorId)!.online).toBe(false);
      expect(sent.filter((v) => !v.online)).toHaveLength(1);
      expect(stray).toEqual([]);
    }
    expect(atB.seen).toEqual([]);
    expect(atB.stray).toEqual([]);
  });

  it('many visitors connecting at once: far fewer frames than visitors, at most one per interval, every visitor in them', async () => {
    const server = await h.server();
    const a = await h.operator(server);
    const b = await h.operator(server, { account: 'Other' });
    const atA = frames(a.socket);
    const atB = frames(b.socket);
    const started = Date.now();
    const visitors = await visitorsOf(server, a.account.id, 40);
    const ids = new Set(visitors.map((v) => v.session.visitorId));
    await vi.waitFor(() => expect(new Set(atA.seen.flatMap((s) => s.frame.visitors.map((v) => v.id)))).toEqual(ids), { timeout: 5_000 });
    const elapsed = atA.seen.at(-1)!.at - started;

    console.info(`40 visitors connected: ${atA.seen.length} frames in ${elapsed} ms`);
    expect(atA.seen.length).toBeLessThan(visitors.length / 2);
    // The first frame leaves at once, the next ones at least an interval apart (counted where they were sent:
    // on arrival, two frames may come closer together).
    expect(atA.seen.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / VISITOR_BATCH_MS));
    expect(atA.seen.flatMap((s) => s.frame.visitors).every((v) => v.online)).toBe(true);
    expect(atA.stray).toEqual([]);
    expect(atB.seen).toEqual([]);
  });
});

describe('visitor:list, the grid after a reconnect (#4)', () => {
  it("builds the list once for the requests of an account's operators arriving together, each account its own, never older than the request", async () => {
    const server = await h.server();
    const a = await h.operator(server);
    const colleague = await h.colleague(server, a.account.id);
    const tabs = [a.socket, colleague.socket, ...(await Promise.all([h.connectOperator(server, a.token), h.connectOperator(server, colleague.token)]))];
    const b = await h.operator(server, { account: 'Other' });
    const early = await visitorsOf(server, a.account.id, 5);
    const theirs = await visitorsOf(server, b.account.id, 3);

    // Count the builds; the first build of account A, once done, waits until the test lets it answer.
    const { visitorActivity } = server.app.ctx;
    const grid = visitorActivity.grid.bind(visitorActivity);
    const builds: string[] = [];
    let asked = 0;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    vi.spyOn(visitorActivity, 'grid').mockImplementation((accountId, build) => {
      asked++;
      return grid(accountId, async () => {
        builds.push(accountId);
        const list = await build();
        if (builds.length === 1) await held;
        return list;
      });
    });

    const first = a.socket.emitWithAck('visitor:list', {});
    await vi.waitFor(() => expect(builds).toHaveLength(1));
    // A visitor arrives after the first build read the list: the requests made after it must see them.
    const late = await h.connectVisitor(server, a.account.id);
    const rest = tabs.flatMap((tab) => [tab.emitWithAck('visitor:list', {}), tab.emitWithAck('visitor:list', {})]);
    const other = b.socket.emitWithAck('visitor:list', {});
    await vi.waitFor(() => expect(asked).toBe(1 + rest.length + 1));
    release();

    const ids = (res: Awaited<typeof first>) => (res.ok ? res.data.map((v) => v.id).sort() : res.error.code);
    const aIds = early.map((v) => v.session.visitorId);
    expect(ids(await first)).toEqual([...aIds].sort());
    for (const res of await Promise.all(rest)) expect(ids(res)).toEqual([...aIds, late.session.visitorId].sort());
    expect(ids(await other)).toEqual(theirs.map((v) => v.session.visitorId).sort());
    // 9 requests of account A: the first, then one build for the eight that came while it ran; B's apart.
    expect(builds.filter((id) => id === a.account.id)).toHaveLength(2);
    expect(builds.filter((id) => id === b.account.id)).toHaveLength(1);
  });
});

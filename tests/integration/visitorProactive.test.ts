/**
 * Visitors, #6: navigation history (P6) — stored, bounded, scoped, live to the panels showing it;
 * invitations (P4) — by an operator from the grid, accepted (a chat assigned to them, their
 * message first) or dismissed (remembered for the visit), and by the account's automatic rules
 * (URL pattern, pages viewed, returning visitor, seconds on the page); a chat started from the
 * grid; and none of it reaches another account's visitors.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { pageViews, visitors } from '../../server/src/db/schema/index';
import { PAGE_HISTORY_LIMIT } from '../../shared/schemas/visitors';
import { urlMatcher, urlPatternProblem } from '../../shared/urlPattern';
import { api, collect, Harness, newClientId, waitFor, waitForRow, type ErrorBody, type TestServer, type VisitorClient } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

const view = (socket: VisitorClient, url: string, title = `Title of ${url}`) => socket.emitWithAck('page:view', { url, title });

async function rule(server: TestServer, token: string, body: Record<string, unknown>) {
  const res = await api<{ id: string }>(server.url, 'POST', '/api/invitation-rules', { name: 'Rule', message: 'Hello from the rule', ...body }, token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('URL patterns of invitation rules (P4)', () => {
  it('matches a substring without *, a glob with it, case-insensitively, and refuses what cannot work', () => {
    expect(urlMatcher('/pricing')('https://shop.example.com/Pricing?plan=pro')).toBe(true);
    expect(urlMatcher('/pricing')('https://shop.example.com/about')).toBe(false);
    const glob = urlMatcher('https://shop.example.com/*/checkout*');
    expect(glob('https://shop.example.com/eu/checkout')).toBe(true);
    expect(glob('https://shop.example.com/eu/de/checkout?step=2')).toBe(true);
    expect(glob('https://shop.example.com/checkout')).toBe(false);
    expect(glob('https://evil.example/https://shop.example.com/x/checkout')).toBe(false);
    expect(urlMatcher('*cart*')('https://a.example/my-cart/')).toBe(true);
    expect(urlMatcher('a*a')('a')).toBe(false);
    expect(urlPatternProblem('/pricing')).toBeNull();
    expect(urlPatternProblem('has space')).toMatch(/no spaces/);
    expect(urlPatternProblem('**')).toMatch(/every page/);
    expect(urlPatternProblem('x'.repeat(501))).toMatch(/At most 500/);
  });
});

describe('navigation history (P6)', () => {
  it('keeps every page with its time on the page, newest first, bounded, and only for the account', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const { socket, session } = await h.connectVisitor(server, op.account.id);
    const { db } = server.app.ctx;
    // Many pages of earlier visits, stored directly (the page-view rate limit would take minutes).
    await db.insert(pageViews).values(
      Array.from({ length: PAGE_HISTORY_LIMIT + 20 }, (_, i) => ({
        accountId: op.account.id,
        visitorId: session.visitorId,
        url: `https://shop.example/old/${i}`,
        title: `Old ${i}`,
        createdAt: new Date(Date.now() - 86_400_000 + i * 1000),
        leftAt: new Date(Date.now() - 86_400_000 + i * 1000 + 500),
      })),
    );
    await view(socket, 'https://shop.example/');
    await view(socket, 'https://shop.example/pricing', 'Pricing');

    const res = await op.socket.emitWithAck('visitor:history', { visitorId: session.visitorId });
    if (!res.ok) throw new Error(res.error.message);
    expect(res.data).toHaveLength(PAGE_HISTORY_LIMIT);
    const [current, previous, older] = res.data;
    expect(current).toMatchObject({ url: 'https://shop.example/pricing', title: 'Pricing', leftAt: null });
    // The page before ended when the next one began: its time on the page is known.
    expect(previous).toMatchObject({ url: 'https://shop.example/' });
    expect(previous!.leftAt).not.toBeNull();
    expect(Date.parse(previous!.leftAt!)).toBeGreaterThanOrEqual(Date.parse(previous!.at));
    expect(older!.url).toBe(`https://shop.example/old/${PAGE_HISTORY_LIMIT + 19}`);
    // The oldest were pruned from the table itself, not only from the answer.
    const [{ count }] = (await db
      .select({ count: sql<number>`count(*)::int` })
      .from(pageViews)
      .where(eq(pageViews.visitorId, session.visitorId))) as [{ count: number }];
    expect(count).toBe(PAGE_HISTORY_LIMIT);

    // Another account's operator learns nothing, not even that the visitor exists.
    const b = await h.operator(server, { account: 'B' });
    expect(await b.socket.emitWithAck('visitor:history', { visitorId: session.visitorId })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // Leaving closes the current page: its time on the page is kept.
    socket.disconnect();
    await expect.poll(async () => (await db.select().from(pageViews).where(eq(pageViews.url, 'https://shop.example/pricing')))[0]?.leftAt).not.toBeNull();
  });

  it('sends the next pages live to the panels showing the history, and stops after visitor:unwatch', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const colleague = await h.colleague(server, op.account.id);
    const { socket, session } = await h.connectVisitor(server, op.account.id);
    await view(socket, 'https://shop.example/');
    const watched = await op.socket.emitWithAck('visitor:history', { visitorId: session.visitorId });
    expect(watched.ok && watched.data.map((p) => p.url)).toEqual(['https://shop.example/']);
    const elsewhere = collect(colleague.socket, 'visitor:paged');

    const paged = waitFor(op.socket, 'visitor:paged');
    await view(socket, 'https://shop.example/cart', 'Cart');
    expect(await paged).toMatchObject({ visitorId: session.visitorId, page: { url: 'https://shop.example/cart', title: 'Cart', leftAt: null } });
    // Only the panels that asked: not every operator of the account per page view.
    expect(elsewhere).toEqual([]);

    expect(await op.socket.emitWithAck('visitor:unwatch', { visitorId: session.visitorId })).toEqual({ ok: true, data: null });
    const after = collect(op.socket, 'visitor:paged');
    const row = waitForRow(op.socket, (v) => v.currentUrl === 'https://shop.example/checkout', 3000);
    await view(socket, 'https://shop.example/checkout');
    await row; // the grid heard of it: the page was stored
    expect(after).toEqual([]);
  });
});

describe('invitations by an operator (P4)', () => {
  it('opens the widget with the operator’s message; accepting starts a chat assigned to them, their message first, in every tab', async () => {
    const server = await h.server();
    const op = await h.operator(server, { name: 'Olivia' });
    const tab = await h.connectVisitor(server, op.account.id);
    const otherTab = await h.connectVisitor(server, op.account.id, tab.session.visitorToken);
    const visitorId = tab.session.visitorId;

    const received = waitFor(tab.socket, 'invitation:received');
    const blue = waitForRow(op.socket, (v) => v.id === visitorId && v.invited);
    const sent = await op.socket.emitWithAck('visitor:invite', { visitorId, message: 'Hi! Need a hand?' });
    if (!sent.ok) throw new Error(sent.error.message);
    expect(await received).toEqual({ id: sent.data.id, senderName: 'Olivia', message: 'Hi! Need a hand?', createdAt: expect.any(String) });
    expect(await blue).toMatchObject({ invited: true, invitation: 'pending', state: 'browsing' });
    // A tab opened while it waits shows it too.
    const late = await h.connectVisitor(server, op.account.id, tab.session.visitorToken);
    expect(late.session.invitation?.id).toBe(sent.data.id);

    const opened = waitFor(otherTab.socket, 'chat:opened');
    const closed = waitFor(otherTab.socket, 'invitation:closed');
    const mine = waitFor(op.socket, 'message:sent', (m) => m.author === 'operator');
    const clientId = newClientId();
    const accepted = await tab.socket.emitWithAck('invitation:accept', { invitationId: sent.data.id, clientId });
    if (!accepted.ok) throw new Error(accepted.error.message);
    expect(accepted.data.conversation).toMatchObject({ status: 'active', operatorName: 'Olivia', operatorPresent: true });
    expect(accepted.data.messages).toEqual([expect.objectContaining({ seq: 1, author: 'operator', authorName: 'Olivia', body: 'Hi! Need a hand?' })]);
    expect((await opened).conversation.id).toBe(accepted.data.conversation.id);
    expect(await closed).toEqual({ invitationId: sent.data.id });
    expect((await mine).conversationId).toBe(accepted.data.conversation.id);

    // Assigned to the operator who invited: it is in their list as theirs, and the visitor's reply reaches them.
    const list = await op.socket.emitWithAck('chat:list', {});
    expect(list.ok && list.data).toEqual([expect.objectContaining({ id: accepted.data.conversation.id, status: 'active', operatorId: op.admin.id })]);
    const reply = waitFor(op.socket, 'message:sent', (m) => m.author === 'visitor');
    await tab.socket.emitWithAck('message:send', { conversationId: accepted.data.conversation.id, clientId: newClientId(), body: 'Yes please' });
    expect((await reply).body).toBe('Yes please');

    // Accepting again (a retry, or the other tab) answers the same chat; nothing is stored twice.
    const again = await tab.socket.emitWithAck('invitation:accept', { invitationId: sent.data.id, clientId });
    expect(again.ok && again.data.conversation.id).toBe(accepted.data.conversation.id);
    const fromOther = await otherTab.socket.emitWithAck('invitation:accept', { invitationId: sent.data.id, clientId: newClientId() });
    expect(fromOther.ok && fromOther.data.conversation.id).toBe(accepted.data.conversation.id);
    // In a chat now: no invitation can be made.
    expect(await op.socket.emitWithAck('visitor:invite', { visitorId, message: 'Hello?' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('remembers "No thanks" for the visit: the row says so, the invitation can’t be accepted, rules don’t ask again, an operator still may', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    await rule(server, op.token, { urlPattern: '/pricing' });
    const { socket, session } = await h.connectVisitor(server, op.account.id);
    const visitorId = session.visitorId;
    const sent = await op.socket.emitWithAck('visitor:invite', { visitorId, message: 'Hi!' });
    if (!sent.ok) throw new Error(sent.error.message);

    const row = waitForRow(op.socket, (v) => v.id === visitorId && v.invitation === 'dismissed');
    expect(await socket.emitWithAck('invitation:dismiss', { invitationId: sent.data.id })).toEqual({ ok: true, data: null });
    expect(await row).toMatchObject({ invited: false, invitation: 'dismissed' });
    expect(await socket.emitWithAck('invitation:accept', { invitationId: sent.data.id, clientId: newClientId() })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    // Dismissing twice is fine; a rule that matches now does not invite in this visit.
    expect(await socket.emitWithAck('invitation:dismiss', { invitationId: sent.data.id })).toEqual({ ok: true, data: null });
    const invitations = collect(socket, 'invitation:received');
    await view(socket, 'https://shop.example/pricing');
    await new Promise((r) => setTimeout(r, 300));
    expect(invitations).toEqual([]);

    // The operator sees the refusal and may still ask again, on purpose.
    const again = waitFor(socket, 'invitation:received');
    expect((await op.socket.emitWithAck('visitor:invite', { visitorId, message: 'Sure? We have a discount today.' })).ok).toBe(true);
    expect((await again).message).toBe('Sure? We have a discount today.');
  });

  it('refuses to invite or start a chat with another account’s visitor, or one who left', async () => {
    const server = await h.server();
    const a = await h.operator(server, { account: 'A' });
    const b = await h.operator(server, { account: 'B' });
    const { socket, session } = await h.connectVisitor(server, a.account.id);
    const seen = collect(socket, 'invitation:received');
    expect(await b.socket.emitWithAck('visitor:invite', { visitorId: session.visitorId, message: 'Hi from B' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await b.socket.emitWithAck('chat:open', { visitorId: session.visitorId, clientId: newClientId(), body: 'Hi from B' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const invitation = await a.socket.emitWithAck('visitor:invite', { visitorId: session.visitorId, message: 'Hi from A' });
    if (!invitation.ok) throw new Error(invitation.error.message);
    // Another visitor of the same account can't answer it.
    const other = await h.connectVisitor(server, a.account.id);
    expect(await other.socket.emitWithAck('invitation:accept', { invitationId: invitation.data.id, clientId: newClientId() })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await other.socket.emitWithAck('invitation:dismiss', { invitationId: invitation.data.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await expect.poll(() => seen.map((i) => i.message)).toEqual(['Hi from A']);

    socket.disconnect();
    await expect.poll(async () => (await a.socket.emitWithAck('visitor:invite', { visitorId: session.visitorId, message: 'Still there?' })).ok).toBe(false);
  });
});

describe('a chat started from the grid (P4)', () => {
  it('is the operator’s at once, and the visitor’s widget opens with their message', async () => {
    const server = await h.server();
    const op = await h.operator(server, { name: 'Olivia' });
    const { socket, session } = await h.connectVisitor(server, op.account.id);
    const opened = waitFor(socket, 'chat:opened');
    const clientId = newClientId();
    const res = await op.socket.emitWithAck('chat:open', { visitorId: session.visitorId, clientId, body: 'Hi, I’m Olivia. Can I help?' });
    if (!res.ok) throw new Error(res.error.message);
    expect(res.data.conversation).toMatchObject({ status: 'active', operatorId: op.admin.id, operatorName: 'Olivia', visitorId: session.visitorId });
    expect(res.data.messages).toEqual([expect.objectContaining({ author: 'operator', body: 'Hi, I’m Olivia. Can I help?' })]);
    const got = await opened;
    expect(got.conversation).toMatchObject({ id: res.data.conversation.id, status: 'active', operatorName: 'Olivia' });
    expect(got.messages.map((m) => m.body)).toEqual(['Hi, I’m Olivia. Can I help?']);
    // A retry is the same chat; a second chat while this one is open is a conflict.
    const again = await op.socket.emitWithAck('chat:open', { visitorId: session.visitorId, clientId, body: 'Hi again' });
    expect(again.ok && again.data.conversation.id).toBe(res.data.conversation.id);
    expect(await op.socket.emitWithAck('chat:open', { visitorId: session.visitorId, clientId: newClientId(), body: 'Hi again' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    // The visitor's next connect carries the chat (a reload keeps it).
    const reload = await h.connectVisitor(server, op.account.id, session.visitorToken);
    expect(reload.session.chat?.conversation.id).toBe(res.data.conversation.id);
  });
});

describe('automatic invitation rules (P4)', () => {
  it('invite by URL pattern and pages viewed, in the account’s name, once per visit, only while an operator is online', async () => {
    const server = await h.server();
    const op = await h.operator(server, { account: 'Acme Rockets' });
    await rule(server, op.token, { name: 'Checkout', urlPattern: 'https://shop.example/*/checkout', message: 'Questions about checkout?' });
    await rule(server, op.token, { name: 'Browsers', minPagesViewed: 3, message: 'Looking for something?' });
    const { socket, session } = await h.connectVisitor(server, op.account.id);
    const got = collect(socket, 'invitation:received');

    await view(socket, 'https://shop.example/');
    await view(socket, 'https://shop.example/checkout'); // not the glob's: no region in the path
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual([]);
    const invited = waitFor(socket, 'invitation:received');
    const blue = waitForRow(op.socket, (v) => v.id === session.visitorId && v.invited);
    await view(socket, 'https://shop.example/eu/checkout'); // the glob's, and the third page: the first rule that holds wins
    expect(await invited).toMatchObject({ senderName: 'Acme Rockets', message: 'Questions about checkout?' });
    expect((await blue).invitation).toBe('pending');
    await view(socket, 'https://shop.example/eu/checkout?step=2');
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toHaveLength(1);

    // Accepting a rule's invitation: a waiting chat (routing takes it), the rule's message first.
    const accepted = await socket.emitWithAck('invitation:accept', { invitationId: got[0]!.id, clientId: newClientId() });
    expect(accepted.ok && accepted.data.conversation.status).toBe('waiting');
    expect(accepted.ok && accepted.data.messages[0]).toMatchObject({ author: 'operator', authorName: 'Acme Rockets', body: 'Questions about checkout?' });

    // Nobody online: nobody is invited.
    const alone = await h.server();
    const admin = await h.account(alone, { account: 'Nobody home' });
    const login = await api<{ token: string }>(alone.url, 'POST', '/api/auth/login', { email: admin.email, password: admin.password });
    await rule(alone, login.body.token, { message: 'Hi' });
    const lonely = await h.connectVisitor(alone, admin.account.id);
    const none = collect(lonely.socket, 'invitation:received');
    await view(lonely.socket, 'https://shop.example/');
    await new Promise((r) => setTimeout(r, 300));
    expect(none).toEqual([]);
  });

  it('invite returning visitors only, after their seconds on the page, and never after they moved on', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    await rule(server, op.token, { returning: true, secondsOnPage: 1, message: 'Welcome back!' });
    const { socket, session } = await h.connectVisitor(server, op.account.id);
    const got = collect(socket, 'invitation:received');
    await view(socket, 'https://shop.example/');
    await new Promise((r) => setTimeout(r, 1300));
    expect(got).toEqual([]); // a first visit

    // Their second visit (as the visit gap would make it).
    await server.app.ctx.db
      .update(visitors)
      .set({ visits: 2 })
      .where(and(eq(visitors.id, session.visitorId), eq(visitors.accountId, op.account.id)));
    const started = Date.now();
    await view(socket, 'https://shop.example/a');
    // Moving on within the second restarts the wait on the new page.
    await new Promise((r) => setTimeout(r, 500));
    await view(socket, 'https://shop.example/b');
    const invitation = await waitFor(socket, 'invitation:received', () => true, 4000);
    expect(invitation.message).toBe('Welcome back!');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(got).toHaveLength(1);
  });

  it('are admins’ to edit, with every field checked (the URL pattern too)', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const bad = await api<ErrorBody>(server.url, 'POST', '/api/invitation-rules', { name: 'Bad', message: 'Hi', urlPattern: 'has space' }, op.token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues?.map((i) => i.message)).toContain('An address has no spaces');
    const made = await rule(server, op.token, { name: 'Pricing', urlPattern: '/pricing', secondsOnPage: 30 });
    const updated = await api<{ enabled: boolean; urlPattern: string | null }>(
      server.url,
      'PATCH',
      `/api/invitation-rules/${made.id}`,
      { enabled: false, urlPattern: '' },
      op.token,
    );
    expect(updated.body).toMatchObject({ enabled: false, urlPattern: null });
    const listed = await api<unknown[]>(server.url, 'GET', '/api/invitation-rules', undefined, op.token);
    expect(listed.body).toHaveLength(1);
    const colleague = await h.colleague(server, op.account.id);
    expect((await api(server.url, 'GET', '/api/invitation-rules', undefined, colleague.token)).status).toBe(403);
    expect((await api(server.url, 'DELETE', `/api/invitation-rules/${made.id}`, undefined, op.token)).status).toBe(204);
  });

  it('of a department invite only while someone of it can answer, and their chats wait in its queue (A1)', async () => {
    const server = await h.server();
    const op = await h.operator(server, { account: 'Acme Rockets' });
    const bob = await h.colleague(server, op.account.id, 'Bob');
    const department = async (token: string, name: string, operatorIds: string[]) => {
      const made = await api<{ id: string }>(server.url, 'POST', '/api/departments', { name }, token);
      expect(made.status).toBe(201);
      expect((await api(server.url, 'PATCH', `/api/departments/${made.body.id}`, { operatorIds }, token)).status).toBe(200);
      return made.body.id;
    };
    const billing = await department(op.token, 'Billing', [bob.operator.id]);
    // Another account's department is not one a rule of this account may send chats to.
    const other = await h.operator(server, { account: 'Other' });
    const theirs = await department(other.token, 'Theirs', []);
    const refused = await api<ErrorBody>(server.url, 'POST', '/api/invitation-rules', { name: 'R', message: 'Hi', departmentId: theirs }, op.token);
    expect(refused.status).toBe(404);
    await rule(server, op.token, { departmentId: billing, message: 'Billing questions?' });

    // Bob, Billing's only operator, is away: the admin online elsewhere doesn't make it answerable.
    expect(await bob.socket.emitWithAck('status:set', { status: 'away' })).toMatchObject({ ok: true });
    const { socket } = await h.connectVisitor(server, op.account.id);
    const got = collect(socket, 'invitation:received');
    await view(socket, 'https://shop.example/');
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual([]);

    expect(await bob.socket.emitWithAck('status:set', { status: 'online' })).toMatchObject({ ok: true });
    const invited = waitFor(socket, 'invitation:received');
    await view(socket, 'https://shop.example/invoices');
    const invitation = await invited;
    expect(invitation.message).toBe('Billing questions?');
    const requested = waitFor(bob.socket, 'chat:requested');
    const accepted = await socket.emitWithAck('invitation:accept', { invitationId: invitation.id, clientId: newClientId() });
    expect(accepted.ok && accepted.data.conversation.status).toBe('waiting');
    expect(await requested).toMatchObject({ status: 'waiting', departmentId: billing });
  });
});

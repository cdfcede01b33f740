/**
 * P3, P5: the colour of a visitor and of a chat (every state, idle and blue included), how long a
 * visitor has waited, unread counts and the toolbar badge (waiting chats plus my chats with unread
 * messages, kept by the background also while no panel is open), and the alert sounds.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { visitorState, withIdle } from '@@/shared/visitorState';
import { VISITOR_STATES } from '@@/shared/schemas/visitors';
import { createHub } from '@/background/domains';
import { createBrowserAlerts, BADGE_UNREAD_COLOUR, BADGE_WAITING_COLOUR } from '@/background/alerts';
import type { ChatAlerts } from '@/background/chats';
import { badgeCounts, blueMark, chatAttention, hasUnread, unreadCount, waitingSince } from '@/utils/attention';
import { createPortPair } from '@/utils/protocol';
import type { Session } from '@/utils/session';
import type { SoundName } from '@/utils/sounds';
import { conversation, FakeSocket, flush, message } from './fakes';

const MIN = 60_000;
/** '#b45309' → [180, 83, 9, 255], as the badge API reads a colour back. */
const rgba = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).concat(255);
const now = Date.parse('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('visitor colour state (P3)', () => {
  it('gives every state its rule: gray, red, yellow, green, blue (chatted before or invited)', () => {
    const none = { status: null, lastAuthor: null, hasChattedBefore: false } as const;
    expect(visitorState(none)).toBe('browsing');
    expect(visitorState({ ...none, status: 'waiting', lastAuthor: 'visitor' })).toBe('waiting');
    expect(visitorState({ ...none, status: 'active', lastAuthor: 'visitor' })).toBe('needs_reply');
    expect(visitorState({ ...none, status: 'active', lastAuthor: 'operator' })).toBe('replied');
    expect(visitorState({ ...none, hasChattedBefore: true })).toBe('chatted');
    expect(visitorState({ ...none, invited: true })).toBe('chatted');
    expect(visitorState({ ...none, status: 'closed', lastAuthor: 'operator' })).toBe('chatted');
    // An invited visitor who is chatting shows the chat's state.
    expect(visitorState({ ...none, status: 'active', lastAuthor: 'visitor', invited: true })).toBe('needs_reply');
    expect(VISITOR_STATES).toContain('idle');
  });

  it('turns idle after the idle time without input, but never while someone waits for us', () => {
    for (const state of ['replied', 'browsing', 'chatted'] as const) {
      expect(withIdle(state, ago(5 * MIN), now, 5 * MIN), state).toBe('idle');
      expect(withIdle(state, ago(5 * MIN - 1000), now, 5 * MIN), state).toBe(state);
    }
    for (const state of ['waiting', 'needs_reply'] as const) expect(withIdle(state, ago(60 * MIN), now, 5 * MIN)).toBe(state);
    expect(withIdle('replied', null, now, 5 * MIN)).toBe('replied');
    expect(withIdle('replied', now - 10 * MIN, now, 5 * MIN)).toBe('idle');
  });
});

describe('chat colour state (P3)', () => {
  const clock = (lastInputAt?: number) => ({ now, idleAfterMs: 5 * MIN, lastInputAt });

  it('is red, yellow, green, idle or closed', () => {
    expect(chatAttention(conversation({ status: 'waiting', lastMessageAt: ago(20 * MIN) }), clock())).toBe('waiting');
    expect(chatAttention(conversation({ status: 'active', lastAuthor: 'visitor', lastMessageAt: ago(20 * MIN) }), clock())).toBe('needs_reply');
    expect(chatAttention(conversation({ status: 'active', lastAuthor: 'operator', lastMessageAt: ago(MIN) }), clock())).toBe('replied');
    expect(chatAttention(conversation({ status: 'active', lastAuthor: 'operator', lastMessageAt: ago(6 * MIN) }), clock())).toBe('idle');
    expect(chatAttention(conversation({ status: 'closed', lastAuthor: 'operator', lastMessageAt: ago(60 * MIN) }), clock())).toBe('closed');
    // Without the clock (the background), idle is never guessed.
    expect(chatAttention(conversation({ status: 'active', lastAuthor: 'operator', lastMessageAt: ago(60 * MIN) }))).toBe('replied');
  });

  it('is not idle while the visitor types, even long after the last message', () => {
    const c = conversation({ status: 'active', lastAuthor: 'operator', lastMessageAt: ago(30 * MIN) });
    expect(chatAttention(c, clock(now - 10_000))).toBe('replied');
    expect(chatAttention(c, clock(now - 6 * MIN))).toBe('idle');
  });

  it('marks an invited chat or a returning visitor blue beside the name', () => {
    expect(blueMark(conversation({ invited: true, returningVisitor: true }))).toBe('invited');
    expect(blueMark(conversation({ returningVisitor: true }))).toBe('returning');
    expect(blueMark(conversation())).toBeNull();
  });

  it('says since when the visitor waits: to be accepted, or for an answer since their first unanswered message', () => {
    const waiting = conversation({ status: 'waiting', createdAt: ago(3 * MIN) });
    expect(waitingSince(waiting)).toBe(ago(3 * MIN));
    const c = conversation({ status: 'active', lastAuthor: 'visitor', lastMessageAt: ago(MIN) });
    const msgs = [
      { author: 'visitor' as const, seq: 1, createdAt: ago(9 * MIN) },
      { author: 'operator' as const, seq: 2, createdAt: ago(8 * MIN) },
      { author: 'visitor' as const, seq: 3, createdAt: ago(4 * MIN) },
      { author: 'system' as const, seq: 4, createdAt: ago(3 * MIN) },
      { author: 'visitor' as const, seq: 5, createdAt: ago(MIN) },
    ];
    expect(waitingSince(c, msgs)).toBe(ago(4 * MIN));
    expect(waitingSince(c)).toBe(ago(MIN));
    expect(waitingSince(conversation({ status: 'active', lastAuthor: 'operator' }), msgs)).toBeNull();
  });
});

describe('unread and the badge count (P5)', () => {
  it("counts the visitor's messages past the read position", () => {
    const msgs: { author: 'visitor' | 'operator'; seq: number | null; createdAt: string }[] = [1, 2, 3].map((seq) => ({
      author: 'visitor',
      seq,
      createdAt: ago(0),
    }));
    msgs.push({ author: 'operator', seq: 4, createdAt: ago(0) });
    expect(unreadCount(msgs, 0)).toBe(3);
    expect(unreadCount(msgs, 2)).toBe(1);
    expect(unreadCount([...msgs, { author: 'visitor', seq: null, createdAt: ago(0) }], 4)).toBe(0);
  });

  it('counts waiting chats plus my chats with unread messages, not colleagues’ chats', () => {
    const list = [
      conversation({ status: 'waiting' }),
      conversation({ status: 'waiting' }),
      conversation({ status: 'active', operatorId: 'op-1', lastAuthor: 'visitor', lastSeq: 4, operatorReadSeq: 2 }),
      conversation({ status: 'active', operatorId: 'op-1', lastAuthor: 'visitor', lastSeq: 4, operatorReadSeq: 4 }),
      conversation({ status: 'active', operatorId: 'op-1', lastAuthor: 'operator', lastSeq: 6, operatorReadSeq: 2 }),
      conversation({ status: 'active', operatorId: 'op-2', lastAuthor: 'visitor', lastSeq: 4, operatorReadSeq: 0 }),
    ];
    expect(badgeCounts(list, 'op-1')).toEqual({ waiting: 2, unread: 1 });
    expect(badgeCounts(list, null)).toEqual({ waiting: 2, unread: 0 });
    // A note after the visitor's last (read) message is nothing to read.
    const noted = conversation({ status: 'active', operatorId: 'op-1', lastAuthor: 'visitor', lastSeq: 6, operatorReadSeq: 5 });
    expect(hasUnread(noted, 'op-1')).toBe(true);
    expect(hasUnread(noted, 'op-1', 5)).toBe(false);
  });
});

const session: Session = {
  serverUrl: 'http://localhost:3000',
  token: 'tok-1',
  operator: { id: 'op-1', accountId: 'acc-1', email: 'op@acme.test', name: 'Olga', role: 'admin' },
  account: { id: 'acc-1', name: 'Acme' },
};

describe('the background keeps the badge and plays the sounds (P5)', () => {
  beforeEach(() => fakeBrowser.reset());

  /** `me`: an operator's role and departments, as "View operators" lists them (admin of no department by default). */
  function setup(
    list: ReturnType<typeof conversation>[],
    me: { role: Session['operator']['role']; departmentIds: string[] } = { role: 'admin', departmentIds: [] },
  ) {
    const badges: { waiting: number; unread: number }[] = [];
    const sounds: SoundName[] = [];
    const alerts: ChatAlerts = {
      setWaitingCount: (waiting, _status, unread = 0) => badges.push({ waiting, unread }),
      newChat() {},
      newMessage() {},
      clearChat() {},
      sound: (name) => sounds.push(name),
    };
    const socket = new FakeSocket();
    const team = [{ id: session.operator.id, departmentIds: me.departmentIds }];
    socket.answer = (event) =>
      event === 'chat:list' ? { ok: true, data: list } : event === 'operator:list' ? { ok: true, data: team } : { ok: true, data: null };
    const hub = createHub({ createSocket: () => socket, alerts, onUnauthenticated() {} });
    hub.setSession({ ...session, operator: { ...session.operator, role: me.role } });
    socket.open();
    return { hub, socket, badges, sounds };
  }

  it('counts waiting chats and my unread chats while no panel is open, and drops a chat read on a panel', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1', lastAuthor: 'operator', lastSeq: 2, operatorReadSeq: 2 });
    const { hub, socket, badges } = setup([mine, conversation({ status: 'waiting' })]);
    await flush();
    expect(hub.badgeCounts).toEqual({ waiting: 1, unread: 0 });
    socket.serverEmit('message:sent', message(mine.id, 3));
    expect(hub.badgeCounts).toEqual({ waiting: 1, unread: 1 });
    expect(badges.at(-1)).toEqual({ waiting: 1, unread: 1 });
    // Read on a panel: the server tells every socket of mine.
    socket.serverEmit('read:updated', { conversationId: mine.id, operatorReadSeq: 3, visitorReadSeq: 0 });
    expect(badges.at(-1)).toEqual({ waiting: 1, unread: 0 });
    // An internal note after it is nothing to read; a chat:updated older than the read doesn't undo it.
    socket.serverEmit('message:sent', message(mine.id, 4, { author: 'system', body: 'note' }));
    socket.serverEmit('chat:updated', { ...mine, lastAuthor: 'visitor', lastSeq: 4, operatorReadSeq: 2 });
    expect(hub.badgeCounts).toEqual({ waiting: 1, unread: 0 });
  });

  it('chimes for a new waiting chat, and ticks for a message unless a focused panel shows its chat', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1' });
    const { hub, socket, sounds } = setup([mine]);
    await flush();
    socket.serverEmit('chat:requested', conversation({ status: 'waiting' }));
    socket.serverEmit('message:sent', message(mine.id, 2));
    expect(sounds).toEqual(['new-chat', 'new-message']);

    const [panelEnd, bgEnd] = createPortPair();
    hub.addPanel(bgEnd);
    panelEnd.postMessage({ type: 'focus', conversationId: mine.id, visible: true, focused: true });
    await flush();
    socket.serverEmit('message:sent', message(mine.id, 3));
    expect(sounds).toHaveLength(2);
    // Visible but the operator works in another window: the tick tells them.
    panelEnd.postMessage({ type: 'focus', conversationId: mine.id, visible: true, focused: false });
    await flush();
    socket.serverEmit('message:sent', message(mine.id, 4));
    expect(sounds).toEqual(['new-chat', 'new-message', 'new-message']);
  });

  it('counts and chimes only for waiting chats of my departments, until one escalates to everyone or I join its department (A1)', async () => {
    const { hub, socket, sounds } = setup([], { role: 'operator', departmentIds: ['dep-sales'] });
    await flush();
    const billing = conversation({ status: 'waiting', departmentId: 'dep-billing' });
    socket.serverEmit('chat:requested', billing);
    expect(hub.badgeCounts.waiting).toBe(0);
    expect(sounds).toEqual([]);
    socket.serverEmit('chat:requested', conversation({ status: 'waiting', departmentId: 'dep-sales' }));
    socket.serverEmit('chat:requested', conversation({ status: 'waiting', departmentId: null }));
    expect(hub.badgeCounts.waiting).toBe(2);
    expect(sounds).toEqual(['new-chat', 'new-chat']);
    // Waiting too long: escalated to every operator of the account.
    socket.serverEmit('chat:updated', { ...billing, escalationLevel: 2 });
    expect(hub.badgeCounts.waiting).toBe(3);
    socket.serverEmit('chat:updated', { ...billing, escalationLevel: 0 });
    expect(hub.badgeCounts.waiting).toBe(2);
    // An admin puts me in Billing too.
    socket.serverEmit('operator:updated', { id: session.operator.id, departmentIds: ['dep-sales', 'dep-billing'] } as never);
    expect(hub.badgeCounts.waiting).toBe(3);
  });

  it('shows waiting plus unread on the toolbar button, amber when only unread messages ask', async () => {
    const alerts = createBrowserAlerts({ play() {} });
    alerts.setWaitingCount(1, 'connected', 2);
    await flush();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('3');
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual(rgba(BADGE_WAITING_COLOUR));
    expect(await fakeBrowser.action.getTitle({})).toBe('Sidedesk — 1 chat waiting, 2 chats with unread messages');
    alerts.setWaitingCount(0, 'connected', 1);
    await flush();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual(rgba(BADGE_UNREAD_COLOUR));
  });
});

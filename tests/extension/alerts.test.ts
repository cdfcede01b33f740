import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { chatNotificationId, createBrowserAlerts, NEW_CHAT_NOTIFY_INTERVAL_MS, NEW_CHATS_NOTIFICATION_ID } from '@/background/alerts';
import { acceptFromNotificationItem } from '@/utils/notifications';
import { conversation } from './fakes';

// getAll() gives only ids (as in Chrome); getAllCreateOptions() also what each notification says.
const shown = async () => fakeBrowser.notifications.getAllCreateOptions();

describe('desktop notifications for new chats (#4)', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('shows the first new chat at once and sums up the next ones in one notification a few seconds later', async () => {
    const created = vi.spyOn(fakeBrowser.notifications, 'create');
    const alerts = createBrowserAlerts();
    const [first, ...rest] = ['Ann', 'Bob', 'Cy', 'Di'].map((name) => conversation({ visitorName: name }));
    alerts.newChat(first!);
    for (const c of rest) {
      await vi.advanceTimersByTimeAsync(200);
      alerts.newChat(c);
    }
    expect(Object.keys(await shown())).toEqual([chatNotificationId(first!.id)]);

    await vi.advanceTimersByTimeAsync(NEW_CHAT_NOTIFY_INTERVAL_MS);
    const all = await shown();
    expect(Object.keys(all).sort()).toEqual([chatNotificationId(first!.id), NEW_CHATS_NOTIFICATION_ID].sort());
    expect(all[NEW_CHATS_NOTIFICATION_ID]).toMatchObject({ title: '3 new chats', message: 'From Bob, Cy and Di' });
    expect(created).toHaveBeenCalledTimes(2);
    // A click on the summary opens the chat that has waited longest.
    expect(alerts.conversationOf(NEW_CHATS_NOTIFICATION_ID)).toBe(rest[0]!.id);

    // The summary is updated in place while some of its chats wait, and goes away once none does.
    // (fake-browser has no notifications.update: it throws unless mocked.)
    const updated = vi.spyOn(fakeBrowser.notifications, 'update').mockImplementation(() => {});
    for (const c of rest) alerts.clearChat(c.id);
    expect(updated).toHaveBeenCalledWith(NEW_CHATS_NOTIFICATION_ID, expect.objectContaining({ title: '2 new chats' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(Object.keys(await shown())).toEqual([chatNotificationId(first!.id)]);
  });

  it('raises no more than one notification per interval for a visitor starting and closing chats in a loop', async () => {
    const created = vi.spyOn(fakeBrowser.notifications, 'create');
    const alerts = createBrowserAlerts();
    // The loop: 164 chats in 5 s, each closed right after it started.
    for (let i = 0; i < 164; i++) {
      const c = conversation({ visitorName: 'Mallory' });
      alerts.newChat(c);
      await vi.advanceTimersByTimeAsync(15);
      alerts.clearChat(c.id);
      await vi.advanceTimersByTimeAsync(15);
    }
    await vi.advanceTimersByTimeAsync(NEW_CHAT_NOTIFY_INTERVAL_MS);
    expect(created.mock.calls.length).toBeLessThanOrEqual(Math.ceil((164 * 30) / NEW_CHAT_NOTIFY_INTERVAL_MS) + 1);
    expect(await shown()).toEqual({});
  });

  it('P12: an Accept button on a new chat, once the operator asks for it, and which chat it accepts', async () => {
    const alerts = createBrowserAlerts();
    const [ann, bob] = [conversation({ visitorName: 'Ann' }), conversation({ visitorName: 'Bob' })];
    alerts.newChat(ann);
    expect((await shown())[chatNotificationId(ann.id)]).not.toHaveProperty('buttons');

    await acceptFromNotificationItem.setValue(true);
    await vi.advanceTimersByTimeAsync(NEW_CHAT_NOTIFY_INTERVAL_MS);
    alerts.newChat(bob);
    expect((await shown())[chatNotificationId(bob.id)]).toMatchObject({ buttons: [{ title: 'Accept' }] });
    expect(alerts.acceptOf(chatNotificationId(bob.id), 0)).toBe(bob.id);
    // Only a new chat's notification has the button (not the summary, not a message's).
    expect(alerts.acceptOf(NEW_CHATS_NOTIFICATION_ID, 0)).toBeNull();
    expect(alerts.acceptOf(chatNotificationId(bob.id), 1)).toBeNull();
  });
});

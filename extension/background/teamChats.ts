/**
 * Internal chats in the background (W3, #7): like a visitor's message in one of my chats, a
 * colleague's message in an internal chat raises a desktop notification when no visible panel
 * shows that chat, plays the message sound when no focused panel does, and counts in the toolbar
 * badge while unread (also with the side panel closed). Panels report an internal chat they show
 * as `team:<id>` (stores/chats.ts reportFocus), which is also the id its notification carries, so
 * a click opens it.
 */
import type { TeamChatView, TeamMessageView } from '@@/shared/schemas/teamChats';
import type { SoundName } from '@/utils/sounds';
import type { BackgroundDomain, DomainContext } from './hub';

/** What a panel reports, and a notification carries, for an internal chat. */
export const teamChatKey = (id: string) => `team:${id}`;

export interface TeamChatAlerts {
  /** Optional: a background without notifications (tests) leaves it out. */
  newTeamMessage?(key: string, message: TeamMessageView): void;
  clearChat(key: string): void;
  sound?(name: SoundName): void;
}

export interface TeamChatsDomainOptions {
  alerts: TeamChatAlerts;
  /** Whether a (visible; with `focused`, focused) panel shows this key: the chats domain knows each panel's focus. */
  isShown(key: string, focused?: boolean): boolean;
  /** The unread count changed: the badge is redrawn. */
  onChange(): void;
}

export function createTeamChatsDomain(context: DomainContext, options: TeamChatsDomainOptions) {
  const { alerts } = options;
  const chats = new Map<string, TeamChatView>();
  const me = () => context.session()?.operator.id;
  const readBy = (c: TeamChatView, id: string | undefined) => c.members.find((m) => m.operatorId === id)?.readSeq ?? 0;

  function upsert(c: TeamChatView) {
    const prev = chats.get(c.id);
    // Read positions and the last seq only move forward (events may cross).
    chats.set(c.id, {
      ...c,
      lastSeq: Math.max(c.lastSeq, prev?.lastSeq ?? 0),
      members: c.members.map((m) => ({ ...m, readSeq: Math.max(m.readSeq, prev ? readBy(prev, m.operatorId) : 0) })),
    });
    const now = chats.get(c.id)!;
    if (readBy(now, me()) >= now.lastSeq) alerts.clearChat(teamChatKey(c.id));
    options.onChange();
  }

  const domain = {
    events: {
      'teamchat:sent': ({ chat, message }) => {
        upsert(chat);
        if (message.operatorId === me()) return;
        const key = teamChatKey(chat.id);
        if (!options.isShown(key)) alerts.newTeamMessage?.(key, message);
        if (!options.isShown(key, true)) alerts.sound?.('new-message');
      },
      'teamchat:updated': upsert,
    },
    async onConnected(conn) {
      const res = await conn.request('teamchat:list', {});
      if (!res.ok || !conn.current()) return;
      chats.clear();
      for (const c of res.data as TeamChatView[]) chats.set(c.id, c);
      options.onChange();
    },
    onSessionEnd() {
      chats.clear();
      options.onChange();
    },
  } satisfies BackgroundDomain;

  return {
    ...domain,
    /** Internal chats with a colleague's message I have not read. */
    unreadChats() {
      const id = me();
      let n = 0;
      for (const c of chats.values()) if (c.lastSeq > readBy(c, id)) n++;
      return n;
    },
  };
}

/**
 * Internal chats in the background (W3, #7), with the side panel closed or showing another chat:
 * a colleague's message counts in the badge until read, raises a notification unless a visible
 * panel shows that chat and the sound unless a focused one does; my own messages do neither; the
 * list fetched on connect counts what arrived while the socket was away; signing out clears it.
 */
import { describe, expect, it } from 'vitest';
import type { TeamChatView, TeamMessageView } from '@@/shared/schemas/teamChats';
import { createTeamChatsDomain, teamChatKey } from '@/background/teamChats';
import type { DomainContext } from '@/background/hub';
import type { Session } from '@/utils/session';

const session: Session = {
  serverUrl: 'http://localhost:3000',
  token: 'tok-1',
  operator: { id: 'op-me', accountId: 'acc-1', email: 'olga@acme.test', name: 'Olga', role: 'operator' },
  account: { id: 'acc-1', name: 'Acme' },
};

function chat(id: string, lastSeq: number, myRead: number): TeamChatView {
  return {
    id,
    members: [
      { operatorId: 'op-me', name: 'Olga', readSeq: myRead },
      { operatorId: 'op-sue', name: 'Sue', readSeq: lastSeq },
    ],
    lastSeq,
    lastMessageAt: new Date(2026, 0, 1, 10, lastSeq).toISOString(),
    preview: '',
    createdAt: new Date(2026, 0, 1).toISOString(),
  };
}

function message(teamChatId: string, seq: number, operatorId: string, body: string): TeamMessageView {
  return {
    teamChatId,
    seq,
    clientId: `c-${seq}`,
    operatorId,
    authorName: operatorId === 'op-me' ? 'Olga' : 'Sue',
    body,
    ref: null,
    createdAt: new Date().toISOString(),
  };
}

function background() {
  let signedIn: Session | null = session;
  const context: DomainContext = { session: () => signedIn, status: () => 'connected', panels: () => [], broadcast: () => {} };
  const shown = { key: null as string | null, focused: false };
  const log: string[] = [];
  let badgeRedraws = 0;
  const domain = createTeamChatsDomain(context, {
    alerts: {
      newTeamMessage: (key, m) => log.push(`notify ${key} ${m.body}`),
      clearChat: (key) => log.push(`clear ${key}`),
      sound: (name) => log.push(`sound ${name}`),
    },
    isShown: (key, focused) => shown.key === key && (!focused || shown.focused),
    onChange: () => badgeRedraws++,
  });
  return {
    domain,
    shown,
    log,
    redraws: () => badgeRedraws,
    signOut: () => {
      signedIn = null;
      domain.onSessionEnd();
    },
  };
}

const A = '00000000-0000-4000-8000-00000000a001';
const B = '00000000-0000-4000-8000-00000000b001';

describe('internal chats in the background (W3)', () => {
  it('counts unread internal chats for the badge and alerts as a chat of mine does', async () => {
    const bg = background();
    // On connect: chat A has a message I have not read, chat B is read.
    await bg.domain.onConnected({ request: () => Promise.resolve({ ok: true, data: [chat(A, 3, 2), chat(B, 5, 5)] }), current: () => true });
    expect(bg.domain.unreadChats()).toBe(1);
    expect(bg.redraws()).toBeGreaterThan(0);

    // Sue writes in B while no panel shows it: notification, sound, B unread too.
    bg.domain.events['teamchat:sent']({ chat: chat(B, 6, 5), message: message(B, 6, 'op-sue', 'Can you take the Acme call?') });
    expect(bg.log).toEqual([`notify ${teamChatKey(B)} Can you take the Acme call?`, 'sound new-message']);
    expect(bg.domain.unreadChats()).toBe(2);

    // Shown in a visible panel that is not focused: no notification, but the sound.
    bg.log.length = 0;
    bg.shown.key = teamChatKey(B);
    bg.domain.events['teamchat:sent']({ chat: chat(B, 7, 5), message: message(B, 7, 'op-sue', 'Thanks') });
    expect(bg.log).toEqual(['sound new-message']);
    // Focused: nothing.
    bg.log.length = 0;
    bg.shown.focused = true;
    bg.domain.events['teamchat:sent']({ chat: chat(B, 8, 5), message: message(B, 8, 'op-sue', 'Great') });
    expect(bg.log).toEqual([]);

    // Read: B no longer counts and its notification goes; an older copy arriving late changes nothing.
    bg.domain.events['teamchat:updated'](chat(B, 8, 8));
    expect(bg.log).toContain(`clear ${teamChatKey(B)}`);
    bg.domain.events['teamchat:updated'](chat(B, 6, 5));
    expect(bg.domain.unreadChats()).toBe(1);

    // My own message alerts nobody.
    bg.log.length = 0;
    bg.shown.key = null;
    bg.domain.events['teamchat:sent']({ chat: chat(A, 4, 4), message: message(A, 4, 'op-me', 'On it') });
    expect(bg.log.filter((l) => !l.startsWith('clear'))).toEqual([]);
    expect(bg.domain.unreadChats()).toBe(0);

    // Signing out forgets them.
    bg.domain.events['teamchat:sent']({ chat: chat(B, 9, 8), message: message(B, 9, 'op-sue', 'Still there?') });
    expect(bg.domain.unreadChats()).toBe(1);
    bg.signOut();
    expect(bg.domain.unreadChats()).toBe(0);
  });
});

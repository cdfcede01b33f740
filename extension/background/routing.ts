/**
 * The routing domain in the background (A1, P5, #6): a chat the server gave this operator
 * (auto-assignment, a transfer) and a chat escalated for waiting too long raise a desktop
 * notification even while the panel is closed; a click opens the chat (alerts.ts).
 */
import type { BackgroundDomain } from './hub';
import type { ChatAlerts } from './chats';

export function createRoutingDomain(alerts: Pick<ChatAlerts, 'newChat'>) {
  return {
    events: {
      'chat:assigned': ({ conversation }) => alerts.newChat(conversation),
      'chat:escalated': ({ conversation }) => alerts.newChat(conversation),
    },
  } satisfies BackgroundDomain;
}

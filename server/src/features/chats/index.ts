/** Chats (P1, V1): conversations and their messages between a visitor and operators. */
import { defineFeature } from '../feature';
import './events';
import { operatorChatCommands, visitorChatCommands } from './handlers';
import { followOperatorPresence } from './operatorPresence';
import { requeueJob } from './requeue';
import { drainQueue, escalationJob } from './routing';
import { followMonitors } from './supervision';

export const chats = defineFeature({
  name: 'chats',
  visitorCommands: visitorChatCommands,
  operatorCommands: operatorChatCommands,
  // Visitors see whether the operator of their chat is still there (#5); operators, who watches theirs (W4).
  onOperatorConnection: (ctx, socket, actor) => {
    followOperatorPresence(ctx, socket, actor);
    followMonitors(ctx, socket, actor);
  },
  // A1 (#6): a chat waiting too long alerts again, durably; a disabled operator's chats go back to waiting.
  jobs: [escalationJob, requeueJob],
  listen: (ctx) => {
    // A1 (#6), auto-assign: a new chat, and every chance someone may take more, drains the queue.
    ctx.events.on('chat.started', ({ accountId }) => drainQueue(ctx, accountId));
    ctx.events.on('chat.closed', ({ accountId }) => drainQueue(ctx, accountId));
    ctx.events.on('availability.changed', ({ accountId, capacity }) => capacity && drainQueue(ctx, accountId));
    ctx.events.on('operator.disabled', ({ accountId, operatorId, name }) => ctx.jobs.enqueue(requeueJob, { operatorId, name }, { accountId }));
  },
});

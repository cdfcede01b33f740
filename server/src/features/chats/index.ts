/** Chats (P1, V1): conversations and their messages between a visitor and operators. */
import { defineFeature } from '../feature';
import './events';
import { operatorChatCommands, visitorChatCommands } from './handlers';
import { followOperatorPresence } from './operatorPresence';

export const chats = defineFeature({
  name: 'chats',
  visitorCommands: visitorChatCommands,
  operatorCommands: operatorChatCommands,
  // Visitors see whether the operator of their chat is still there (#5).
  onOperatorConnection: followOperatorPresence,
});

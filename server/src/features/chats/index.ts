/** Chats (P1, V1): conversations and their messages between a visitor and operators. */
import { defineFeature } from '../feature';
import './events';
import { operatorChatCommands, visitorChatCommands } from './handlers';

export const chats = defineFeature({
  name: 'chats',
  visitorCommands: visitorChatCommands,
  operatorCommands: operatorChatCommands,
});

/**
 * Internal chats between operators (W2, W3, #7): one-to-one conversations of an account's
 * operators, started from "View operators" or by Respond on a whisper (quoting it, linked to its
 * visitor chat). Their own tables and their own events on the operator namespace only.
 */
import { defineFeature } from '../feature';
import { operatorTeamChatCommands } from './handlers';

export const teamChats = defineFeature({
  name: 'teamChats',
  operatorCommands: operatorTeamChatCommands,
});

/**
 * Read state (P5): how far the assigned operator and the visitor have read each conversation,
 * stored on the conversation. Operators' unread counts clear on every panel of theirs; the
 * visitor sees "Seen" under their messages.
 */
import { defineFeature } from '../feature';
import { operatorReadCommands, visitorReadCommands } from './handlers';

export const reads = defineFeature({
  name: 'reads',
  visitorCommands: visitorReadCommands,
  operatorCommands: operatorReadCommands,
});

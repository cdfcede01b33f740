/**
 * Every visible string of the operator extension (Q6), one plain module per domain so a
 * translation swaps files, not code. Functions take the variable parts (counts, names); nothing
 * else in the UI builds sentences. Use it as `strings.chats.accept`.
 */
import { account } from './account';
import { admin } from './admin';
import { app } from './app';
import { archive } from './archive';
import { auth } from './auth';
import { canned } from './canned';
import { chats } from './chats';
import { composer } from './composer';
import { contextMenu } from './contextMenu';
import { invitations } from './invitations';
import { ratings } from './ratings';
import { supervision } from './supervision';
import { routing } from './routing';
import { team } from './team';
import { teamChats } from './teamChats';
import { visitors } from './visitors';

export const strings = {
  app,
  auth,
  chats,
  ratings,
  visitors,
  account,
  admin,
  team,
  canned,
  composer,
  routing,
  invitations,
  contextMenu,
  archive,
  supervision,
  teamChats,
};

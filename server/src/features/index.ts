/**
 * Every feature of the server, one line each (#5). A new feature is a folder under features/
 * (index.ts exporting a `Feature`, plus its routes, handlers, service, repo, presenter) and one line
 * here — and its contract in shared/events/ and shared/api/, one line in each index there.
 */
import { accounts } from './accounts';
import { archive } from './archive';
import { auth } from './auth';
import { canned } from './canned';
import { chats } from './chats';
import type { Feature } from './feature';
import { files } from './files';
import { mail } from './mail';
import { ratings } from './ratings';
import { routing } from './routing';
import { reads } from './reads';
import { team } from './team';
import { teamChats } from './teamChats';
import { transcripts } from './transcripts';
import { visitors } from './visitors';

export const features: Feature[] = [accounts, auth, visitors, chats, mail, files, team, ratings, transcripts, canned, routing, reads, archive, teamChats];

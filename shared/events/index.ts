/**
 * The Socket.IO contract of every feature, gathered: one line per feature in each registry below
 * (#5). A feature's own file (`./<feature>.ts`) declares its commands (payload schema, result,
 * minimum role) and its broadcasts. Commands are `noun:verb` and always acknowledged with an
 * `Ack`; broadcasts are their past tense (`message:send` → `message:sent`).
 */
import type { ClientToServer, ServerToClient } from '../contract';
import * as archive from './archive';
import * as canned from './canned';
import * as chats from './chats';
import * as ratings from './ratings';
import * as routing from './routing';
import * as teamChats from './teamChats';
import * as reads from './reads';
import * as transcripts from './transcripts';
import * as visitors from './visitors';

export { OPERATOR_NAMESPACE, VISITOR_NAMESPACE } from './namespaces';
export type { VisitorAuth, VisitorSession } from './visitors';
export type { TypingView } from './chats';

/** Every feature's contract, by feature name: the convention tests walk this. */
export const contracts = { visitors, chats, ratings, transcripts, canned, routing, reads, archive, teamChats };

/** The widget's commands (`/visitor`). */
export const visitorCommands = {
  ...visitors.visitorCommands,
  ...chats.visitorCommands,
  ...ratings.visitorCommands,
  ...transcripts.visitorCommands,
  ...reads.visitorCommands,
};
/** The panel's commands (`/operator`). */
export const operatorCommands = {
  ...visitors.operatorCommands,
  ...chats.operatorCommands,
  ...ratings.operatorCommands,
  ...canned.operatorCommands,
  ...routing.operatorCommands,
  ...reads.operatorCommands,
  ...archive.operatorCommands,
  ...teamChats.operatorCommands,
};

export type VisitorClientToServer = ClientToServer<typeof visitorCommands>;
export type OperatorClientToServer = ClientToServer<typeof operatorCommands>;
export type VisitorServerToClient = ServerToClient<visitors.VisitorBroadcasts & chats.VisitorBroadcasts & ratings.VisitorBroadcasts & reads.VisitorBroadcasts>;
export type OperatorServerToClient = ServerToClient<
  visitors.OperatorBroadcasts &
    chats.OperatorBroadcasts &
    ratings.OperatorBroadcasts &
    canned.OperatorBroadcasts &
    routing.OperatorBroadcasts &
    reads.OperatorBroadcasts &
    teamChats.OperatorBroadcasts
>;

/** Socket handshake `auth` of the extension: the token from `POST /api/auth/login`. */
export interface OperatorAuth {
  token: string;
}

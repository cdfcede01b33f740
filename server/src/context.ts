import type { Clock } from './clock';
import type { Config } from './config';
import type { AccountCache } from './features/accounts/cache';
import type { Database, Db } from './db/client';
import type { EventBus } from './events/bus';
import type { MessageWriter } from './features/chats/messageWriter';
import type { FileUrls } from './features/files/urls';
import type { JobRunner } from './jobs/runner';
import type { VisitorActivity } from './features/visitors/activity';
import type { VisitorConnector } from './features/visitors/connector';
import type { VisitorTokens } from './features/visitors/token';
import type { Limits } from './limits/index';
import type { Logger } from './log';
import type { Realtime } from './realtime/io';
import type { WithAckFor } from './realtime/withAck';

/** Everything a route or socket handler needs, built once per app by createApp. */
export interface AppContext {
  config: Config;
  log: Logger;
  /** The time for rules that wait (escalation, auto-away, due jobs): the system's, or a test's that moves on (#6). */
  clock: Clock;
  db: Db;
  /** The hot paths' one-call route to a SQL function (#3: messages, #4: widget handshakes). */
  database: Pick<Database, 'callJson'>;
  /** Accounts as handshakes read them: cached for seconds (#4); call `forget()` after changing one. */
  accounts: AccountCache;
  rt: Realtime;
  writer: MessageWriter;
  /** Widget handshakes' database work, batched (#4: the reconnect storm). */
  visitorConnector: VisitorConnector;
  visitorTokens: VisitorTokens;
  /** Signs and checks the expiring download URLs of files (#5): what `presentFile` puts in a FileView. */
  fileUrls: FileUrls;
  /**
   * Durable jobs (#5): `ctx.jobs.enqueue(definition, payload, { accountId, runAt, key, tx })` for
   * follow-up work that must survive a crash (jobs/runner.ts); mail goes through it (server/src/mail).
   */
  jobs: JobRunner;
  /** Every rate limit (#4): sign-in, setup, widget connections, socket commands. */
  limits: Limits;
  /** Page-view coalescing, and the grid's updates: throttled per visitor, sent in frames per account, on this node (#4). */
  visitorActivity: VisitorActivity;
  /** Features' events, published after commit, heard by other features (#5). */
  events: EventBus;
  /** `ctx.withAck(socket)(schema, handler, { limit })`: a rate-limited, validated, acknowledged command. */
  withAck: WithAckFor;
  /**
   * Runs follow-up work nobody waits for (broadcasts after a command, presence on disconnect):
   * failures are logged, and `close()` waits for what is in flight. Skipped once closing.
   */
  background(label: string, task: () => Promise<unknown>): void;
}

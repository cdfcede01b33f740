/**
 * The panel's IndexedDB (Q5): the outbox of messages the server has not acknowledged yet,
 * so a panel reload or a lost connection never loses what the operator typed.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { OutboxEntry, OutboxStore } from './outbox';

/** W3: an internal chat message not yet acknowledged (resent with the same clientId). */
export interface TeamOutboxEntry {
  clientId: string;
  teamChatId: string;
  body: string;
  authorName: string;
  /** ISO time the operator pressed Send: the resend order. */
  createdAt: string;
  /** Refused for good: kept to show it failed, never resent. */
  rejected?: { code: string; message: string };
}

export class SidedeskDb extends Dexie {
  outbox!: EntityTable<OutboxEntry, 'clientId'>;
  teamOutbox!: EntityTable<TeamOutboxEntry, 'clientId'>;

  constructor(name = 'sidedesk') {
    super(name);
    this.version(1).stores({ outbox: 'clientId, conversationId, createdAt' });
    // W3 (#7): internal chats keep their own outbox: an entry of one can never be sent as the other.
    this.version(2).stores({ teamOutbox: 'clientId, teamChatId, createdAt' });
  }
}

let db: SidedeskDb | null = null;
export function getDb(): SidedeskDb {
  db ??= new SidedeskDb();
  return db;
}

/** The outbox on IndexedDB. */
export function createDexieOutbox(database: SidedeskDb = getDb()): OutboxStore {
  return {
    async put(entry) {
      await database.outbox.put(entry);
    },
    async delete(clientId) {
      await database.outbox.delete(clientId);
    },
    async all() {
      return database.outbox.orderBy('createdAt').toArray();
    },
    async clear() {
      await database.outbox.clear();
    },
  };
}

/** W3: the internal chats' outbox, oldest first. */
export interface TeamOutboxStore {
  put(entry: TeamOutboxEntry): Promise<void>;
  delete(clientId: string): Promise<void>;
  all(): Promise<TeamOutboxEntry[]>;
}

export function createDexieTeamOutbox(database: SidedeskDb = getDb()): TeamOutboxStore {
  return {
    async put(entry) {
      await database.teamOutbox.put(entry);
    },
    async delete(clientId) {
      await database.teamOutbox.delete(clientId);
    },
    async all() {
      return database.teamOutbox.orderBy('createdAt').toArray();
    },
  };
}

export function createMemoryTeamOutbox(): TeamOutboxStore {
  const entries = new Map<string, TeamOutboxEntry>();
  return {
    async put(entry) {
      entries.set(entry.clientId, { ...entry });
    },
    async delete(clientId) {
      entries.delete(clientId);
    },
    async all() {
      return [...entries.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
  };
}

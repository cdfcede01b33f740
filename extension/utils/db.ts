/**
 * The panel's IndexedDB (Q5): the outbox of messages the server has not acknowledged yet,
 * so a panel reload or a lost connection never loses what the operator typed.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { OutboxEntry, OutboxStore } from './outbox';

export class SidedeskDb extends Dexie {
  outbox!: EntityTable<OutboxEntry, 'clientId'>;

  constructor(name = 'sidedesk') {
    super(name);
    this.version(1).stores({ outbox: 'clientId, conversationId, createdAt' });
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

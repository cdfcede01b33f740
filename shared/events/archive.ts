/**
 * The chat archive (P9, #6): operators search their account's closed chats and open one read-only
 * (with `chat:get` / `chat:sync`, which give operators every message, internal ones too). Panel
 * only: the widget has no archive command.
 */
import { returns, type CommandMap } from '../contract';
import { archiveSearchPayload, type ArchiveSearchResult } from '../schemas/archive';

export const operatorCommands = {
  /**
   * One page of the account's closed chats matching every filter given, newest first. Any
   * operator may search: a help desk answers a returning customer from their earlier chats. An
   * operator, department or visitor of another account is `not_found`.
   */
  'archive:search': { payload: archiveSearchPayload, result: returns<ArchiveSearchResult>(), role: 'operator' },
} satisfies CommandMap;

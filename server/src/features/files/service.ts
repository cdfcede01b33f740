import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { AppError } from '../../../../shared/errors';
import {
  DEFAULT_MAX_FILE_BYTES,
  FILE_TYPE_IDS,
  isFileType,
  nameForType,
  sanitizeFileName,
  type FileSettingsPatch,
  type FileSettingsView,
  type FileView,
} from '../../../../shared/schemas/files';
import type { Actor } from '../../access/actor';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { sqlState } from '../../db/errors';
import { operatorActor } from '../../http/rest';
import { addressKey } from '../../limits/address';
import { authenticate } from '../../access/sessions';
import { presentFile } from './presenter';
import {
  deleteFile,
  existingFileIds,
  findConversationById,
  findFileInConversation,
  findFilesByIds,
  findFileSettings,
  findFileWithOwner,
  insertFile,
  upsertFileSettings,
  type FileRow,
  type FileWithOwner,
} from './repo';
import { describeTypes, sniffFile } from './sniff';
import type { FileStorage } from './storage';
import { fileTooLarge, receiveUpload } from './upload';

/** Room for the multipart framing around the file (boundaries, part headers, the conversationId field). */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Not found, whatever the reason (#5): no file, another conversation's or account's, no or a bad token. */
const notFound = () => new AppError('not_found', 'File not found.');
const conversationNotFound = () => new AppError('not_found', 'Conversation not found.');

/**
 * The caller behind `token` on `accountId`, or null. A visitor token (`<payload>.<mac>`, see
 * visitors/token.ts) is only good on the account it was issued for; an operator's session token
 * only on the operator's own account. A bad or expired token is null, never an error of its own:
 * the caller answers not_found, so a stranger learns nothing, not even that the file exists.
 */
async function fileActor(ctx: AppContext, token: string | undefined, accountId: string): Promise<Actor | null> {
  if (!token) return null;
  if (token.includes('.')) {
    const visitorId = ctx.visitorTokens.verify(accountId, token);
    return visitorId ? { kind: 'visitor', accountId, visitorId } : null;
  }
  const session = await authenticate(ctx.db, token).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'unauthenticated') return null;
    throw err;
  });
  return session && session.account.id === accountId ? operatorActor(session) : null;
}

/** Whether `actor` is one of the people of the conversation whose visitor is `visitorId`. */
function belongs(actor: Actor | null, accountId: string, visitorId: string): actor is Actor {
  if (!actor || actor.accountId !== accountId) return false;
  return actor.kind === 'operator' || actor.visitorId === visitorId;
}

/** The account's upload limits: its row, or the defaults (10 MB, every type), never above the server's FILES_MAX_BYTES. */
export async function fileSettingsOf(ctx: Pick<AppContext, 'db' | 'config'>, accountId: string): Promise<FileSettingsView> {
  const limit = ctx.config.files.maxBytes;
  const row = await findFileSettings(ctx.db, accountId);
  if (!row) return { maxBytes: Math.min(DEFAULT_MAX_FILE_BYTES, limit), maxBytesLimit: limit, allowedTypes: [...FILE_TYPE_IDS] };
  return { maxBytes: Math.min(row.maxBytes, limit), maxBytesLimit: limit, allowedTypes: row.allowedTypes.filter(isFileType) };
}

/** Changes the account's upload limits (the route lets only admins here). */
export async function updateFileSettings(ctx: Pick<AppContext, 'db' | 'config'>, accountId: string, patch: FileSettingsPatch): Promise<FileSettingsView> {
  const limit = ctx.config.files.maxBytes;
  if (patch.maxBytes !== undefined && patch.maxBytes > limit) {
    const message = `at most ${limit} bytes on this server (FILES_MAX_BYTES)`;
    throw new AppError('validation_failed', `Invalid input: maxBytes: ${message}`, [{ path: 'maxBytes', message }]);
  }
  const current = await fileSettingsOf(ctx, accountId);
  await upsertFileSettings(ctx.db, accountId, {
    maxBytes: patch.maxBytes ?? current.maxBytes,
    allowedTypes: patch.allowedTypes ?? current.allowedTypes,
  });
  return fileSettingsOf(ctx, accountId);
}

/**
 * POST /api/files (#5): stores one file sent into a conversation by its visitor or an operator of
 * its account, and answers its view. In order, each step before any byte is stored: the
 * address's upload limit; the Content-Length against the server's ceiling; then, when the file
 * part begins, the conversation (its account tells which token is good), the caller (anyone
 * else: not_found), an open chat, the uploader's limit, and the account's size limit. The bytes
 * stream to a partial file, counted against the limit; then their type is detected (never the
 * name's or the browser's word) and checked against the account's list. Only then is its row
 * written and the file renamed into place.
 */
export async function uploadFile(ctx: AppContext, storage: FileStorage, req: Request, token: string | undefined): Promise<FileView> {
  await ctx.limits.uploads.fromAddress(addressKey(req.ip));
  const ceiling = ctx.config.files.maxBytes;
  const declared = Number(req.get('content-length'));
  if (declared > ceiling + MULTIPART_OVERHEAD_BYTES) throw fileTooLarge(ceiling);

  const fileId = randomUUID();
  let uploader: Actor | undefined;
  let allowedTypes: FileSettingsView['allowedTypes'] = [];
  const received = await receiveUpload(req, ceiling, async ({ conversationId }) => {
    const conversation = await findConversationById(ctx.db, conversationId);
    if (!conversation) throw conversationNotFound();
    const actor = await fileActor(ctx, token, conversation.accountId);
    if (!belongs(actor, conversation.accountId, conversation.visitorId)) throw conversationNotFound();
    if (conversation.status === 'closed') throw new AppError('chat_closed', 'This chat is closed.');
    await ctx.limits.uploads.byActor(actor);
    const settings = await fileSettingsOf(ctx, conversation.accountId);
    if (declared > settings.maxBytes + MULTIPART_OVERHEAD_BYTES) throw fileTooLarge(settings.maxBytes);
    uploader = actor;
    allowedTypes = settings.allowedTypes;
    return { path: await storage.partialPath(conversation.accountId, fileId), maxBytes: settings.maxBytes };
  });
  const actor = uploader!;

  try {
    const sniffed = await sniffFile(received.path, received.clientName, received.text);
    if (!sniffed.ok) throw new AppError('file_type_not_allowed', `This file is ${sniffed.what}. Files accepted here: ${describeTypes(allowedTypes)}.`);
    if (!allowedTypes.includes(sniffed.type)) {
      throw new AppError(
        'file_type_not_allowed',
        `Files of this type (${sniffed.type}) are not accepted here. Files accepted: ${describeTypes(allowedTypes)}.`,
      );
    }
    const row = await insertFile(ctx.db, {
      id: fileId,
      accountId: actor.accountId,
      conversationId: received.fields.conversationId,
      uploadedBy: actor.kind,
      operatorId: actor.kind === 'operator' ? actor.operatorId : null,
      name: nameForType(sanitizeFileName(received.clientName), sniffed.type),
      size: received.size,
      type: sniffed.type,
      sha256: received.sha256,
    }).catch((err: unknown) => {
      // The conversation was deleted meanwhile ("forget this visitor").
      if (sqlState(err) === '23503') throw conversationNotFound();
      throw err;
    });
    // The row first, then the bytes in place: a stored file without a row is always garbage (the sweep's rule).
    await storage.keep(actor.accountId, fileId).catch(async (err: unknown) => {
      await deleteFile(ctx.db, actor.accountId, fileId);
      throw err;
    });
    return presentFile(row, ctx.fileUrls);
  } catch (err) {
    await storage.remove(received.path);
    await storage.remove(storage.pathOf(actor.accountId, fileId));
    throw err;
  }
}

/**
 * GET /api/files/:id with a token (#5): the file's view with a fresh signed URL, for the people
 * of its conversation; not_found for anyone else.
 */
export async function getFileForCaller(ctx: AppContext, fileId: string, token: string | undefined): Promise<FileView> {
  const found = await findFileWithOwner(ctx.db, fileId);
  if (!found) throw notFound();
  const actor = await fileActor(ctx, token, found.file.accountId);
  if (!belongs(actor, found.file.accountId, found.visitorId)) throw notFound();
  return presentFile(found.file, ctx.fileUrls);
}

/** The file behind a signed download URL (the route has checked the signature), or not_found. */
export async function fileForDownload(ctx: AppContext, fileId: string): Promise<FileWithOwner['file']> {
  const found = await findFileWithOwner(ctx.db, fileId);
  if (!found) throw notFound();
  return found.file;
}

/**
 * For the chats feature (#5, a message's attachment): the file if it was uploaded into this
 * conversation of this account, else null. A message may only carry a file of its own
 * conversation, so a file id seen elsewhere can't be re-sent into another chat or account.
 * Present it with `presentFile(row, ctx.fileUrls)`.
 */
export function findFileForConversation(db: Db, accountId: string, conversationId: string, fileId: string): Promise<FileRow | null> {
  return findFileInConversation(db, accountId, conversationId, fileId);
}

/** For the chats feature (#5): the account's files among `fileIds`, by id (the attachments of a page of messages). */
export async function findFilesOfAccount(db: Db, accountId: string, fileIds: string[]): Promise<Map<string, FileRow>> {
  return new Map((await findFilesByIds(db, accountId, [...new Set(fileIds)])).map((f) => [f.id, f]));
}

/** Ids are swept in batches of this many (one query each). */
const SWEEP_BATCH = 500;

/**
 * Removes from disk the account's files whose rows are gone (#5): after "forget this visitor"
 * or a deleted conversation, the database cascade removes the rows, this removes the bytes.
 * Also clears partial uploads a crash left behind. Returns how many files were removed.
 */
export async function sweepAccountFiles(ctx: Pick<AppContext, 'db'>, storage: FileStorage, accountId: string): Promise<number> {
  return storage.sweep(accountId, async (ids) => {
    const kept = new Set<string>();
    for (let i = 0; i < ids.length; i += SWEEP_BATCH) for (const id of await existingFileIds(ctx.db, accountId, ids.slice(i, i + SWEEP_BATCH))) kept.add(id);
    return kept;
  });
}

import fs from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { uuid } from '../../../../shared/schemas/common';
import { fileSettingsPatch, isInlineImage, type FileUploadResult } from '../../../../shared/schemas/files';
import type { AppContext } from '../../context';
import { route } from '../../http/errors';
import { validate } from '../../validate';
import { authorize } from '../auth/policy';
import { bearer, requireOperator, sessionOf } from '../auth/routes';
import type { FileRow } from './repo';
import { fileForDownload, fileSettingsOf, getFileForActor, updateFileSettings, uploadFile } from './service';
import { FileStorage } from './storage';
import { closeAfterRefusal } from './upload';

const fileParams = z.object({ fileId: uuid });

/** The file id of the path, or not_found (a malformed id is a file that does not exist). */
function fileIdOf(params: unknown): string {
  const parsed = fileParams.safeParse(params);
  if (!parsed.success) throw new AppError('not_found', 'File not found.');
  return parsed.data.fileId;
}

/**
 * Files in chats (#5, SPEC P7):
 * - `POST /api/files` (multipart: `conversationId`, then `file`; `Authorization: Bearer <visitor
 *   token or operator token>`) → 201 `{ file: FileView }`;
 * - `GET /api/files/:id` (same tokens) → `{ file: FileView }` with a fresh signed URL;
 * - `GET /api/files/:id/content?expires=…&signature=…` → the bytes (the signed URL of a FileView);
 * - `GET /api/files/settings` (operators), `PATCH /api/files/settings` (admins) → FileSettingsView.
 * Anyone not of the conversation gets not_found, never forbidden: a file's existence is not told.
 */
export function fileRoutes(ctx: AppContext): Router {
  const router = Router();
  const storage = new FileStorage(ctx.config);

  router.get(
    '/settings',
    requireOperator(ctx),
    route((_req, res) => fileSettingsOf(ctx, sessionOf(res).account.id)),
  );
  router.patch(
    '/settings',
    requireOperator(ctx),
    route(async (req, res) => {
      const session = sessionOf(res);
      authorize(session.operator, 'account:update');
      return updateFileSettings(ctx, session.account.id, validate(fileSettingsPatch, req.body));
    }),
  );

  router.post(
    '/',
    route(async (req, res) => {
      try {
        const file = await uploadFile(ctx, storage, req, bearer(req));
        res.status(201);
        return { file } satisfies FileUploadResult;
      } catch (err) {
        // A large rest of the body is not read: the connection closes after the answer.
        if (closeAfterRefusal(req)) res.set('Connection', 'close');
        throw err;
      }
    }),
  );

  router.get(
    '/:fileId',
    route(async (req) => ({ file: await getFileForActor(ctx, fileIdOf(req.params), bearer(req)) }) satisfies FileUploadResult),
  );

  router.get(
    '/:fileId/content',
    route(async (req, res) => {
      const fileId = fileIdOf(req.params);
      if (!ctx.fileUrls.verify(fileId, req.query.expires, req.query.signature)) throw new AppError('not_found', 'File not found.');
      const file = await fileForDownload(ctx, fileId);
      const handle = await fs.open(storage.pathOf(file.accountId, file.id), 'r').catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
        ctx.log.warn(`File ${file.id} has a row but no bytes in ${storage.root}`);
        throw new AppError('not_found', 'File not found.');
      });
      const { size } = await handle.stat().catch(async (err: unknown) => {
        await handle.close();
        throw err;
      });
      setDownloadHeaders(res, file, size, ctx.fileUrls.secondsLeft(req.query.expires as string));
      if (req.method === 'HEAD') {
        await handle.close();
        res.end();
        return undefined;
      }
      // pipeline closes the file when the client goes away mid-download.
      await pipeline(handle.createReadStream(), res).catch((err: unknown) => {
        if (!res.writableFinished && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') ctx.log.error(`Sending file ${file.id} failed`, err);
      });
      return undefined;
    }),
  );
  return router;
}

/**
 * How a stored file is served (#5): as the type detected at upload, never sniffed again by the
 * browser (nosniff); as an attachment (a download), except raster images, which are inline so
 * an `<img>` can preview them; with a CSP that forbids everything and sandboxes the document,
 * should a browser render it anyway; readable by the widget on the customer's site and by the
 * extension (Cross-Origin-Resource-Policy), cached privately until the URL expires.
 */
function setDownloadHeaders(res: Response, file: FileRow, size: number, maxAgeSec: number): void {
  res.set({
    'Content-Type': file.type.startsWith('text/') ? `${file.type}; charset=utf-8` : file.type,
    'Content-Length': String(size),
    'Content-Disposition': contentDisposition(isInlineImage(file.type) ? 'inline' : 'attachment', file.name),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Cache-Control': `private, max-age=${maxAgeSec}`,
  });
}

/**
 * `Content-Disposition` with the name twice (RFC 6266): `filename*` in UTF-8, percent-encoded
 * (RFC 8187), which every current browser reads, and a plain-ASCII `filename` for the others
 * (accents dropped, anything else `_`). The name is already cleaned (no control characters).
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7E]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

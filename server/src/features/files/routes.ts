import fs from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import { api } from '../../../../shared/api';
import { AppError } from '../../../../shared/errors';
import { isInlineImage } from '../../../../shared/schemas/files';
import { uuid } from '../../../../shared/schemas/common';
import type { AppContext } from '../../context';
import { route } from '../../http/errors';
import { bearer, restRoutes } from '../../http/rest';
import type { FileRow } from './repo';
import { fileForDownload, fileSettingsOf, getFileForCaller, updateFileSettings, uploadFile } from './service';
import type { FileStorage } from './storage';
import { closeAfterRefusal } from './upload';

/**
 * Files in chats (#5, SPEC P7): the routes of shared/api/files.ts (settings, upload, a file's
 * view), and the bytes behind a signed URL, `GET /api/files/:fileId/content?expires=…&signature=…`.
 * That one is not an API call but the address an `<img src>` or a download link uses, so it lives
 * outside the contract: no token, the signature is the permission, and everything wrong is a 404.
 */
export function fileRoutes(ctx: AppContext, storage: FileStorage): Router {
  return Router()
    .use(
      restRoutes(ctx, api.files, {
        getSettings: (ctx, { actor }) => fileSettingsOf(ctx, actor.accountId),
        updateSettings: (ctx, { actor, input }) => updateFileSettings(ctx, actor.accountId, input.body),
        upload: async (ctx, { req, res }) => {
          try {
            const file = await uploadFile(ctx, storage, req, bearer(req));
            res.status(201);
            return { file };
          } catch (err) {
            // A large rest of the body is not read: the connection closes after the answer.
            if (closeAfterRefusal(req)) res.set('Connection', 'close');
            throw err;
          }
        },
        get: async (ctx, { req, input }) => ({ file: await getFileForCaller(ctx, input.params.fileId, bearer(req)) }),
      }),
    )
    .get(
      '/api/files/:fileId/content',
      route(async (req, res) => sendFile(ctx, storage, req.params.fileId, req.query, req.method, res)),
    );
}

const notFound = () => new AppError('not_found', 'File not found.');

async function sendFile(
  ctx: AppContext,
  storage: FileStorage,
  fileId: unknown,
  query: Record<string, unknown>,
  method: string,
  res: Response,
): Promise<undefined> {
  const id = uuid.safeParse(fileId);
  if (!id.success || !ctx.fileUrls.verify(id.data, query.expires, query.signature)) throw notFound();
  const file = await fileForDownload(ctx, id.data);
  const handle = await fs.open(storage.pathOf(file.accountId, file.id), 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
    ctx.log.warn(`File ${file.id} has a row but no bytes in ${storage.root}`);
    throw notFound();
  });
  try {
    const { size } = await handle.stat();
    setDownloadHeaders(res, file, size, ctx.fileUrls.secondsLeft(query.expires as string));
    if (method === 'HEAD') return void res.end();
    // pipeline closes the file when the client goes away mid-download.
    await pipeline(handle.createReadStream({ autoClose: false }), res).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') ctx.log.error(`Sending file ${file.id} failed`, err);
    });
  } finally {
    await handle.close();
  }
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

/**
 * Files in chats (#5, SPEC P7). Upload and read are open to the conversation's visitor (their
 * visitor token) as well as the account's operators, so they are `public` here and the files
 * feature checks the bearer itself: anyone not of the conversation gets not_found.
 */
import { z } from 'zod';
import { returns, type RouteMap } from '../contract';
import { uuid } from '../schemas/common';
import { fileSettingsPatch, type FileSettingsView, type FileUploadResult } from '../schemas/files';

export const fileRoutes = {
  /** The account's upload limits (any operator; the extension shows them, the panel checks a file before sending). */
  getSettings: { method: 'GET', path: '/api/files/settings', role: 'operator', result: returns<FileSettingsView>() },
  updateSettings: { method: 'PATCH', path: '/api/files/settings', role: 'admin', body: fileSettingsPatch, result: returns<FileSettingsView>() },
  /**
   * `multipart/form-data`: the `conversationId` field, then the `file` field (FormData keeps the
   * order of `append`). `Authorization: Bearer <visitor token>` from the widget, or the operator's
   * session token. 201 `{ file }`; `file_too_large` (413), `file_type_not_allowed` (415),
   * `chat_closed` (409), `rate_limited` (429), `not_found` (404) for a chat that is not the caller's.
   * Not through the JSON client (shared/api/client.ts): `fetch(server + this path, { method: 'POST', body: formData })`.
   */
  upload: { method: 'POST', path: '/api/files', role: 'public', result: returns<FileUploadResult>() },
  /** The file's view with a fresh signed URL (the one in a message expires after about an hour); same tokens as upload. */
  get: { method: 'GET', path: '/api/files/:fileId', role: 'public', params: z.object({ fileId: uuid }), result: returns<FileUploadResult>() },
} satisfies RouteMap;

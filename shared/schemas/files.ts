import { z } from 'zod';
import { uuid, wellFormed } from './common';

/**
 * The types a chat may carry (#5, SPEC P7), each as the server detects it from the file's bytes:
 * the name and the browser's Content-Type are never believed. `extensions`: the names the type is
 * saved under (the first is added to a name that has none of them, so "run.bat" holding text is
 * downloaded as "run.bat.txt", never as a script). `image`: a raster image the chat may show
 * inline as a preview. SVG and HTML are not here on purpose: both can carry scripts.
 */
export const FILE_TYPES = {
  'image/png': { label: 'PNG image', extensions: ['png'], image: true },
  'image/jpeg': { label: 'JPEG image', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'], image: true },
  'image/gif': { label: 'GIF image', extensions: ['gif'], image: true },
  'image/webp': { label: 'WebP image', extensions: ['webp'], image: true },
  'application/pdf': { label: 'PDF document', extensions: ['pdf'], image: false },
  // Text has no magic number: UTF-8 without NUL or other control characters, and not markup.
  'text/plain': { label: 'Plain text', extensions: ['txt', 'text', 'log', 'md', 'markdown', 'json', 'yaml', 'yml'], image: false },
  'text/csv': { label: 'CSV table', extensions: ['csv'], image: false },
  'application/zip': { label: 'ZIP archive', extensions: ['zip'], image: false },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { label: 'Word document', extensions: ['docx'], image: false },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'Excel workbook', extensions: ['xlsx'], image: false },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { label: 'PowerPoint presentation', extensions: ['pptx'], image: false },
  'application/vnd.oasis.opendocument.text': { label: 'OpenDocument text', extensions: ['odt'], image: false },
  'application/vnd.oasis.opendocument.spreadsheet': { label: 'OpenDocument spreadsheet', extensions: ['ods'], image: false },
  'application/vnd.oasis.opendocument.presentation': { label: 'OpenDocument presentation', extensions: ['odp'], image: false },
} as const satisfies Record<string, { label: string; extensions: readonly [string, ...string[]]; image: boolean }>;

export type FileType = keyof typeof FILE_TYPES;
export const FILE_TYPE_IDS = Object.keys(FILE_TYPES) as [FileType, ...FileType[]];

export function isFileType(type: string): type is FileType {
  return Object.hasOwn(FILE_TYPES, type);
}

/** A raster image the chat may show inline (png, jpeg, gif, webp); everything else is a download. */
export function isInlineImage(type: string): boolean {
  return isFileType(type) && FILE_TYPES[type].image;
}

/** An account's largest upload until an admin changes it (#5). */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The file a chat message carries, as both sides see it. */
export interface FileView {
  id: string;
  /** Display name, already cleaned (no path, no control or bidi characters, at most 200 bytes). Show it as text. */
  name: string;
  /** Bytes. */
  size: number;
  /** The type detected from the bytes when it was uploaded (one of {@link FILE_TYPES}). */
  type: FileType;
  /**
   * Where the bytes are: a path on the Sidedesk server (`/api/files/<id>/content?expires=…&signature=…`),
   * to resolve against the server URL the client already talks to. Signed and expiring (about an
   * hour), so it works in an `<img src>` or a download link without headers; ask
   * `GET /api/files/<id>` for a fresh one later.
   */
  url: string;
  /** True for png/jpeg/gif/webp: the URL serves it inline, so it can be previewed in an `<img>`. */
  image: boolean;
}

/** POST /api/files answers `{ file }` (201). */
export interface FileUploadResult {
  file: FileView;
}

/**
 * The text fields of the POST /api/files multipart body; they must come before the file part
 * (FormData keeps the order of `append`), so the upload is authorised before a byte is stored.
 */
export const fileUploadFields = z.object({ conversationId: uuid });
export type FileUploadFields = z.infer<typeof fileUploadFields>;

/** An account's upload limits: GET /api/files/settings (any operator), PATCH (admins). */
export interface FileSettingsView {
  /** Largest file, in bytes. */
  maxBytes: number;
  /** The most `maxBytes` may be set to on this server (FILES_MAX_BYTES). */
  maxBytesLimit: number;
  /** Types accepted, from {@link FILE_TYPES}. */
  allowedTypes: FileType[];
}

/** PATCH /api/files/settings: absent fields stay as they are, unknown ones are refused. `maxBytes` is checked against the server's limit too. */
export const fileSettingsPatch = z.strictObject({
  maxBytes: z.number().int().min(1).optional(),
  allowedTypes: z
    .array(z.enum(FILE_TYPE_IDS))
    .max(FILE_TYPE_IDS.length * 2)
    .transform((list) => [...new Set(list)])
    .optional(),
});
export type FileSettingsPatch = z.input<typeof fileSettingsPatch>;

/** Longest stored file name, in UTF-8 bytes (file systems allow 255; room for a " (2)" the browser adds). */
export const MAX_FILE_NAME_BYTES = 200;
const MAX_EXTENSION_LENGTH = 16;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const utf8 = new TextEncoder();

/**
 * Characters a file name never keeps (#5): C0/C1 controls and DEL (a newline would split a
 * header or a log line), line and paragraph separators, BOM, and the bidirectional controls that
 * make "invoice‮fdp.exe" display as "invoiceexe.pdf".
 */
const STRIPPED = /[\p{Cc}\u2028\u2029\uFEFF\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/**
 * The name an uploaded file is shown and downloaded under: the last part of whatever path the
 * client sent (`../../etc/passwd` → `passwd`, `C:\x\y.txt` → `y.txt`), NFC, without control and
 * bidi characters (whitespace ones become spaces), spaces collapsed, at most
 * {@link MAX_FILE_NAME_BYTES} UTF-8 bytes cut between whole characters with the extension kept,
 * never empty, `.` or `..` (then "file"). It is never used as a path on the server.
 */
export function sanitizeFileName(raw: string): string {
  let name = wellFormed(raw).normalize('NFC');
  name = name.replace(/[\t\n\r\v\f\u0085\u2028\u2029]/g, ' ').replace(STRIPPED, '');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(/\s+/g, ' ').trim();
  if (name === '' || /^\.+$/.test(name)) return 'file';
  if (utf8.encode(name).length <= MAX_FILE_NAME_BYTES) return name;

  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= MAX_EXTENSION_LENGTH + 1 ? name.slice(dot) : '';
  const budget = MAX_FILE_NAME_BYTES - utf8.encode(extension).length;
  let stem = '';
  let bytes = 0;
  for (const { segment } of graphemes.segment(name.slice(0, name.length - extension.length))) {
    const size = utf8.encode(segment).length;
    if (bytes + size > budget) break;
    stem += segment;
    bytes += size;
  }
  return `${stem.trimEnd() || 'file'}${extension}`;
}

/**
 * The name a file of `type` is saved under: `name` if its extension fits the type, otherwise
 * `name` plus the type's first extension (`notes.bat` as text → `notes.bat.txt`; a PNG sent as
 * `photo.txt` → `photo.txt.png`). So the operating system opens the file as what it really is.
 */
export function nameForType(name: string, type: FileType): string {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const known: readonly string[] = FILE_TYPES[type].extensions;
  if (known.includes(extension)) return name;
  return sanitizeFileName(`${name}.${known[0]}`);
}

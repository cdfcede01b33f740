/**
 * Helpers for the files tests (#5): multipart uploads over real HTTP (whole, or streamed with
 * node:http to see when the server stops reading), tiny real files of each type, a stored ZIP.
 */
import http from 'node:http';
import { crc32 } from 'node:zlib';
import type { FileUploadResult } from '../../shared/schemas/files';
import type { ErrorBody } from './server';

/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
/** The start of a Windows executable (DOS header + PE signature): what file-type calls application/x-msdownload. */
export const EXE = (() => {
  const b = Buffer.alloc(512);
  b.write('MZ');
  b.writeUInt32LE(128, 60);
  b.write('PE\0\0', 128);
  return b;
})();
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

export type UploadResponse = { status: number; body: FileUploadResult & ErrorBody; headers: Headers };

/** POST /api/files with fetch and FormData: `conversationId` first, then the file (unless `fileFirst`). */
export async function upload(
  url: string,
  input: { token?: string; conversationId: string; name: string; bytes: Uint8Array; contentType?: string; fileFirst?: boolean },
): Promise<UploadResponse> {
  const form = new FormData();
  const blob = new Blob([new Uint8Array(input.bytes)], { type: input.contentType ?? 'application/octet-stream' });
  if (input.fileFirst) form.append('file', blob, input.name);
  form.append('conversationId', input.conversationId);
  if (!input.fileFirst) form.append('file', blob, input.name);
  const res = await fetch(`${url}/api/files`, { method: 'POST', body: form, headers: input.token ? { authorization: `Bearer ${input.token}` } : {} });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as UploadResponse['body'], headers: res.headers };
}

/**
 * POST /api/files with a multipart body written by hand: `fileParams` is the file part's
 * Content-Disposition parameters as sent (`filename="a.png"`, or RFC 5987 `filename*=UTF-8''…`,
 * which can carry what FormData would escape: newlines, bidi controls).
 */
export async function rawUpload(url: string, input: { token: string; conversationId: string; fileParams: string; bytes: Uint8Array }): Promise<UploadResponse> {
  const boundary = `----sidedesk${Date.now()}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="conversationId"\r\n\r\n${input.conversationId}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; ${input.fileParams}\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    input.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await fetch(`${url}/api/files`, {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${input.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as UploadResponse['body'], headers: res.headers };
}

export interface StreamedUpload {
  status: number;
  body: ErrorBody;
  /** File bytes the client had handed to its socket when the answer came (or the connection closed). */
  sentBytes: number;
  /** Whether the whole body was sent. */
  finished: boolean;
}

/**
 * A multipart upload of `totalBytes` of filler (after a PNG header, so it is not text) written in
 * 64 KiB chunks with backpressure, as a browser streams a big file: chunked, or with a
 * Content-Length when `declareLength`. Stops writing as soon as the answer arrives. `onChunk`
 * runs after each chunk (the test samples memory there).
 */
export function streamUpload(
  url: string,
  input: { token: string; conversationId: string; totalBytes: number; declareLength?: boolean; onChunk?: () => void },
): Promise<StreamedUpload> {
  const boundary = `----sidedesk${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="conversationId"\r\n\r\n${input.conversationId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  PNG.copy(chunk);
  const target = new URL('/api/files', url);
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    let finished = false;
    const req = http.request(target, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${input.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(input.declareLength ? { 'content-length': String(head.length + input.totalBytes + tail.length) } : {}),
      },
    });
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString() || 'null') as ErrorBody, sentBytes, finished }),
      );
      res.on('error', reject);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const write = () => {
      while (!answered && sentBytes < input.totalBytes) {
        const piece = sentBytes === 0 ? chunk : chunk.subarray(0, Math.min(chunk.length, input.totalBytes - sentBytes));
        sentBytes += piece.length;
        input.onChunk?.();
        if (!req.write(piece)) return void req.once('drain', write);
      }
      if (!answered) {
        finished = true;
        req.end(tail);
      }
    };
    req.write(head);
    write();
  });
}

/** A ZIP archive with `entries` stored uncompressed (enough for file-type to look inside it). */
export function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const centralDir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDir, end]);
}

/** A minimal Word document (.docx): the parts file-type reads to tell it from a plain ZIP. */
export function docx(): Buffer {
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    'word/document.xml': '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
  });
}

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { AppError } from '../../../../shared/errors';
import { fileUploadFields, type FileUploadFields } from '../../../../shared/schemas/files';
import { validate } from '../../validate';
import { TextInspector } from './sniff';

/** Where the file part goes, decided once the fields before it have been read and checked. */
export interface UploadTarget {
  /** The partial file to stream into (created here; removed here if the upload fails). */
  path: string;
  /** Largest file accepted: one byte more and the upload is refused and its partial file removed. */
  maxBytes: number;
}

/** A file part that has been stored completely at `path`. */
export interface ReceivedUpload {
  fields: FileUploadFields;
  path: string;
  /** The name the client gave, as sent (clean it before use). */
  clientName: string;
  size: number;
  sha256: string;
  text: { text: boolean; markup: boolean };
}

/** The refusal of an upload over `maxBytes`. */
export function fileTooLarge(maxBytes: number): AppError {
  return new AppError('file_too_large', `The file is larger than ${formatBytes(maxBytes)}, the largest this chat accepts.`);
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

const malformed = (message: string) => new AppError('validation_failed', message);

/** A refused upload with at most this much of its body still to come is read to its end (the connection is kept). */
const DRAIN_MAX_BYTES = 1024 * 1024;
/** Bytes of each upload's body read so far. */
const bodyBytesRead = new WeakMap<IncomingMessage, number>();

/**
 * After an upload has been refused: whether to close the connection once the answer is sent,
 * rather than reading the rest of the body (which Node would read to its end, to reuse the
 * connection). Closed when more than 1 MB, or an unknown amount (chunked), is still to come: a 50
 * MB upload over the limit is not received. A small rest is read, so the client, still sending
 * it, gets the answer instead of a broken pipe.
 */
export function closeAfterRefusal(req: IncomingMessage): boolean {
  if (req.complete) return false;
  const declared = Number(req.headers['content-length']);
  return !Number.isFinite(declared) || declared - (bodyBytesRead.get(req) ?? 0) > DRAIN_MAX_BYTES;
}

/**
 * Reads a `multipart/form-data` upload (#5) with busboy, a streaming parser: its text fields
 * first, then one part named `file`, which is streamed to disk and never held in memory whole.
 * When the file part begins, `open(fields)` is awaited (it authorises the upload and says where
 * it goes; meanwhile backpressure holds the request); whatever it throws refuses the upload
 * before a byte is stored. While the file streams, its size is counted against the target's
 * `maxBytes`, its SHA-256 computed and its text-ness checked (sniff.ts).
 *
 * On any failure the partial file is removed before the returned promise rejects, and a large
 * rest of the request is no longer read ({@link closeAfterRefusal}): the caller answers at once
 * and closes the connection, so a 50 MB upload over a 10 MB limit stops after about 10 MB instead
 * of being received and thrown away.
 */
export function receiveUpload(req: IncomingMessage, ceilingBytes: number, open: (fields: FileUploadFields) => Promise<UploadTarget>): Promise<ReceivedUpload> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        // Browsers send the file name as raw UTF-8 bytes; busboy's default would read them as Latin-1.
        defParamCharset: 'utf8',
        // The file size is counted exactly by `meter` below; busboy's own limit is the server's backstop.
        limits: { files: 1, fields: 10, parts: 12, fieldSize: 1024, headerPairs: 20, fileSize: ceilingBytes },
      });
    } catch {
      reject(malformed('Send the file as multipart/form-data, with a conversationId field and then a file field.'));
      return;
    }

    const fields: Record<string, string> = {};
    let fileStream: Readable | undefined;
    let stored: Promise<ReceivedUpload> | undefined;
    let parsed = false;
    let settled = false;

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      // Stop reading a large rest (the route closes the connection); let Node read a small one.
      if (closeAfterRefusal(req)) req.pause();
      else req.resume();
      // Without an error: nobody may be listening for one yet (the upload may still be being authorised).
      fileStream?.destroy();
      // Reject only once the file part has cleaned up after itself (its partial file is gone).
      void (stored ?? Promise.resolve()).catch(() => undefined).finally(() => reject(err));
    };
    const finishIfDone = () => {
      if (settled || !parsed) return;
      if (!stored) return fail(malformed('The upload has no file: send it in a field named "file".'));
      stored.then((upload) => {
        if (settled) return;
        settled = true;
        resolve(upload);
      }, fail);
    };

    bb.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) return fail(malformed(`The field "${name.slice(0, 40)}" is too long.`));
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (settled) return void stream.resume();
      if (name !== 'file') {
        stream.resume();
        return fail(malformed(`Unexpected file field "${name.slice(0, 40)}": send the file in a field named "file".`));
      }
      fileStream = stream;
      stored = storeFile(stream, info.filename, fields, open);
      stored.then(finishIfDone, fail);
    });
    bb.on('filesLimit', () => fail(malformed('Send one file per upload.')));
    bb.on('fieldsLimit', () => fail(malformed('Too many fields in the upload.')));
    bb.on('partsLimit', () => fail(malformed('Too many parts in the upload.')));
    bb.on('error', () => fail(malformed('The multipart body is malformed.')));
    bb.on('close', () => {
      parsed = true;
      finishIfDone();
    });
    // The client went away mid-upload: stop, and remove what was stored of it.
    req.on('close', () => {
      if (!req.complete) fail(malformed('The upload was interrupted.'));
    });
    bodyBytesRead.set(req, 0);
    req.on('data', (chunk: Buffer) => bodyBytesRead.set(req, (bodyBytesRead.get(req) ?? 0) + chunk.length));
    req.pipe(bb);
  });
}

async function storeFile(
  stream: Readable & { truncated?: boolean },
  clientName: string | undefined,
  rawFields: Record<string, string>,
  open: (fields: FileUploadFields) => Promise<UploadTarget>,
): Promise<ReceivedUpload> {
  // The fields must precede the file: the upload is authorised before a byte is written.
  if (!('conversationId' in rawFields)) throw malformed('Send the conversationId field before the file.');
  const fields = validate(fileUploadFields, rawFields);
  const target = await open(fields);
  // Refused meanwhile (a second file, the client gone): a pipeline from a destroyed stream that had
  // ended never settles (Node 24), so don't start one.
  if (stream.destroyed) throw malformed('The upload was abandoned.');

  const hash = createHash('sha256');
  const text = new TextInspector();
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > target.maxBytes) return done(fileTooLarge(target.maxBytes));
      hash.update(chunk);
      text.push(chunk);
      done(null, chunk);
    },
  });
  try {
    // 'wx': the path is new (a fresh uuid); never follow or overwrite anything already there.
    await pipeline(stream, meter, fs.createWriteStream(target.path, { flags: 'wx', mode: 0o600 }));
    // busboy stopped at the server's ceiling (only reachable when an account's limit equals it).
    if (stream.truncated) throw fileTooLarge(target.maxBytes);
    if (size === 0) throw malformed('The file is empty.');
  } catch (err) {
    await fs.promises.rm(target.path, { force: true });
    throw err;
  }
  return { fields, path: target.path, clientName: clientName ?? '', size, sha256: hash.digest('hex'), text: text.finish() };
}

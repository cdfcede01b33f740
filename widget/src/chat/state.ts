/**
 * The widget's side of the delivery guarantee (Q1) that is its own, as pure functions: the
 * outbox (messages wait under their clientId until acknowledged; every resend reuses it) and the
 * list it renders. Merging by seq, the gap rule, catch-up paging and client ids are the shared
 * client protocol's (shared/protocol, #5).
 */
import type { MessageView } from '../../../shared/schemas/chats';
import type { FileView } from '../../../shared/schemas/files';
import { isPermanentSendError, type Ack } from '../../../shared/errors';

/** A message not yet acknowledged by the server. */
export interface OutboxItem {
  clientId: string;
  conversationId: string;
  body: string;
  createdAt: string;
  /** An uploaded file it carries (#5, P7); `body` is then its caption, maybe empty. */
  file?: FileView;
  /** Last attempt failed for now (timeout, server error); it is retried on the next connect or on demand. */
  failed?: boolean;
  /**
   * Refused for good (#4: message_rejected, validation_failed, a closed or unknown chat): never
   * resent, and the messages after it go on. The visitor removes it or edits it into a new one.
   */
  rejected?: boolean;
}

/**
 * A file being uploaded (#5, P7), before it becomes an outbox message: in memory only (a File
 * can't be stored), shown with its progress, or its error with Retry (for now) or Remove.
 */
export interface Upload {
  clientId: string;
  conversationId: string;
  blob: Blob;
  name: string;
  size: number;
  createdAt: string;
  /** Fraction sent, 0…1. */
  progress: number;
  /** Why it failed: the server's refusal (`refused`: size or type, for good) or '' for a failure worth a retry. */
  error?: string;
  refused?: boolean;
}

export type DisplayStatus = 'sent' | 'sending' | 'failed' | 'rejected' | 'uploading' | 'upload-failed';

/** What the message list renders: confirmed messages by seq, then pending ones in send order. */
export interface DisplayMessage {
  key: string;
  clientId: string;
  seq: number | null;
  author: MessageView['author'];
  authorName: string;
  body: string;
  createdAt: string;
  status: DisplayStatus;
  /** The file it carries (#5), or the one being uploaded (name and size only). */
  file?: FileView | { name: string; size: number; type?: undefined; image?: undefined };
  /** While uploading: the fraction sent; after a failed upload: the upload, for Retry and Remove. */
  upload?: Upload;
}

/** Drops outbox items whose message the server has confirmed (seen in `confirmed`). */
export function pruneOutbox(outbox: readonly OutboxItem[], confirmed: readonly MessageView[]): OutboxItem[] {
  const ids = new Set(confirmed.map((m) => m.clientId));
  return outbox.filter((o) => !ids.has(o.clientId));
}

/** The list to render: confirmed messages by seq, then outbox items of this conversation. */
export function displayMessages(
  confirmed: readonly MessageView[],
  outbox: readonly OutboxItem[],
  conversationId: string | null,
  visitorName: string,
  uploads: readonly Upload[] = [],
): DisplayMessage[] {
  const ids = new Set<string>();
  const out: DisplayMessage[] = confirmed.map((m) => {
    ids.add(m.clientId);
    return {
      key: 's' + m.seq,
      clientId: m.clientId,
      seq: m.seq,
      author: m.author,
      authorName: m.authorName,
      body: m.body,
      createdAt: m.createdAt,
      status: 'sent',
      file: m.file,
    };
  });
  for (const o of outbox) {
    if (o.conversationId !== conversationId || ids.has(o.clientId)) continue;
    out.push({
      key: 'c' + o.clientId,
      clientId: o.clientId,
      seq: null,
      author: 'visitor',
      authorName: visitorName,
      body: o.body,
      createdAt: o.createdAt,
      status: o.rejected ? 'rejected' : o.failed ? 'failed' : 'sending',
      file: o.file,
    });
  }
  for (const u of uploads) {
    if (u.conversationId !== conversationId) continue;
    out.push({
      key: 'u' + u.clientId,
      clientId: u.clientId,
      seq: null,
      author: 'visitor',
      authorName: visitorName,
      body: '',
      createdAt: u.createdAt,
      status: u.error === undefined ? 'uploading' : 'upload-failed',
      file: { name: u.name, size: u.size },
      upload: u,
    });
  }
  return out;
}

/**
 * Outcome of one send attempt. `retry`: try again later (timeout, disconnect, server error);
 * otherwise resending the same message can never succeed (see isPermanentSendError).
 */
export type SendOutcome = { ok: true; message: MessageView } | { ok: false; retry: boolean; message: string };

/** Turns an ack (or a thrown timeout) into a {@link SendOutcome}. */
export function toOutcome(res: Ack<MessageView> | Error): SendOutcome {
  if (res instanceof Error) return { ok: false, retry: true, message: res.message };
  if (res.ok) return { ok: true, message: res.data };
  return { ok: false, retry: !isPermanentSendError(res.error.code), message: res.error.message };
}

/**
 * The operator's files on their way into a chat (#5, P7): each is uploaded with its progress
 * shown, then sent through the outbox like a message, with the upload's clientId (so a send
 * whose ack was lost is resent, never stored twice). A failed upload offers Retry (for now) or
 * Remove; the server's refusal (size, type) is shown as it says it.
 */
import { ref } from 'vue';
import type { FileView } from '@@/shared/schemas/files';
import { FileRequestError, uploadFile, type FileCredentials } from '@/utils/files';
import { newClientId } from '@/utils/messages';

export interface PanelUpload {
  clientId: string;
  conversationId: string;
  file: File;
  /** Fraction sent, 0…1. */
  progress: number;
  state: 'uploading' | 'failed' | 'refused';
  /** The server's refusal, when `refused`. */
  error?: string;
}

/** Refusals that another try of the same file can't change. */
const REFUSED = new Set(['file_too_large', 'file_type_not_allowed', 'validation_failed', 'chat_closed', 'not_found']);

export interface UploadsOptions {
  credentials(): FileCredentials | null;
  /** The file is stored: send it as a message with this clientId. */
  onUploaded(conversationId: string, clientId: string, file: FileView): Promise<void>;
}

export function useUploads(options: UploadsOptions) {
  const uploads = ref<PanelUpload[]>([]);

  function patch(clientId: string, p: Partial<PanelUpload>) {
    uploads.value = uploads.value.map((u) => (u.clientId === clientId ? { ...u, ...p } : u));
  }

  async function run(upload: PanelUpload) {
    const creds = options.credentials();
    patch(upload.clientId, { progress: 0, state: 'uploading', error: undefined });
    let file: FileView;
    try {
      if (!creds) throw new FileRequestError('signed out');
      file = await uploadFile(creds, upload.conversationId, upload.file, (progress) => patch(upload.clientId, { progress }));
    } catch (err) {
      const code = err instanceof FileRequestError ? err.code : undefined;
      return patch(upload.clientId, code && REFUSED.has(code) ? { state: 'refused', error: (err as Error).message } : { state: 'failed' });
    }
    if (!uploads.value.some((u) => u.clientId === upload.clientId)) return; // removed meanwhile
    uploads.value = uploads.value.filter((u) => u.clientId !== upload.clientId);
    await options.onUploaded(upload.conversationId, upload.clientId, file);
  }

  function send(conversationId: string, files: readonly File[]) {
    for (const file of files) {
      const upload: PanelUpload = { clientId: newClientId(), conversationId, file, progress: 0, state: 'uploading' };
      uploads.value = [...uploads.value, upload];
      void run(upload);
    }
  }

  function retry(clientId: string) {
    const upload = uploads.value.find((u) => u.clientId === clientId);
    if (upload) void run(upload);
  }

  function remove(clientId: string) {
    uploads.value = uploads.value.filter((u) => u.clientId !== clientId);
  }

  function reset() {
    uploads.value = [];
  }

  return { uploads, send, retry, remove, reset };
}

/**
 * Files over HTTP (#5, P7): the widget uploads with XMLHttpRequest, the one browser API that
 * reports upload progress, and asks for a fresh signed URL when one has expired. The visitor
 * token is the permission (POST /api/files, GET /api/files/:id).
 */
import type { FileUploadResult, FileView } from '../../shared/schemas/files';

/** An upload or a look-up the server refused (`code` from shared/errors.ts), or that failed on the way (`code` absent). */
export class FileError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface FileTransfer {
  /** Uploads `file` into the conversation; `progress` gets the fraction sent (0…1). */
  upload(conversationId: string, file: Blob & { name?: string }, progress: (fraction: number) => void): Promise<FileView>;
  /** The file's view with a fresh signed URL. */
  refresh(fileId: string): Promise<FileView>;
  /** Where a file's bytes are: its URL is a path on the server. */
  href(file: FileView): string;
}

export function fileTransfer(server: string, token: () => string): FileTransfer {
  const call = <T>(method: string, path: string, body: FormData | null, progress?: (f: number) => void) =>
    new Promise<T>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, server + path);
      xhr.setRequestHeader('Authorization', `Bearer ${token()}`);
      if (progress) xhr.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total);
      xhr.onload = () => {
        let data: { error?: { code: string; message: string } } & T;
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          return reject(new FileError(`HTTP ${xhr.status}`));
        }
        if (xhr.status < 300) resolve(data);
        else reject(new FileError(data.error?.message ?? `HTTP ${xhr.status}`, data.error?.code));
      };
      xhr.onerror = xhr.onabort = xhr.ontimeout = () => reject(new FileError('network'));
      xhr.send(body);
    });
  return {
    upload: async (conversationId, file, progress) => {
      const form = new FormData();
      // The conversation first: the server authorises the upload before it stores a byte.
      form.append('conversationId', conversationId);
      form.append('file', file, file.name || 'file');
      return (await call<FileUploadResult>('POST', '/api/files', form, progress)).file;
    },
    refresh: async (fileId) => (await call<FileUploadResult>('GET', `/api/files/${encodeURIComponent(fileId)}`, null)).file,
    href: (file) => server + file.url,
  };
}

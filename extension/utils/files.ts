/**
 * Files in chats over HTTP (#5, P7), with the operator's token: POST /api/files is multipart,
 * which the JSON api client can't send, and XMLHttpRequest is the browser API that reports
 * upload progress. GET /api/files/:id gives a fresh signed URL once one has expired.
 */
import type { FileUploadResult, FileView } from '@@/shared/schemas/files';

export interface FileCredentials {
  serverUrl: string;
  token: string;
}

/** A refusal of the server (`code`: file_too_large, file_type_not_allowed, …) or a failure on the way (no `code`). */
export class FileRequestError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function request<T>(method: string, url: string, token: string, body: FormData | null, progress?: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    if (progress) xhr.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total);
    xhr.onload = () => {
      let data: T & { error?: { code: string; message: string } };
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        return reject(new FileRequestError(`HTTP ${xhr.status}`));
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new FileRequestError(data.error?.message ?? `HTTP ${xhr.status}`, data.error?.code));
    };
    xhr.onerror = xhr.onabort = xhr.ontimeout = () => reject(new FileRequestError('network'));
    xhr.send(body);
  });
}

/** Uploads `file` into the conversation; `progress` gets the fraction sent (0…1). */
export async function uploadFile(creds: FileCredentials, conversationId: string, file: File, progress: (fraction: number) => void): Promise<FileView> {
  const form = new FormData();
  // The conversation first: the server authorises the upload before it stores a byte.
  form.append('conversationId', conversationId);
  form.append('file', file, file.name || 'file');
  return (await request<FileUploadResult>('POST', `${creds.serverUrl}/api/files`, creds.token, form, progress)).file;
}

/** The file's view with a fresh signed URL. */
export async function refreshFile(creds: FileCredentials, fileId: string): Promise<FileView> {
  return (await request<FileUploadResult>('GET', `${creds.serverUrl}/api/files/${encodeURIComponent(fileId)}`, creds.token, null)).file;
}

/** Where a file's bytes are: its URL is a path on the server. */
export function fileHref(serverUrl: string, file: FileView): string {
  return serverUrl + file.url;
}

/** "2.4 MB" */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

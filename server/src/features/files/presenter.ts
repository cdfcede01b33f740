import { isFileType, isInlineImage, type FileView } from '../../../../shared/schemas/files';
import type { FileRow } from './repo';
import type { FileUrls } from './urls';

/**
 * A stored file as the chat shows it (#5), with a freshly signed download URL. The chats
 * feature presents a message's attachment with this, for visitors and operators alike.
 */
export function presentFile(row: FileRow, urls: FileUrls): FileView {
  // Rows are written only with a detected FILE_TYPES type; an admin narrowing the list later doesn't change stored files.
  if (!isFileType(row.type)) throw new Error(`files: stored type ${row.type} is not a FILE_TYPES type`);
  return { id: row.id, name: row.name, size: row.size, type: row.type, url: urls.url(row.id), image: isInlineImage(row.type) };
}

import { FILE_TYPES, isFileType, type FileType } from '../../../../shared/schemas/files';

/** Longest a type detection may take (file-type reads into ZIPs to tell a .docx from a .zip). */
const DETECT_TIMEOUT_MS = 5_000;
/** Largest single read file-type may ask for (it also caps ZIP entries it inflates at 1 MiB). */
const DETECT_MAX_READ_BYTES = 1024 * 1024;
/** How much of a text file's start the markup check looks at. */
const TEXT_HEAD_CHARS = 1024;

/** Types file-type names more precisely than the chat needs: an animated PNG is a PNG to every browser. */
const SAME_AS: Record<string, FileType> = { 'image/apng': 'image/png' };

/**
 * Text has no magic number (#5), so it is recognised by what it is not: a text file is valid
 * UTF-8 all the way through, with no NUL and no control character other than tab, newline,
 * carriage return and form feed (no ESC: terminal escape sequences; no C1 controls either), and it
 * does not start with markup (`<html`, `<svg`, `<?xml`, `<!DOCTYPE`, `<!--`…: those are HTML, SVG
 * or XML, which can carry scripts and are not accepted at all). UTF-16 text (NUL bytes) is not
 * accepted. Fed chunk by chunk while the upload streams to disk; nothing is kept but the head.
 */
export class TextInspector {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private text = true;
  private head = '';

  push(chunk: Uint8Array): void {
    if (!this.text) return;
    let decoded: string;
    try {
      decoded = this.decoder.decode(chunk, { stream: true });
    } catch {
      this.text = false;
      return;
    }
    // eslint-disable-next-line no-control-regex -- these control characters are what is refused
    if (/[\x00-\x08\x0B\x0E-\x1F\x7F-\x9F]/.test(decoded)) this.text = false;
    else if (this.head.length < TEXT_HEAD_CHARS) this.head += decoded.slice(0, TEXT_HEAD_CHARS - this.head.length);
  }

  /** After the last chunk: is it plain text, and does it start like markup? */
  finish(): { text: boolean; markup: boolean } {
    if (this.text) {
      try {
        this.decoder.decode(); // throws on a sequence cut off at the end
      } catch {
        this.text = false;
      }
    }
    return { text: this.text, markup: /^\s*<[A-Za-z!?/]/.test(this.head) };
  }
}

export type Sniffed = { ok: true; type: FileType } | { ok: false; what: string };

/**
 * The type of the stored upload at `path`, from its bytes: file-type's magic numbers first (a PNG
 * named `.txt` is a PNG; an .exe named `.png` is an exe), then the text rule of
 * {@link TextInspector}. `name` only tells CSV from other text. `{ ok: false, what }` names what the
 * file was found to be, for the refusal.
 */
export async function sniffFile(path: string, name: string, text: { text: boolean; markup: boolean }): Promise<Sniffed> {
  // Loaded on the first upload: a server that never receives a file doesn't pay for it at start.
  const { FileTypeParser } = await import('file-type');
  const parser = new FileTypeParser({ signal: AbortSignal.timeout(DETECT_TIMEOUT_MS), maxBufferSize: DETECT_MAX_READ_BYTES });
  const detected = await parser.fromFile(path).catch(() => undefined);
  if (detected) {
    const type = SAME_AS[detected.mime] ?? detected.mime;
    return isFileType(type) ? { ok: true, type } : { ok: false, what: `a ${detected.ext.toUpperCase()} file (${detected.mime})` };
  }
  if (text.text && !text.markup) return { ok: true, type: /\.csv$/i.test(name) ? 'text/csv' : 'text/plain' };
  if (text.text) return { ok: false, what: 'markup (HTML, SVG or XML)' };
  return { ok: false, what: 'of a type that could not be recognised' };
}

/** "PNG image, JPEG image, …" for a refusal that says what is accepted. */
export function describeTypes(types: readonly FileType[]): string {
  return types.map((t) => FILE_TYPES[t].label).join(', ');
}

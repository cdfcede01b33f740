/**
 * Files in the widget's chat (#5, P7): the paperclip, drag and drop and pasted images in; images
 * shown inline and other files as a download chip out; an upload's progress and failure. Every
 * name goes in as text; the only URLs used are the server's signed file URLs.
 */
import type { FileView } from '../../../shared/schemas/files';
import type { ChatController } from '../chat/controller';
import type { DisplayMessage } from '../chat/state';
import { attr, h, icon } from './dom';
import { ICON_CLIP, ICON_FILE } from './icons';
import { strings as t } from './strings';

/** The paperclip button and its hidden file input; `send` gets what the visitor picked. */
export function attachButton(send: (files: File[]) => void): HTMLElement {
  const input = h('input', { type: 'file', multiple: true, hidden: true, tabindex: -1, 'aria-hidden': 'true', 'data-testid': 'composer-file' });
  input.addEventListener('change', () => {
    if (input.files?.length) send([...input.files]);
    input.value = '';
  });
  const button = h(
    'button',
    { class: 'clip', type: 'button', 'aria-label': t.attach, title: t.attach, 'data-testid': 'composer-attach', onclick: () => input.click() },
    icon(ICON_CLIP, 22),
  );
  return h('span', { class: 'clipbox' }, button, input);
}

/** Files dropped on `zone` or pasted into `input` (a screenshot from the clipboard) are sent. */
export function acceptFiles(zone: HTMLElement, input: HTMLElement, send: (files: File[]) => void): void {
  const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  let depth = 0;
  const dragging = (on: boolean) => zone.classList.toggle('dropping', on);
  zone.addEventListener('dragenter', (e) => hasFiles(e) && (e.preventDefault(), dragging(++depth > 0)));
  zone.addEventListener('dragover', (e) => hasFiles(e) && e.preventDefault());
  zone.addEventListener('dragleave', () => dragging(--depth > 0));
  zone.addEventListener('drop', (e) => {
    depth = 0;
    dragging(false);
    const files = [...(e.dataTransfer?.files ?? [])];
    if (!files.length) return;
    e.preventDefault();
    send(files);
  });
  input.addEventListener('paste', (e) => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (!files.length) return; // plain text pastes as usual
    e.preventDefault();
    send(files);
  });
}

/** "2.4 MB" */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Brings a message's attachment box in line with its file: an image preview (a link to the full
 * size), a download chip, or the chip of a file still uploading with its progress bar.
 */
export function renderAttachment(box: HTMLElement, m: DisplayMessage, ctrl: ChatController): void {
  const file = m.file;
  box.hidden = !file;
  if (!file) return void box.replaceChildren();
  const stored = file.type ? (file as FileView) : null;
  const href = stored ? ctrl.fileHref(stored) : '';
  const key = `${stored?.id ?? 'up'}|${href}`;
  if (box.dataset.k !== key) {
    box.dataset.k = key;
    if (stored?.image) box.replaceChildren(imageLink(stored, href, ctrl));
    else {
      const chip = stored
        ? h('a', {
            class: 'chip',
            href,
            target: '_blank',
            rel: 'noopener',
            download: stored.name,
            'data-testid': 'file-chip',
            // The visible name and size are its accessible name (a label of other words would hide
            // them from speech input users); the title says what a click does.
            title: t.download(stored.name, formatSize(stored.size)),
          })
        : h('div', { class: 'chip', 'data-testid': 'file-chip' });
      chip.append(icon(ICON_FILE, 22), h('span', { class: 'fn' }, h('b', {}, file.name), h('small', {}, formatSize(file.size))));
      box.replaceChildren(chip);
    }
  }
  // Progress of an upload: a bar under the chip, announced as a progress bar.
  let bar = box.querySelector<HTMLElement>('.bar');
  if (m.status !== 'uploading') return void bar?.remove();
  if (!bar)
    box.append(
      (bar = h('div', { class: 'bar', role: 'progressbar', 'aria-label': t.uploadingFile(file.name), 'aria-valuemin': 0, 'aria-valuemax': 100 }, h('i'))),
    );
  const pct = Math.round((m.upload?.progress ?? 0) * 100);
  attr(bar, 'aria-valuenow', String(pct));
  (bar.firstChild as HTMLElement).style.width = `${pct}%`;
}

/** The inline preview of an image; when its URL has expired (#5: about an hour), one fresh URL is asked for. */
function imageLink(file: FileView, href: string, ctrl: ChatController): HTMLElement {
  const img = h('img', { src: href, alt: file.name, loading: 'lazy', 'data-testid': 'file-image' });
  img.addEventListener('error', () => {
    if (img.dataset.retried) return;
    img.dataset.retried = '1';
    void ctrl.refreshFile(file.id);
  });
  return h('a', { class: 'pic', href, target: '_blank', rel: 'noopener', 'aria-label': t.openImage(file.name) }, img);
}

/** The status line of an upload: "Uploading… 40%", or why it failed and what can be done. */
export function uploadMeta(m: DisplayMessage, ctrl: ChatController, remove: (clientId: string) => void): (Node | string)[] {
  const u = m.upload!;
  if (m.status === 'uploading') return [t.uploading];
  const removeBtn = h(
    'button',
    { type: 'button', 'aria-label': t.removeFile(u.name), 'data-testid': 'upload-remove', onclick: () => remove(u.clientId) },
    t.remove,
  );
  if (u.refused) return [h('span', { role: 'alert' }, u.error ?? ''), ' ', removeBtn];
  return [
    h('span', { role: 'alert' }, t.uploadFailed),
    ' ',
    h('button', { type: 'button', 'aria-label': t.retryUpload(u.name), 'data-testid': 'upload-retry', onclick: () => ctrl.retryUpload(u.clientId) }, t.retry),
    ' ',
    removeBtn,
  ];
}

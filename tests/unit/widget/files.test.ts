// @vitest-environment happy-dom
/**
 * #5 files in the widget (P7): an upload with its progress becomes an outbox message with the
 * same clientId (resent after a reconnect, never uploaded twice); refusals show the server's
 * message; failures offer Retry and Remove; images preview inline, other files download.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileView } from '../../../shared/schemas/files';
import { FileError, type FileTransfer } from '../../../widget/src/files';
import { mountUI, type WidgetUI } from '../../../widget/src/ui/app';
import { FakeServer, memoryStorage, settle, setup } from './fakes';

const IMG: FileView = {
  id: '00000000-0000-4000-8000-0000000000f1',
  name: 'photo.png',
  size: 2048,
  type: 'image/png',
  url: '/api/files/f1/content?expires=1&signature=a',
  image: true,
};
const PDF: FileView = {
  id: '00000000-0000-4000-8000-0000000000f2',
  name: 'invoice.pdf',
  size: 3 * 1024 * 1024,
  type: 'application/pdf',
  url: '/api/files/f2/content?expires=1&signature=b',
  image: false,
};

/** A FileTransfer whose uploads the test settles by hand. */
class FakeFiles implements FileTransfer {
  uploads: { conversationId: string; name: string; progress: (f: number) => void; resolve: (f: FileView) => void; reject: (e: Error) => void }[] = [];
  refreshed: string[] = [];
  fresh = new Map<string, FileView>();
  upload(conversationId: string, file: Blob & { name?: string }, progress: (f: number) => void) {
    return new Promise<FileView>((resolve, reject) => this.uploads.push({ conversationId, name: file.name ?? '', progress, resolve, reject }));
  }
  refresh(fileId: string) {
    this.refreshed.push(fileId);
    const f = this.fresh.get(fileId);
    return f ? Promise.resolve(f) : Promise.reject(new FileError('File not found.', 'not_found'));
  }
  href(file: FileView) {
    return 'https://chat.example' + file.url;
  }
}

let ui: WidgetUI | undefined;
beforeEach(() => document.body.replaceChildren());
afterEach(() => ui?.host.remove());

function mount(storage = memoryStorage()) {
  const server = new FakeServer();
  server.files.set(IMG.id, IMG);
  server.files.set(PDF.id, PDF);
  const files = new FakeFiles();
  const env = setup(storage, server, () => ui?.render(), undefined, files);
  ui = mountUI(env.ctrl);
  const root = document.getElementById('sidedesk-widget')!.shadowRoot!;
  const $ = <T extends HTMLElement = HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`)!;
  const $$ = (id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
  return { ...env, files, root, $, $$ };
}

const picked = (name: string, type: string) => new File([new Uint8Array(16)], name, { type });

describe('widget files (#5)', () => {
  it('uploads a picked file with progress, then sends it with its fileId under the upload’s clientId', async () => {
    const { ctrl, transport, files, $, $$, root } = mount();
    await transport.up();
    ctrl.setOpen(true);
    expect($('composer-attach').getAttribute('aria-label')).toBe('Attach a file');
    const input = $<HTMLInputElement>('composer-file');
    Object.defineProperty(input, 'files', { value: [picked('photo.png', 'image/png')], configurable: true });
    input.dispatchEvent(new Event('change'));

    expect(files.uploads).toHaveLength(1);
    expect(files.uploads[0]!.conversationId).toBe(transport.server.conversation.id);
    files.uploads[0]!.progress(0.4);
    const bar = root.querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    expect(bar.getAttribute('aria-label')).toBe('Uploading photo.png');
    expect($$('message').at(-1)!.textContent).toContain('Uploading…');
    expect(transport.sends()).toHaveLength(0);

    const clientId = ctrl.state.uploads[0]!.clientId;
    files.uploads[0]!.resolve(IMG);
    await settle();
    expect(transport.sends()).toEqual([{ conversationId: transport.server.conversation.id, clientId, body: '', fileId: IMG.id }]);
    expect(ctrl.state.uploads).toEqual([]);
    expect(ctrl.state.outbox).toEqual([]);
    expect(root.querySelector('[role="progressbar"]')).toBeNull();

    // Shown inline: a link to the full size in a new tab, the name as alt text; no empty bubble.
    const img = $<HTMLImageElement>('file-image');
    expect(img.alt).toBe('photo.png');
    expect(img.getAttribute('src')).toBe('https://chat.example' + IMG.url);
    const link = img.closest('a')!;
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener');
    expect($$('message-body').at(-1)!.hidden).toBe(true);
  });

  it('shows another file as a download chip with its name and size', async () => {
    const { ctrl, transport, $ } = mount();
    transport.server.add('operator', 'Here it is');
    transport.server.messages.at(-1)!.file = PDF;
    await transport.up();
    ctrl.setOpen(true);
    const chip = $<HTMLAnchorElement>('file-chip');
    expect(chip.tagName).toBe('A');
    expect(chip.getAttribute('href')).toBe('https://chat.example' + PDF.url);
    expect(chip.getAttribute('download')).toBe('invoice.pdf');
    expect(chip.getAttribute('title')).toBe('Download invoice.pdf, 3.0 MB');
    expect(chip.textContent).toBe('invoice.pdf3.0 MB');
  });

  it('resends an uploaded file whose send was not acknowledged after a reconnect (and a reload), with the same clientId', async () => {
    const storage = memoryStorage();
    const first = mount(storage);
    await first.transport.up();
    first.transport.server.loseAcks = true;
    first.ctrl.sendFiles([picked('photo.png', 'image/png')]);
    first.files.uploads[0]!.resolve(IMG);
    await settle();
    const sent = first.transport.sends()[0]!;
    first.transport.down();
    await settle();
    expect(first.ctrl.state.outbox).toMatchObject([{ clientId: sent.clientId, file: { id: IMG.id } }]);

    // The page reloads: the outbox (with the uploaded file) comes back from storage and is resent.
    ui!.host.remove();
    const second = mount(storage);
    second.transport.server.messages = first.transport.server.messages;
    second.transport.server.conversation.lastSeq = first.transport.server.conversation.lastSeq;
    // The server holds it already: the widget gets it in the session and stops resending.
    await second.transport.up();
    expect(second.ctrl.state.outbox).toEqual([]);
    expect(second.ctrl.state.messages.at(-1)).toMatchObject({ clientId: sent.clientId, file: { id: IMG.id } });
    expect(second.files.uploads).toHaveLength(0);

    // And one not yet stored anywhere is resent with its clientId and fileId.
    const third = mount(memoryStorage());
    await third.transport.up();
    third.transport.server.loseAcks = true;
    third.ctrl.sendFiles([picked('invoice.pdf', 'application/pdf')]);
    third.files.uploads[0]!.resolve(PDF);
    await settle();
    const original = third.transport.sends()[0]!;
    third.transport.server.messages = [];
    third.transport.server.conversation.lastSeq = 0;
    third.transport.down();
    third.transport.server.loseAcks = false;
    await third.transport.up();
    expect(third.transport.sends().at(-1)).toEqual(original);
    expect(third.ctrl.state.outbox).toEqual([]);
  });

  it('shows the server’s refusal of a file (size or type) with Remove only', async () => {
    const { ctrl, transport, files, $, $$ } = mount();
    await transport.up();
    ctrl.setOpen(true);
    ctrl.sendFiles([picked('huge.mov', 'video/quicktime')]);
    files.uploads[0]!.reject(new FileError('The file is larger than 10 MB, the largest this chat accepts.', 'file_too_large'));
    await settle();
    const item = $$('message').at(-1)!;
    expect(item.querySelector('[role="alert"]')!.textContent).toBe('The file is larger than 10 MB, the largest this chat accepts.');
    expect(item.querySelector('[data-testid="upload-retry"]')).toBeNull();
    $('upload-remove').click();
    expect(ctrl.state.uploads).toEqual([]);
    expect(transport.sends()).toHaveLength(0);
  });

  it('offers Retry and Remove when an upload fails on the way, and Retry uploads it again', async () => {
    const { ctrl, transport, files, $, $$ } = mount();
    await transport.up();
    ctrl.setOpen(true);
    ctrl.sendFiles([picked('photo.png', 'image/png')]);
    files.uploads[0]!.reject(new FileError('network'));
    await settle();
    expect($$('message').at(-1)!.querySelector('[role="alert"]')!.textContent).toBe("Couldn't upload.");
    expect($('upload-retry').getAttribute('aria-label')).toBe('Upload photo.png again');
    const clientId = ctrl.state.uploads[0]!.clientId;
    $('upload-retry').click();
    expect(files.uploads).toHaveLength(2);
    files.uploads[1]!.resolve(IMG);
    await settle();
    expect(transport.sends()).toMatchObject([{ clientId, fileId: IMG.id }]);
  });

  it('sends files dropped on the chat or pasted into the composer', async () => {
    const { ctrl, transport, files, root, $ } = mount();
    await transport.up();
    ctrl.setOpen(true);
    const chat = root.querySelector<HTMLElement>('.chat')!;
    const drop = new Event('drop', { bubbles: true, cancelable: true }) as DragEvent;
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [picked('a.pdf', 'application/pdf')], types: ['Files'] } });
    chat.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    const paste = new Event('paste', { bubbles: true, cancelable: true }) as ClipboardEvent;
    Object.defineProperty(paste, 'clipboardData', { value: { files: [picked('image.png', 'image/png')] } });
    $('composer-input').dispatchEvent(paste);
    expect(paste.defaultPrevented).toBe(true);
    expect(files.uploads.map((u) => u.name)).toEqual(['a.pdf', 'image.png']);
  });

  it('asks once for a fresh URL when an image no longer loads (its signed URL expired)', async () => {
    const { ctrl, transport, files, $ } = mount();
    transport.server.add('operator', '');
    transport.server.messages.at(-1)!.file = IMG;
    await transport.up();
    ctrl.setOpen(true);
    const fresh = { ...IMG, url: '/api/files/f1/content?expires=2&signature=c' };
    files.fresh.set(IMG.id, fresh);
    $('file-image').dispatchEvent(new Event('error'));
    await settle();
    expect(files.refreshed).toEqual([IMG.id]);
    expect($('file-image').getAttribute('src')).toBe('https://chat.example' + fresh.url);
    // The fresh one fails too: no loop.
    files.fresh.delete(IMG.id);
    $('file-image').dispatchEvent(new Event('error'));
    await settle();
    expect(files.refreshed.length).toBeLessThanOrEqual(2);
  });
});

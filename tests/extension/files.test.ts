/**
 * #5 files in the panel (P7): the composer's paperclip and paste, the messages' image previews
 * and download chips, the uploads' progress and failures, and the store's upload → send path.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { FileView } from '@@/shared/schemas/files';
import ChatAttachment from '@/components/chat/ChatAttachment.vue';
import ChatComposer from '@/components/chat/ChatComposer.vue';
import ChatMessages from '@/components/chat/ChatMessages.vue';
import ChatUploads from '@/components/chat/ChatUploads.vue';
import { useUploads, type PanelUpload } from '@/composables/chats/useUploads';
import { useSessionStore } from '@/stores/session';
import { fromView } from '@/utils/messages';
import { message } from './fakes';

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

beforeEach(() => {
  fakeBrowser.reset();
  setActivePinia(createPinia());
  useSessionStore().session = { serverUrl: 'https://chat.example', token: 'tok', operator: {} as never, account: {} as never };
});
afterEach(() => vi.unstubAllGlobals());

/** An XMLHttpRequest double: the test answers each request it records. */
class FakeXhr {
  static all: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  responseText = '';
  upload: { onprogress?: (e: { lengthComputable: boolean; loaded: number; total: number }) => void } = {};
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;
  ontimeout?: () => void;
  constructor() {
    FakeXhr.all.push(this);
  }
  open(method: string, url: string) {
    Object.assign(this, { method, url });
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  send(body: FormData | null) {
    this.body = body;
  }
  answer(status: number, body: unknown) {
    Object.assign(this, { status, responseText: JSON.stringify(body) });
    this.onload?.();
  }
}

describe('panel files (#5)', () => {
  it('shows an image inline, linking to the full size in a new tab, with its name as alt text', () => {
    const wrapper = mount(ChatAttachment, { props: { file: IMG } });
    const img = wrapper.get('[data-testid=file-image]');
    expect(img.attributes('src')).toBe('https://chat.example' + IMG.url);
    expect(img.attributes('alt')).toBe('photo.png');
    const link = wrapper.get('a');
    expect(link.attributes()).toMatchObject({ href: 'https://chat.example' + IMG.url, target: '_blank', rel: 'noopener' });
  });

  it('shows another file as a download chip (a link) with its name and size, and asks once for a fresh URL when an image fails', async () => {
    const chip = mount(ChatAttachment, { props: { file: PDF } }).get('[data-testid=file-chip]');
    expect(chip.element.tagName).toBe('A');
    expect(chip.attributes('download')).toBe('invoice.pdf');
    expect(chip.attributes('title')).toBe('Download invoice.pdf, 3.0 MB');
    expect(chip.text()).toContain('3.0 MB');

    const pic = mount(ChatAttachment, { props: { file: IMG } });
    await pic.get('img').trigger('error');
    await pic.get('img').trigger('error');
    expect(pic.emitted('expired')).toEqual([[IMG.id]]);
  });

  it('renders a file message without an empty bubble, and its caption when it has one', () => {
    const list = [
      fromView(message('conv-1', 1, { body: '', file: IMG })),
      fromView(message('conv-1', 2, { author: 'operator', authorName: 'Olivia', body: 'Your invoice', file: PDF })),
    ];
    const wrapper = mount(ChatMessages, { props: { messages: list, label: 'Chat', online: true, loading: false } });
    const items = wrapper.findAll('[data-testid=message]');
    expect(items[0]!.find('[data-testid=message-body]').exists()).toBe(false);
    expect(items[0]!.find('[data-testid=file-image]').exists()).toBe(true);
    expect(items[1]!.get('[data-testid=message-body]').text()).toBe('Your invoice');
    expect(items[1]!.find('[data-testid=file-chip]').exists()).toBe(true);
  });

  it('sends picked and pasted files from the composer; the paperclip is a labelled button', async () => {
    const wrapper = mount(ChatComposer, { props: { modelValue: '' } });
    const clip = wrapper.get('[data-testid=composer-attach]');
    expect(clip.element.tagName).toBe('BUTTON');
    expect(clip.attributes('aria-label')).toBe('Attach a file');
    const picked = new File(['x'], 'a.pdf', { type: 'application/pdf' });
    const input = wrapper.get('[data-testid=composer-file]');
    Object.defineProperty(input.element, 'files', { value: [picked], configurable: true });
    await input.trigger('change');
    const pasted = new File(['y'], 'image.png', { type: 'image/png' });
    const paste = new Event('paste', { cancelable: true }) as ClipboardEvent;
    Object.defineProperty(paste, 'clipboardData', { value: { files: [pasted] } });
    wrapper.get('textarea').element.dispatchEvent(paste);
    expect(paste.defaultPrevented).toBe(true);
    expect(wrapper.emitted('files')).toEqual([[[picked]], [[pasted]]]);
  });

  it('shows an upload’s progress, its refusal with Remove, and a failure with Retry', async () => {
    const file = new File(['x'], 'big.mov');
    const uploads: PanelUpload[] = [
      { clientId: 'op_a', conversationId: 'c', file, progress: 0.25, state: 'uploading' },
      { clientId: 'op_b', conversationId: 'c', file, progress: 0, state: 'refused', error: 'The file is larger than 10 MB, the largest this chat accepts.' },
      { clientId: 'op_c', conversationId: 'c', file, progress: 0, state: 'failed' },
    ];
    const wrapper = mount(ChatUploads, { props: { uploads } });
    const [a, b, c] = wrapper.findAll('[data-testid=upload]');
    expect(a!.get('[role=progressbar]').attributes('aria-valuenow')).toBe('25');
    expect(b!.get('[role=alert]').text()).toBe('The file is larger than 10 MB, the largest this chat accepts.');
    expect(b!.find('[data-testid=upload-retry]').exists()).toBe(false);
    expect(c!.get('[role=alert]').text()).toBe("Couldn't upload.");
    await c!.get('[data-testid=upload-retry]').trigger('click');
    await b!.get('[data-testid=upload-remove]').trigger('click');
    expect(wrapper.emitted('retry')).toEqual([['op_c']]);
    expect(wrapper.emitted('remove')).toEqual([['op_b']]);
  });

  it('uploads with the operator token (conversation first), reports progress, then sends under the upload’s clientId; Retry after a failure', async () => {
    FakeXhr.all = [];
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const sent: [string, string, FileView][] = [];
    const up = useUploads({
      credentials: () => ({ serverUrl: 'https://chat.example', token: 'tok' }),
      onUploaded: async (id, clientId, file) => void sent.push([id, clientId, file]),
    });
    up.send('conv-1', [new File(['x'], 'photo.png')]);
    const xhr = FakeXhr.all[0]!;
    expect(xhr).toMatchObject({ method: 'POST', url: 'https://chat.example/api/files', headers: { Authorization: 'Bearer tok' } });
    expect([...xhr.body!.keys()]).toEqual(['conversationId', 'file']);
    xhr.upload.onprogress!({ lengthComputable: true, loaded: 50, total: 100 });
    expect(up.uploads.value[0]!.progress).toBe(0.5);
    xhr.onerror!();
    await flushPromises();
    expect(up.uploads.value[0]!.state).toBe('failed');

    const clientId = up.uploads.value[0]!.clientId;
    up.retry(clientId);
    FakeXhr.all[1]!.answer(201, { file: IMG });
    await flushPromises();
    expect(sent).toEqual([['conv-1', clientId, IMG]]);
    expect(up.uploads.value).toEqual([]);

    up.send('conv-1', [new File(['x'], 'run.exe')]);
    FakeXhr.all[2]!.answer(415, { error: { code: 'file_type_not_allowed', message: 'Files of this type are not accepted here.' } });
    await flushPromises();
    expect(up.uploads.value[0]).toMatchObject({ state: 'refused', error: 'Files of this type are not accepted here.' });
  });
});

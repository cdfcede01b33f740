// @vitest-environment happy-dom
/**
 * The end of a chat in the widget (V2, #5): ending it with a confirm step, the rating (a thumb
 * stored at once, then an optional comment, or skipped), "email me the transcript", by keyboard,
 * and the end screen surviving a page change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEEP_ENDED_MS } from '../../../widget/src/chat/ending';
import { mountUI, type WidgetUI } from '../../../widget/src/ui/app';
import { CONV, FakeServer, memoryStorage, settle, setup } from './fakes';

let ui: WidgetUI | undefined;
beforeEach(() => document.body.replaceChildren());
afterEach(() => {
  ui?.host.remove();
  ui = undefined;
});

/** A widget with an open chat (Olga accepted it), its panel open. */
async function chatting(storage = memoryStorage(), server = new FakeServer()) {
  server.add('visitor', 'Do you ship to Mars?', 'question-1');
  const env = setup(storage, server, () => ui?.render());
  env.store.set('profile', { name: 'Vic', email: 'vic@example.com' });
  ui = mountUI(env.ctrl);
  const root = document.getElementById('sidedesk-widget')!.shadowRoot!;
  const $ = <T extends HTMLElement = HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`)!;
  await env.transport.up();
  $('launcher').click();
  return { ...env, root, $ };
}

const type = (el: HTMLInputElement | HTMLTextAreaElement, value: string) => {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
};
const submit = (form: HTMLFormElement) => form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
const requests = (t: { requests: { event: string; payload: unknown }[] }, event: string) => t.requests.filter((r) => r.event === event).map((r) => r.payload);

describe('ending the chat from the widget', () => {
  it('asks first: "End chat" opens a confirm step, focused on "Keep chatting"; Escape steps back without closing the widget', async () => {
    const { $, root, transport, ctrl } = await chatting();
    expect($('chat-end').hidden).toBe(false);
    expect($('end-confirm').hidden).toBe(true);

    $('chat-end').click();
    expect($('end-confirm').hidden).toBe(false);
    expect($('end-confirm').getAttribute('role')).toBe('alertdialog');
    expect($('chat-end').getAttribute('aria-expanded')).toBe('true');
    expect(root.activeElement).toBe($('chat-end-cancel'));
    $('end-confirm').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect($('end-confirm').hidden).toBe(true);
    expect(root.activeElement).toBe($('chat-end'));
    expect(ctrl.state.open).toBe(true);

    $('chat-end').click();
    $('chat-end-cancel').click();
    expect($('end-confirm').hidden).toBe(true);
    expect(requests(transport, 'chat:close')).toEqual([]);
  });

  it('ends it on confirm: the chat closes, "End chat" goes, and focus lands on the rating', async () => {
    const { $, root, transport } = await chatting();
    $('chat-end').click();
    $('chat-end-confirm').click();
    await settle();
    expect(requests(transport, 'chat:close')).toEqual([{ conversationId: CONV }]);
    expect($('chat-status').textContent).toBe('Chat ended');
    expect($('chat-end').hidden).toBe(true);
    expect($('end-confirm').hidden).toBe(true);
    expect($('end-screen').closest<HTMLElement>('.ended')!.hidden).toBe(false);
    expect(root.activeElement).toBe($('rate-good'));
  });

  it('says why when ending fails, and stays in the chat', async () => {
    const { $, root, server, ctrl } = await chatting();
    server.refuseNext = { code: 'rate_limited', message: 'Too many close requests; slow down and try again in 9 seconds.' };
    $('chat-end').click();
    $('chat-end-confirm').click();
    await settle();
    expect(ctrl.state.conversation!.status).toBe('active');
    expect($('end-confirm').querySelector('[role="alert"]')!.textContent).toBe('Too many close requests; slow down and try again in 9 seconds.');
    expect(root.activeElement).toBe($('chat-end-confirm'));
  });
});

describe('rating the ended chat', () => {
  it('stores the thumb at once, then the comment with it, then thanks the visitor', async () => {
    const { $, root, transport } = await chatting();
    transport.push('chat:updated', { ...transport.server.conversation, status: 'closed' });
    expect($('rating').getAttribute('role')).toBe('group');
    expect(root.getElementById($('rating').getAttribute('aria-labelledby')!)!.textContent).toBe('How was this chat?');
    expect($('rate-good').getAttribute('aria-pressed')).toBe('false');

    $('rate-bad').click();
    await settle();
    expect($('rate-bad').getAttribute('aria-pressed')).toBe('true');
    $('rate-good').click(); // changed their mind
    await settle();
    expect($('rate-good').getAttribute('aria-pressed')).toBe('true');
    expect($('rate-bad').getAttribute('aria-pressed')).toBe('false');
    expect($('rate-comment').closest('form')!.hidden).toBe(false);
    expect($('rate-comment').getAttribute('maxlength')).toBe('1000');

    type($<HTMLTextAreaElement>('rate-comment'), '  Quick and kind <b>really</b>  ');
    submit($('rate-comment').closest('form')!);
    await settle();
    expect(requests(transport, 'rating:set')).toEqual([
      { conversationId: CONV, score: 'bad' },
      { conversationId: CONV, score: 'good' },
      { conversationId: CONV, score: 'good', comment: 'Quick and kind <b>really</b>' },
    ]);
    expect($('rating').hidden).toBe(true);
    expect($('rate-thanks').textContent).toBe('Thanks for your feedback!');
    expect($('rate-thanks').getAttribute('role')).toBe('status');
    expect(root.activeElement).toBe($('transcript-open'));
  });

  it('can be skipped: no rating at all, or no comment after the thumb', async () => {
    const first = await chatting();
    first.transport.push('chat:updated', { ...first.server.conversation, status: 'closed' });
    first.$('rate-skip').click();
    expect(first.$('rating').hidden).toBe(true);
    expect(first.$('rate-thanks').textContent).toBe('');
    expect(requests(first.transport, 'rating:set')).toEqual([]);
    ui!.host.remove();

    const second = await chatting();
    second.transport.push('chat:updated', { ...second.server.conversation, status: 'closed' });
    second.$('rate-good').click();
    await settle();
    expect(second.$('rate-skip').hidden).toBe(true);
    [...second.$('rate-comment').closest('form')!.querySelectorAll('button')].find((b) => b.textContent === 'No thanks')!.click();
    expect(second.$('rate-thanks').textContent).toBe('Thanks for your feedback!');
    expect(requests(second.transport, 'rating:set')).toEqual([{ conversationId: CONV, score: 'good' }]);
  });

  it('shows a refusal and keeps the previous thumb', async () => {
    const { $, transport, server } = await chatting();
    transport.push('chat:updated', { ...server.conversation, status: 'closed' });
    server.refuseNext = { code: 'conflict', message: 'This chat has been rated already.' };
    $('rate-good').click();
    await settle();
    expect($('rate-good').getAttribute('aria-pressed')).toBe('false');
    expect($('rating').querySelector('[role="alert"]')!.textContent).toBe('This chat has been rated already.');
  });

  it('follows a rating given in another tab', async () => {
    const { $, transport, server } = await chatting();
    transport.push('chat:updated', { ...server.conversation, status: 'closed' });
    transport.push('rating:updated', { conversationId: CONV, score: 'bad', comment: 'Too slow', ratedAt: '', changeableUntil: '' });
    expect($('rating').hidden).toBe(true);
    expect($('rate-thanks').textContent).toBe('Thanks for your feedback!');
  });
});

describe('"email me the transcript"', () => {
  it('is pre-filled with the pre-chat email, checks the address, sends, and says where it went', async () => {
    const { $, root, transport, server } = await chatting();
    transport.push('chat:updated', { ...server.conversation, status: 'closed' });
    expect($('transcript-form').hidden).toBe(true);
    $('transcript-open').click();
    const email = $<HTMLInputElement>('transcript-email');
    expect($('transcript-form').hidden).toBe(false);
    expect(email.value).toBe('vic@example.com');
    expect(root.activeElement).toBe(email);
    expect(root.querySelector(`label[for="${email.id}"]`)!.textContent).toBe('Send the transcript to');

    type(email, 'not an address');
    submit($<HTMLFormElement>('transcript-form'));
    await settle();
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(root.getElementById(email.getAttribute('aria-describedby')!)!.textContent).toBe('That email address does not look right.');
    expect(requests(transport, 'transcript:send')).toEqual([]);

    type(email, 'vic.work@example.com ');
    expect(email.hasAttribute('aria-invalid')).toBe(false);
    submit($<HTMLFormElement>('transcript-form'));
    await settle();
    expect(requests(transport, 'transcript:send')).toEqual([{ conversationId: CONV, email: 'vic.work@example.com' }]);
    expect($('transcript-form').hidden).toBe(true);
    expect($('transcript-sent').textContent).toBe('The transcript is on its way to vic.work@example.com.');
    expect(root.activeElement!.textContent).toBe('Start a new chat');
  });

  it('shows the server’s refusal (rate limit) at the address and lets the visitor try again', async () => {
    const { $, transport, server } = await chatting();
    transport.push('chat:updated', { ...server.conversation, status: 'closed' });
    $('transcript-open').click();
    server.refuseNext = { code: 'rate_limited', message: 'Too many transcript emails; slow down and try again in 59 minutes.' };
    submit($<HTMLFormElement>('transcript-form'));
    await settle();
    expect($('transcript-form').hidden).toBe(false);
    expect($('transcript-form').querySelector('[role="alert"]')!.textContent).toBe('Too many transcript emails; slow down and try again in 59 minutes.');
    expect($('transcript-send').textContent).toBe('Send');
  });
});

describe('the end screen across pages', () => {
  it('comes back on the next page (or after a reload) with the conversation, until the visitor starts a new chat', async () => {
    const storage = memoryStorage();
    const server = new FakeServer();
    const first = await chatting(storage, server);
    first.$('chat-end').click();
    first.$('chat-end-confirm').click();
    await settle();
    first.$('rate-good').click();
    await settle();
    ui!.host.remove();

    // The next page: the server has no open chat for us any more.
    server.hasChat = false;
    const next = setup(storage, server, () => ui?.render());
    ui = mountUI(next.ctrl);
    await next.transport.up();
    await settle();
    expect(next.ctrl.state.conversation).toMatchObject({ id: CONV, status: 'closed' });
    expect(next.ctrl.state.messages.map((m) => m.body)).toEqual(['Do you ship to Mars?', 'Vic closed the chat']);
    expect(next.ctrl.ending.state).toMatchObject({ conversationId: CONV, step: 'comment', score: 'good' });

    next.ctrl.newChat();
    const after = setup(storage, server);
    await after.transport.up();
    expect(after.ctrl.state.conversation).toBeNull();
  });

  it('is not shown again after an hour, nor to another visitor', async () => {
    const storage = memoryStorage();
    const server = new FakeServer();
    const first = await chatting(storage, server);
    first.transport.push('chat:updated', { ...server.conversation, status: 'closed' });
    ui!.host.remove();
    ui = undefined;
    server.hasChat = false;

    const stranger = setup(storage, server);
    await stranger.transport.up(50, 'token-2', 'v2');
    expect(stranger.ctrl.state.conversation).toBeNull();

    const first2 = await chatting(memoryStorage(), new FakeServer());
    first2.transport.push('chat:updated', { ...first2.server.conversation, status: 'closed' });
    const saved = first2.store.get<{ endedAt: number }>('ended', { endedAt: 0 });
    first2.store.set('ended', { ...saved, endedAt: Date.now() - KEEP_ENDED_MS - 1 });
    first2.server.hasChat = false;
    const later = setup(first2.storage, first2.server);
    await later.transport.up();
    expect(later.ctrl.state.conversation).toBeNull();
  });
});

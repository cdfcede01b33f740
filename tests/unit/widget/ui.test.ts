// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountUI, type WidgetUI } from '../../../widget/src/ui/app';
import { FakeServer, memoryStorage, settle, setup } from './fakes';

let ui: WidgetUI;

function mount(hasChat = false, operatorsAvailable = true) {
  const server = new FakeServer();
  server.hasChat = hasChat;
  server.operatorsAvailable = operatorsAvailable;
  const env = setup(memoryStorage(), server, () => ui?.render());
  ui = mountUI(env.ctrl);
  const root = document.getElementById('sidedesk-widget')!.shadowRoot!;
  const $ = <T extends HTMLElement = HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`)!;
  return { ...env, root, $ };
}

const type = (el: HTMLInputElement | HTMLTextAreaElement, value: string) => {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
};

beforeEach(() => document.body.replaceChildren());
afterEach(() => ui?.host.remove());

describe('widget UI', () => {
  it('lives in an open shadow root on #sidedesk-widget, with its styles inside it', () => {
    const { root, $ } = mount();
    expect(root.mode).toBe('open');
    expect(root.firstElementChild!.tagName).toBe('STYLE'); // (vitest stubs CSS; size.test checks the built CSS)
    expect($('launcher').getAttribute('aria-label')).toBe('Open chat');
    expect($('panel').getAttribute('role')).toBe('dialog');
  });

  it('moves focus into the panel on open and back to the launcher on Escape', async () => {
    const { root, $, transport } = mount();
    await transport.up();
    $('launcher').click();
    expect($('launcher').getAttribute('aria-expanded')).toBe('true');
    expect(root.activeElement).toBe($('prechat-name'));
    $('panel').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect($('launcher').getAttribute('aria-expanded')).toBe('false');
    expect(root.activeElement).toBe($('launcher'));
  });

  it('validates the pre-chat form inline and starts nothing until it is right', async () => {
    const { $, root, transport } = mount();
    await transport.up();
    $('launcher').click();
    $<HTMLFormElement>('prechat-submit').click();
    await settle();
    expect([...root.querySelectorAll('.err:not([hidden])')].map((e) => e.textContent)).toEqual([
      'Please tell us your name.',
      'Please enter your email address.',
      'Please write your question.',
    ]);
    expect($('prechat-name').getAttribute('aria-invalid')).toBe('true');
    type($('prechat-email'), 'not-an-email');
    $('prechat-email').dispatchEvent(new Event('blur'));
    expect(root.querySelector('#sd-email-err')!.textContent).toBe('That email address does not look right.');
    expect(transport.requests.filter((r) => r.event === 'chat:start')).toEqual([]);
  });

  it('shows the server’s error message when starting fails', async () => {
    const { $, root, transport } = mount();
    await transport.up();
    $('launcher').click();
    type($('prechat-name'), 'Vera');
    type($('prechat-email'), 'vera@example.com');
    type($('prechat-question'), 'refuse me');
    $('prechat-submit').click();
    await settle();
    await settle();
    expect(root.querySelector('[role="alert"]')!.textContent).toBe('Slow down a little.');
    expect($<HTMLButtonElement>('prechat-submit').disabled).toBe(false);
  });

  it('starts a chat from the form and shows the question as message 1, waiting for an operator', async () => {
    const { $, root, transport } = mount();
    await transport.up();
    $('launcher').click();
    type($('prechat-name'), 'Vera');
    type($('prechat-email'), 'vera@example.com');
    type($('prechat-question'), 'Do you ship to Mars?');
    $('prechat-submit').click();
    await settle();
    await settle();
    const msg = $('message');
    expect(msg.dataset.author).toBe('visitor');
    expect(msg.dataset.seq).toBe('1');
    expect(msg.querySelector('[data-testid="message-body"]')!.textContent).toBe('Do you ship to Mars?');
    expect($('chat-status').textContent).toBe('Waiting for an operator…');
    expect(root.activeElement).toBe($('composer-input'));
  });

  it('says what happens when nobody is online, sends the form, and promises a reply to the email given — not "shortly" (#5)', async () => {
    const { $, root, transport } = mount(false, false);
    await transport.up();
    $('launcher').click();
    expect(root.querySelector('.intro')!.textContent).toBe("No one is online right now. Leave your message and email, and we'll reply by email.");
    expect($('chat-status').textContent).toBe('We are away');
    expect($('prechat-submit').textContent).toBe('Send message');
    type($('prechat-name'), 'Vera');
    type($('prechat-email'), 'vera@example.com');
    type($('prechat-question'), 'Do you ship to Mars?');
    $('prechat-submit').click();
    await settle();
    await settle();

    expect(transport.requests.filter((r) => r.event === 'chat:start').map((r) => r.payload)).toEqual([
      expect.objectContaining({ name: 'Vera', email: 'vera@example.com', question: 'Do you ship to Mars?' }),
    ]);
    expect($('message-body').textContent).toBe('Do you ship to Mars?');
    expect($('chat-notice').hidden).toBe(false);
    expect($('chat-notice').textContent).toBe('Thanks — we got your message and will reply to vera@example.com.');
    expect($('chat-status').textContent).toBe('We are away');
    expect(root.querySelector('.panel')!.textContent).not.toContain('shortly');

    // Someone comes online: now the chat waits for them, as any other.
    transport.push('availability:updated', { operatorsAvailable: true, departments: [] });
    expect($('chat-status').textContent).toBe('Waiting for an operator…');
    expect($('chat-notice').textContent).toContain('Someone from the team will be with you shortly');
  });

  it('keeps promising the reply to the form’s email after a reload, while still nobody is online (#5)', async () => {
    const storage = memoryStorage();
    const server = new FakeServer();
    server.operatorsAvailable = false;
    server.hasChat = false;
    const first = setup(storage, server);
    await first.transport.up();
    await first.ctrl.startChat({ name: 'Vera', email: 'vera@example.com', question: 'Hello?' });

    const env = setup(storage, server, () => ui?.render());
    ui = mountUI(env.ctrl);
    await env.transport.up();
    const root = document.getElementById('sidedesk-widget')!.shadowRoot!;
    expect(root.querySelector('[data-testid="chat-notice"]')!.textContent).toBe('Thanks — we got your message and will reply to vera@example.com.');
  });

  it('says the operator has left while their panel is gone, and that they are here when they come back (#5)', async () => {
    const { $, root, transport, server } = mount(true);
    await transport.up();
    expect($('chat-status').textContent).toBe('Olga is here');
    expect($('chat-notice').hidden).toBe(true);

    transport.push('chat:updated', { ...server.conversation, operatorPresent: false });
    expect($('chat-status').textContent).toBe('Olga has left');
    expect(root.querySelector('.status .dot')!.className).toBe('dot off');
    expect($('chat-notice').hidden).toBe(false);
    expect($('chat-notice').textContent).toBe("We'll reply as soon as someone is back.");
    expect($('composer-input').closest('form')!.hidden).toBe(false); // the visitor can still write

    transport.push('chat:updated', { ...server.conversation, operatorPresent: true });
    expect($('chat-status').textContent).toBe('Olga is here');
    expect(root.querySelector('.status .dot')!.className).toBe('dot on');
    expect($('chat-notice').hidden).toBe(true);
  });

  it('writes message times by the panel’s rule: "1:12 PM", never "01:12 PM" (#5)', async () => {
    const { $, transport, server } = mount(true);
    await transport.up();
    const at = new Date();
    at.setHours(13, 12, 0, 0);
    transport.push('message:sent', { ...server.add('operator', 'Hi'), createdAt: at.toISOString() });
    const meta = $('message').querySelector('.meta')!.textContent;
    expect(meta).toBe(new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(at));
    expect(meta).not.toMatch(/^0/);
  });

  it('renders message text as text, never as HTML', async () => {
    const { root, $, transport, server } = mount(true);
    await transport.up();
    transport.push('message:sent', server.add('operator', '<img src=x onerror="alert(1)"><b>bold</b>'));
    expect(root.querySelector('img, b')).toBeNull();
    expect($('message-body').textContent).toBe('<img src=x onerror="alert(1)"><b>bold</b>');
  });

  it('sends on Enter (not Shift+Enter), shows "sending" without a seq, then the seq once acknowledged', async () => {
    const { $, root, transport, server } = mount(true);
    await transport.up();
    server.loseAcks = true;
    $('launcher').click();
    const input = $<HTMLTextAreaElement>('composer-input');
    type(input, 'line one');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true }));
    expect(root.querySelectorAll('[data-testid="message"]')).toHaveLength(0);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    const pending = $('message');
    expect(pending.hasAttribute('data-seq')).toBe(false);
    expect(pending.textContent).toContain('Sending…');
    expect(input.value).toBe('');

    transport.down();
    server.loseAcks = false;
    await transport.up();
    await settle();
    expect($('message').dataset.seq).toBe('1');
    expect(root.querySelectorAll('[data-testid="message"]')).toHaveLength(1);
  });

  it('shows the operator typing, the operator’s name on their messages and an unread count while closed', async () => {
    const { $, root, transport, server } = mount(true);
    await transport.up();
    transport.push('chat:updated', { ...server.conversation, status: 'active', operatorName: 'Olga' });
    transport.push('typing:updated', { conversationId: server.conversation.id, author: 'operator', name: 'Olga', typing: true });
    expect($('typing').hidden).toBe(false);
    expect($('typing').textContent).toBe('Olga is typing…');
    transport.push('message:sent', server.add('operator', 'Hello!'));
    expect($('typing').hidden).toBe(true);
    expect($('chat-status').textContent).toBe('Olga is here');
    expect(root.querySelector('.badge')!.textContent).toBe('1');
    expect($('launcher').getAttribute('aria-label')).toBe('Open chat (1 unread message)');
    $('launcher').click();
    expect(root.querySelector<HTMLElement>('.badge')!.hidden).toBe(true);
  });

  it('says "Seen" under the visitor’s last message once the operator read it, and reports what it shows while open (P5)', async () => {
    const { root, $, transport, server, ctrl } = mount(true);
    server.add('visitor', 'Hi');
    server.add('operator', 'Hello!');
    server.add('visitor', 'Do you ship to Mars?');
    let tones = 0;
    ctrl.onOperatorMessage = () => tones++;
    await transport.up();
    const seenOn = () => [...root.querySelectorAll('[data-seen]')].map((el) => el.querySelector('[data-testid="message-body"]')!.textContent);
    expect(seenOn()).toEqual([]);
    // Closed: nothing counts as read yet.
    expect(transport.requests.filter((r) => r.event === 'read:mark')).toEqual([]);

    // The operator read up to the first message only: not the last one, so no "Seen" yet.
    transport.push('read:seen', { conversationId: server.conversation.id, seen: 1 });
    expect(seenOn()).toEqual([]);
    transport.push('read:seen', { conversationId: server.conversation.id, seen: 3 });
    expect(seenOn()).toEqual(['Do you ship to Mars?']);
    expect(root.querySelector('[data-seen]')!.querySelector('.meta')!.textContent).toMatch(/· Seen$/);
    // A chat:updated made before the read doesn't take it back.
    transport.push('chat:updated', { ...server.conversation, seen: 0 });
    expect(seenOn()).toEqual(['Do you ship to Mars?']);

    $('launcher').click();
    expect(transport.requests.filter((r) => r.event === 'read:mark').map((r) => r.payload)).toEqual([{ conversationId: server.conversation.id, seq: 3 }]);
    // A new operator message: the optional tone's hook, once per message (not for history).
    transport.push('message:sent', server.add('operator', 'Yes, on Tuesdays'));
    transport.push('message:sent', server.messages.at(-1)!);
    expect(tones).toBe(1);
  });

  it('offers a new chat when the chat has ended', async () => {
    const { $, root, transport, server } = mount(true);
    await transport.up();
    transport.push('chat:updated', { ...server.conversation, status: 'closed' });
    expect($('chat-status').textContent).toBe('Chat ended');
    expect($('composer-input').closest('form')!.hidden).toBe(true);
    const again = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Start a new chat')!;
    again.click();
    expect($('prechat-name').closest('.pre')!.hasAttribute('hidden')).toBe(false);
  });

  it('shows a message refused for good as one that can’t be sent, with Edit and Remove and no Retry', async () => {
    const { $, root, transport, server, ctrl } = mount(true);
    server.refuse.add('cannot store this');
    await transport.up();
    $('launcher').click();
    const input = $<HTMLTextAreaElement>('composer-input');
    type(input, 'cannot store this');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle();
    const refused = $('message');
    expect(refused.classList.contains('rejected')).toBe(true);
    expect(refused.querySelector('[role="alert"]')!.textContent).toBe("This message can't be sent.");
    expect([...refused.querySelectorAll('button')].map((b) => [b.textContent, b.getAttribute('aria-label')])).toEqual([
      ['Edit', 'Edit this message'],
      ['Remove', 'Remove this message'],
    ]);

    $('message-edit').click();
    expect(input.value).toBe('cannot store this');
    expect(root.activeElement).toBe(input);
    expect(root.querySelectorAll('[data-testid="message"]')).toHaveLength(0);
    expect(ctrl.state.outbox).toEqual([]);
  });

  it('removes a refused message with Remove', async () => {
    const { $, root, transport, server } = mount(true);
    server.refuse.add('nope');
    await transport.up();
    $('launcher').click();
    const input = $<HTMLTextAreaElement>('composer-input');
    type(input, 'nope');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle();
    $('message-remove').click();
    expect(root.querySelectorAll('[data-testid="message"]')).toHaveLength(0);
    expect(root.activeElement).toBe(input);
  });

  it('tells the visitor at the question when the server refuses it for good, and editing clears it', async () => {
    const { $, root, transport, server } = mount();
    server.hasChat = false;
    server.refuse.add('a question it refuses');
    await transport.up();
    $('launcher').click();
    type($('prechat-name'), 'Vera');
    type($('prechat-email'), 'vera@example.com');
    type($('prechat-question'), 'a question it refuses');
    $('prechat-submit').click();
    await settle();
    await settle();
    const question = $<HTMLTextAreaElement>('prechat-question');
    expect(question.getAttribute('aria-invalid')).toBe('true');
    expect(root.getElementById('sd-question-err')!.textContent).toBe("We can't send this question. Please change it and try again.");
    expect(root.activeElement).toBe(question);
    expect(root.querySelector<HTMLElement>('p[role="alert"]')!.hidden).toBe(true);
    type(question, 'a question it takes');
    expect(question.hasAttribute('aria-invalid')).toBe(false);
  });
});

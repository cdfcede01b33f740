/**
 * The widget's DOM: a launcher button and a chat panel inside an open Shadow DOM on
 * `<div id="sidedesk-widget">`. `render()` brings the DOM in line with the controller's state;
 * it is cheap and called after every change. All data goes in as text (see `dom.ts`).
 */
import { MAX_EMAIL_LENGTH, MAX_MESSAGE_LENGTH, MAX_NAME_LENGTH } from '../../../shared/protocol';
import { formatTime } from '../../../shared/time';
import type { ChatController } from '../chat/controller';
import { displayMessages, type DisplayMessage } from '../chat/state';
import { acceptFiles, attachButton, renderAttachment, uploadMeta } from './attachments';
import { attr, h, icon, linkText, text } from './dom';
import { mountEnding } from './ending';
import { ICON_CLOSE, ICON_SEND } from './icons';
import { mountInvitation } from './invitation';
import { createShell, renderLauncher, type Shell } from './shell';
import { strings as t } from './strings';
import css from './styles.css?inline';

export interface WidgetUI {
  render(): void;
  open(): void;
  close(): void;
  toggle(): void;
  host: HTMLElement;
}

/** Messages of one author closer than this are grouped (one name, one timestamp). */
const GROUP_MS = 5 * 60_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export function mountUI(ctrl: ChatController, parent: HTMLElement = document.body, shell: Shell = createShell(parent)): WidgetUI {
  const st = ctrl.state;
  const { host, shadow, root, launcher } = shell;
  // The first load's launcher click handler (it loaded this module) gives way to ours.
  launcher.onclick = () => toggle();
  launcher.setAttribute('aria-controls', 'sd-panel');

  // ── Header ──
  const ava = h('div', { class: 'ava', 'aria-hidden': 'true' });
  const title = h('h2', { class: 'title' });
  const dot = h('span', { class: 'dot' });
  const statusText = h('span');
  const status = h('p', { class: 'status', 'data-testid': 'chat-status', role: 'status' }, dot, statusText);
  const hello = h('p', { class: 'hello' }, t.greeting);
  const intro = h('p', { class: 'intro' });
  const closeBtn = h('button', { class: 'x', type: 'button', 'aria-label': t.minimize, onclick: () => close() }, icon(ICON_CLOSE, 22));
  const greet = h('div', { class: 'greet' }, hello, intro);
  // V2: end the chat (confirmed), then rate it and get its transcript.
  const ending = mountEnding(ctrl, { update: () => render(), validEmail: (v) => EMAIL.test(v), focusNext: () => newChatBtn.focus() });
  const head = h('header', { class: 'head' }, ava, h('div', { class: 'who' }, title, status), ending.endButton, closeBtn, greet);

  // ── Pre-chat form ──
  const profile = ctrl.profile();
  const field = (id: string, label: string, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement) => {
    const err = h('div', { class: 'err', id: `sd-${id}-err`, hidden: true });
    control.id = `sd-${id}`;
    control.setAttribute('aria-describedby', err.id);
    control.required = true;
    control.addEventListener('input', () => control.getAttribute('aria-invalid') && showError(control, err, validate(id, control.value)));
    control.addEventListener('blur', () => control.value && showError(control, err, validate(id, control.value)));
    return { control, err, box: h('div', { class: 'field' }, h('label', { for: control.id }, label), control, err) };
  };
  const fName = field(
    'name',
    t.nameLabel,
    h('input', { type: 'text', autocomplete: 'name', maxlength: MAX_NAME_LENGTH, placeholder: t.namePlaceholder, 'data-testid': 'prechat-name' }),
  );
  const fEmail = field(
    'email',
    t.emailLabel,
    h('input', { type: 'email', autocomplete: 'email', maxlength: MAX_EMAIL_LENGTH, placeholder: t.emailPlaceholder, 'data-testid': 'prechat-email' }),
  );
  const fQuestion = field('question', t.questionLabel, h('textarea', { rows: 3, placeholder: t.questionPlaceholder, 'data-testid': 'prechat-question' }));
  // A1 (#6): asked only when two or more departments have someone online.
  const fDept = field('department', t.departmentLabel, h('select', { 'data-testid': 'prechat-department' }));
  let deptKey = '';
  fName.control.value = profile.name;
  fEmail.control.value = profile.email;
  const alert = h('p', { class: 'alert', role: 'alert', hidden: true });
  const submit = h('button', { class: 'btn', type: 'submit', 'data-testid': 'prechat-submit' }, t.startChat);
  const fields = [
    ['name', fName],
    ['email', fEmail],
    ['department', fDept],
    ['question', fQuestion],
  ] as const;
  const form = h('form', { class: 'card', novalidate: true, onsubmit: (e) => onStart(e) }, fName.box, fEmail.box, fDept.box, fQuestion.box, alert, submit);
  const pre = h('div', { class: 'pre' }, form);

  // ── Chat ──
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t.messages, tabindex: 0 });
  const typingText = h('span');
  const typing = h('div', { class: 'typing', 'data-testid': 'typing', hidden: true }, h('i'), h('i'), h('i'), typingText);
  const input = h('textarea', {
    rows: 1,
    placeholder: t.messagePlaceholder,
    'aria-label': t.messageLabel,
    maxlength: MAX_MESSAGE_LENGTH,
    'data-testid': 'composer-input',
  });
  const sendBtn = h('button', { class: 'send', type: 'submit', 'aria-label': t.send, 'data-testid': 'composer-send', disabled: true }, icon(ICON_SEND, 20));
  const sendFiles = (files: File[]) => (ctrl.sendFiles(files), scrollDown());
  const composer = h(
    'form',
    { class: 'composer', onsubmit: (e) => (e.preventDefault(), onSend()) },
    ctrl.canSendFiles && attachButton(sendFiles),
    input,
    sendBtn,
  );
  const newChatBtn = h('button', { class: 'btn', type: 'button', onclick: () => (ctrl.newChat(), focusFirst()) }, t.newChat);
  const ended = h('div', { class: 'ended' }, h('p', {}, t.endedNote), ending.screen, newChatBtn);
  const notice = h('p', { class: 'notice', role: 'note', 'data-testid': 'chat-notice' });
  const chat = h('div', { class: 'body chat', 'data-drop': t.dropFiles }, ending.confirm, log, notice, typing, composer, ended);
  if (ctrl.canSendFiles) acceptFiles(chat, input, (files) => !composer.hidden && sendFiles(files));

  const panel = h(
    'section',
    { class: 'panel', id: 'sd-panel', role: 'dialog', 'aria-label': t.panelLabel, 'data-testid': 'panel' },
    head,
    h('div', { class: 'body' }, pre, chat),
    h('div', { class: 'foot' }, t.poweredBy),
  );
  // P4: an invitation to chat, beside the launcher.
  const invitation = mountInvitation(ctrl, { update: () => render(), opened: () => focusFirst() });
  root.prepend(panel, invitation.el);
  shadow.append(h('style', {}, css));

  input.addEventListener('input', () => {
    autosize();
    sendBtn.disabled = !input.value.trim();
    if (input.value.trim()) ctrl.typing();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      onSend();
    }
  });
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
    }
  });

  const items = new Map<string, HTMLElement>();
  let wasChat = false;

  function render(): void {
    // Measured before anything changes: a list read to the end follows new messages and layout changes.
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
    const conv = st.conversation;
    const inChat = !!conv;
    const closed = conv?.status === 'closed';
    renderLauncher(shell, st.open, st.unread);
    root.classList.toggle('hero', !inChat);
    invitation.render();

    // Header
    const opName = conv?.operatorName || '';
    text(title, st.accountName || t.panelLabel);
    text(ava, ((conv?.status === 'active' && opName) || st.accountName || '?').charAt(0).toUpperCase());
    greet.hidden = inChat;
    // Nobody online (#5): the form leaves a message answered by email, and says so. #6: in a
    // chat of a department, whether its operators are.
    const online = ctrl.online();
    const offline = st.ready && !online;
    renderDepartments();
    text(intro, offline ? t.introOffline : t.intro);
    let line: string;
    let dotClass = 'dot';
    if (!st.connected && st.ready) line = t.reconnecting;
    else if (!conv) {
      line = online ? t.online : st.ready ? t.offline : '';
      dotClass += online ? ' on' : ' off';
    } else if (conv.status === 'waiting') {
      line = offline ? t.offline : t.waiting;
      if (offline) dotClass += ' off';
    } else if (conv.status === 'active') {
      // #5: "here" only while the operator has a panel connected.
      line = conv.operatorPresent ? t.operatorHere(opName || t.someone) : t.operatorLeft(opName || t.someone);
      dotClass += conv.operatorPresent ? ' on' : ' off';
    } else {
      line = t.chatEnded;
      dotClass += ' off';
    }
    text(statusText, line);
    attr(dot, 'class', dotClass);
    dot.hidden = !line;

    // Body
    pre.hidden = inChat;
    chat.hidden = !inChat;
    submit.disabled = st.starting;
    text(submit, offline ? (st.starting ? t.sendingOffline : t.sendOffline) : st.starting ? t.starting : t.startChat);
    // A question refused for good is told at the question itself (see onStart).
    alert.hidden = !st.startError || st.startError === 'rejected';
    text(alert, st.startError === 'offline' ? t.notConnected : st.startError === 'error' ? t.genericError : st.startError);
    const hadFocus = shadow.activeElement === input;
    composer.hidden = !inChat || closed;
    const note =
      conv?.status === 'waiting'
        ? offline
          ? t.offlineNote(st.email)
          : t.waitingNote
        : conv?.status === 'active' && !conv.operatorPresent
          ? t.operatorLeftNote
          : '';
    notice.hidden = !note;
    text(notice, note);
    ended.hidden = !closed;
    typing.hidden = st.typing === null || closed;
    text(typingText, t.typing(st.typing || t.someone));
    if (inChat) {
      renderMessages();
      if (atBottom) scrollDown();
      // P5: what the visitor has on screen is read (the operators see how far).
      if (!document.hidden) ctrl.markShown();
    } else if (items.size) {
      items.clear();
      log.replaceChildren();
    }
    ending.render();
    reflectOnHost(conv?.status ?? 'none');
    // Keep keyboard focus somewhere useful when the part holding it goes away.
    if (closed && hadFocus && !ending.focus()) newChatBtn.focus();
    if (inChat && !wasChat && st.open) input.focus();
    wasChat = inChat;
  }

  /**
   * Mirrors the widget's state on the host element (light DOM). Page scripts can read it, and it
   * matters for automation: MutationObservers on the document (puppeteer's `>>>` waits among them)
   * never see changes inside a shadow root, only these attribute changes.
   */
  function reflectOnHost(chatStatus: string): void {
    attr(host, 'data-chat', chatStatus);
    attr(host, 'data-messages', String(items.size));
    attr(host, 'data-last-seq', String(st.messages[st.messages.length - 1]?.seq ?? 0));
    attr(host, 'data-unread', String(st.unread));
    attr(host, 'data-seen', String(st.conversation?.seen ?? 0));
    attr(host, 'data-invited', String(!!st.invitation));
    attr(host, 'data-typing', String(st.typing !== null));
    attr(host, 'data-busy', String(st.starting));
  }

  /** Updates the message list in place, keyed by clientId (a "sending" item turns into the sent one). */
  function renderMessages(): void {
    const list = displayMessages(st.messages, st.outbox, st.conversation?.id ?? null, '', st.uploads);
    const seen = new Set<string>();
    // P5: "Seen" under the visitor's last message once the operator has read it.
    let own: DisplayMessage | undefined;
    for (const m of list) if (m.author === 'visitor') own = m;
    const read = own?.seq && own.seq <= (st.conversation?.seen ?? 0) ? own : null;
    list.forEach((m, i) => {
      const prev = list[i - 1];
      const next = list[i + 1];
      const first = !prev || !sameGroup(prev, m);
      const last = !next || !sameGroup(m, next);
      let el = items.get(m.clientId);
      if (!el) {
        el = h(
          'div',
          { 'data-testid': 'message' },
          h('div', { class: 'name' }),
          h('div', { class: 'att', hidden: true }),
          h('div', { class: 'bubble', 'data-testid': 'message-body' }),
          h('div', { class: 'meta' }),
        );
        items.set(m.clientId, el);
      }
      updateMessage(el, m, first, last, m === read);
      seen.add(m.clientId);
      if (log.children[i] !== el) log.insertBefore(el, log.children[i] ?? null);
    });
    for (const [k, el] of items) {
      if (seen.has(k)) continue;
      el.remove();
      items.delete(k);
    }
  }

  function updateMessage(el: HTMLElement, m: DisplayMessage, first: boolean, last: boolean, read: boolean): void {
    attr(el, 'class', `msg ${m.author}${first ? ' first' : ''}${last ? ' last' : ''}${m.status === 'sent' ? '' : ' ' + m.status}`);
    attr(el, 'data-author', m.author);
    attr(el, 'data-seq', m.seq === null ? null : String(m.seq));
    const [name, att, bubble, meta] = el.children as unknown as [HTMLElement, HTMLElement, HTMLElement, HTMLElement];
    name.hidden = !(m.author === 'operator' && first);
    text(name, m.authorName || t.someone);
    renderAttachment(att, m, ctrl);
    linkText(bubble, m.body);
    // A file sent without a caption (#5) is its attachment alone.
    bubble.hidden = !m.body && !!m.file;
    // The panel's rule (#5): "1:12 PM" or "13:12" in the visitor's locale, the day too if not today.
    attr(bubble, 'title', formatTime(m.createdAt, 'full') || null);
    const time = formatTime(m.createdAt) + (read ? ` · ${t.seen}` : '');
    attr(el, 'data-seen', read ? '' : null);
    const metaKey = `${m.status}|${time}|${m.upload?.error}`;
    if (meta.dataset.k !== metaKey) {
      meta.dataset.k = metaKey;
      if (m.upload) meta.replaceChildren(...uploadMeta(m, ctrl, onRemove));
      else if (m.status === 'failed') meta.replaceChildren(t.failed + ' ', h('button', { type: 'button', onclick: () => ctrl.retry(m.clientId) }, t.retry));
      else if (m.status === 'rejected') {
        // Refused for good (#4): no Retry, only ways out. The alert is announced once, when it appears.
        meta.replaceChildren(
          h('span', { role: 'alert' }, t.rejected),
          ' ',
          h('button', { type: 'button', 'aria-label': t.editLabel, 'data-testid': 'message-edit', onclick: () => onEdit(m.clientId) }, t.edit),
          ' ',
          h('button', { type: 'button', 'aria-label': t.removeLabel, 'data-testid': 'message-remove', onclick: () => onRemove(m.clientId) }, t.remove),
        );
      } else meta.replaceChildren(m.status === 'sending' ? t.sending : time);
    }
  }

  function sameGroup(a: DisplayMessage, b: DisplayMessage): boolean {
    return (
      a.author === b.author && a.author !== 'system' && a.authorName === b.authorName && Math.abs(+new Date(b.createdAt) - +new Date(a.createdAt)) < GROUP_MS
    );
  }

  function scrollDown(): void {
    log.scrollTop = log.scrollHeight;
  }

  function autosize(): void {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 120) + 'px';
  }

  function onSend(): void {
    if (!input.value.trim()) return;
    ctrl.send(input.value);
    input.value = '';
    autosize();
    sendBtn.disabled = true;
    scrollDown();
  }

  /** A refused message goes back into the composer to be changed (#4). */
  function onEdit(clientId: string): void {
    const body = ctrl.edit(clientId);
    if (!input.value.trim()) input.value = body;
    autosize();
    sendBtn.disabled = !input.value.trim();
    input.focus();
  }

  function onRemove(clientId: string): void {
    ctrl.discard(clientId);
    input.focus(); // the button that had focus is gone
  }

  /** The departments with someone online; the choice is asked only between two or more. */
  function renderDepartments(): void {
    const offered = ctrl.offeredDepartments();
    const key = offered.map((d) => d.id + d.name).join();
    fDept.box.hidden = offered.length < 2;
    if (key === deptKey) return;
    deptKey = key;
    const sel = fDept.control;
    const was = sel.value;
    sel.replaceChildren(h('option', { value: '' }, t.departmentPick), ...offered.map((d) => h('option', { value: d.id }, d.name)));
    sel.value = offered.some((d) => d.id === was) ? was : '';
  }

  function validate(id: string, raw: string): string {
    const v = raw.trim();
    if (id === 'department') return v || fDept.box.hidden ? '' : t.departmentRequired;
    if (id === 'name') return v ? '' : t.nameRequired;
    if (id === 'email') return !v ? t.emailRequired : EMAIL.test(v) ? '' : t.emailInvalid;
    return !v ? t.questionRequired : v.length > MAX_MESSAGE_LENGTH ? t.questionTooLong(MAX_MESSAGE_LENGTH) : '';
  }

  function showError(control: HTMLElement, err: HTMLElement, message: string): boolean {
    attr(control, 'aria-invalid', message ? 'true' : null);
    err.hidden = !message;
    text(err, message);
    return !message;
  }

  function onStart(e: Event): void {
    e.preventDefault();
    let firstBad: HTMLElement | null = null;
    for (const [id, f] of fields) if (!showError(f.control, f.err, validate(id, f.control.value))) firstBad ??= f.control;
    if (firstBad) return firstBad.focus();
    const offered = ctrl.offeredDepartments();
    const departmentId = offered.length > 1 ? fDept.control.value : offered[0]?.id;
    const form = { name: fName.control.value.trim(), email: fEmail.control.value.trim(), question: fQuestion.control.value.trim() };
    void ctrl.startChat(departmentId ? { ...form, departmentId } : form).then(() => {
      if (st.conversation) fQuestion.control.value = '';
      // Refused for good (#4): the question is what has to change; its error says so, and editing clears it.
      else if (st.startError === 'rejected') {
        showError(fQuestion.control, fQuestion.err, t.startRejected);
        fQuestion.control.focus();
      }
    });
  }

  function focusFirst(): void {
    const conv = st.conversation;
    if (!conv) (fields.find(([, f]) => !f.box.hidden && !f.control.value.trim())?.[1].control ?? fQuestion.control).focus();
    else if (conv.status === 'closed') {
      if (!ending.focus()) newChatBtn.focus();
    } else input.focus();
  }

  function open(): void {
    if (st.open) return;
    ctrl.setOpen(true);
    focusFirst();
    scrollDown();
  }

  function close(): void {
    if (!st.open) return;
    ctrl.setOpen(false);
    launcher.focus();
  }

  function toggle(): void {
    if (st.open) close();
    else open();
  }

  // P5: coming back to the tab counts as seeing the chat.
  document.addEventListener('visibilitychange', render);
  render();
  return { render, open, close, toggle, host };
}

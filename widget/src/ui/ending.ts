/**
 * The end of a chat in the widget (V2, #5): "End chat" in the header with a confirm step, then
 * the end screen: a thumb up or down with an optional comment (or skip), and "email me the
 * transcript" pre-filled with the pre-chat email. The logic is `ctrl.ending` (chat/ending.ts);
 * this only draws it, as text (dom.ts).
 */
import { MAX_EMAIL_LENGTH, MAX_RATING_COMMENT_LENGTH } from '../../../shared/protocol';
import type { ChatController } from '../chat/controller';
import type { EndingState } from '../chat/ending';
import { attr, h, icon, text } from './dom';
import { ICON_THUMB } from './icons';
import { strings as t } from './strings';

export interface EndingUI {
  /** "End chat", for the header; shown while a chat is open. */
  endButton: HTMLButtonElement;
  /** "End this chat?", above the messages while the visitor decides. */
  confirm: HTMLElement;
  /** Rating and transcript, for the ended chat's footer. */
  screen: HTMLElement;
  render(): void;
  /** Focuses the end screen's first control; false if it has none to offer. */
  focus(): boolean;
}

export interface EndingOptions {
  /** Redraws the widget (the confirm step is the UI's own state). */
  update: () => void;
  /** The pre-chat form's email check. */
  validEmail: (email: string) => boolean;
  /** Where focus goes when the end screen has nothing left to offer ("Start a new chat"). */
  focusNext: () => void;
}

export function mountEnding(ctrl: ChatController, { update, validEmail, focusNext }: EndingOptions): EndingUI {
  const e = ctrl.ending;
  const st = e.state;
  let confirming = false;
  let mailProblem = '';
  const problem = (action: NonNullable<EndingState['error']>['action']) =>
    st.error?.action !== action ? '' : st.error.message === 'offline' ? t.notConnected : st.error.message || t.genericError;

  // ── "End chat" and its confirm step ──
  const endButton = h(
    'button',
    { class: 'end-btn', type: 'button', 'aria-controls': 'sd-end', 'data-testid': 'chat-end', onclick: () => ask(true) },
    t.endChat,
  );
  const noBtn = h('button', { class: 'btn ghost', type: 'button', 'data-testid': 'chat-end-cancel', onclick: () => ask(false) }, t.endNo);
  const yesBtn = h('button', { class: 'btn', type: 'button', 'data-testid': 'chat-end-confirm', onclick: () => onEnd() }, t.endYes);
  const endErr = h('p', { class: 'alert', role: 'alert', hidden: true });
  // Not modal: the chat stays readable behind it. Escape steps back, not out of the widget.
  const confirm = h(
    'div',
    {
      class: 'confirm',
      id: 'sd-end',
      role: 'alertdialog',
      'aria-labelledby': 'sd-end-q',
      'aria-describedby': 'sd-end-d',
      'data-testid': 'end-confirm',
      hidden: true,
    },
    h('p', { class: 'q', id: 'sd-end-q' }, t.endConfirm),
    h('p', { id: 'sd-end-d' }, t.endConfirmNote),
    endErr,
    h('div', { class: 'row' }, noBtn, yesBtn),
  );
  confirm.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    ev.stopPropagation();
    ask(false);
  });

  // ── Rating ──
  const thumb = (score: 'good' | 'bad', label: string) =>
    h(
      'button',
      { class: `thumb ${score}`, type: 'button', 'aria-pressed': 'false', 'data-testid': `rate-${score}`, onclick: () => void e.rate(score) },
      icon(ICON_THUMB, 20),
      label,
    );
  const good = thumb('good', t.rateGood);
  const bad = thumb('bad', t.rateBad);
  const skip = h('button', { class: 'link', type: 'button', 'data-testid': 'rate-skip', onclick: () => (e.skip(), moveOn()) }, t.rateSkip);
  const comment = h('textarea', {
    id: 'sd-rate-c',
    rows: 2,
    maxlength: MAX_RATING_COMMENT_LENGTH,
    placeholder: t.rateCommentPlaceholder,
    'data-testid': 'rate-comment',
  });
  const commentForm = h(
    'form',
    { class: 'field', onsubmit: (ev) => (ev.preventDefault(), onComment()) },
    h('label', { for: comment.id }, t.rateCommentLabel),
    comment,
    h(
      'div',
      { class: 'row' },
      h('button', { class: 'link', type: 'button', onclick: () => (e.skip(), moveOn()) }, t.rateNoComment),
      h('button', { class: 'btn sm', type: 'submit', 'data-testid': 'rate-send' }, t.rateSend),
    ),
  );
  const rateErr = h('p', { class: 'alert', role: 'alert', hidden: true });
  const rating = h(
    'div',
    { class: 'rate', role: 'group', 'aria-labelledby': 'sd-rate-q', 'data-testid': 'rating' },
    h('div', { class: 'row' }, h('p', { class: 'q', id: 'sd-rate-q' }, t.rateQuestion), skip),
    h('div', { class: 'row thumbs' }, good, bad),
    commentForm,
    rateErr,
  );
  const thanks = h('p', { class: 'done', role: 'status', 'data-testid': 'rate-thanks' });

  // ── Transcript ──
  const openMail = h('button', { class: 'link', type: 'button', 'data-testid': 'transcript-open', onclick: () => onOpenMail() }, t.transcriptOpen);
  const email = h('input', {
    type: 'email',
    id: 'sd-mail',
    autocomplete: 'email',
    maxlength: MAX_EMAIL_LENGTH,
    'aria-describedby': 'sd-mail-err',
    'data-testid': 'transcript-email',
  });
  const mailErr = h('p', { class: 'err', id: 'sd-mail-err', role: 'alert', hidden: true });
  const mailSend = h('button', { class: 'btn sm', type: 'submit', 'data-testid': 'transcript-send' }, t.transcriptSend);
  const mailForm = h(
    'form',
    { class: 'field', novalidate: true, 'data-testid': 'transcript-form', onsubmit: (ev) => (ev.preventDefault(), onMail()) },
    h('label', { for: email.id }, t.transcriptLabel),
    h('div', { class: 'row' }, email, mailSend),
    mailErr,
  );
  const sent = h('p', { class: 'done', role: 'status', 'data-testid': 'transcript-sent' });
  email.addEventListener('input', () => mailProblem && ((mailProblem = ''), render()));

  const screen = h('div', { class: 'end', 'data-testid': 'end-screen' }, rating, thanks, openMail, mailForm, sent);

  function render(): void {
    const conv = ctrl.state.conversation;
    const open = !!conv && conv.status !== 'closed';
    if (!open) confirming = false;
    endButton.hidden = !open;
    attr(endButton, 'aria-expanded', String(confirming));
    confirm.hidden = !confirming;
    text(yesBtn, st.ending ? t.ending : t.endYes);
    say(endErr, problem('end'));

    rating.hidden = st.step === 'thanks' || st.step === 'skipped';
    attr(good, 'aria-pressed', String(st.score === 'good'));
    attr(bad, 'aria-pressed', String(st.score === 'bad'));
    commentForm.hidden = st.step !== 'comment';
    skip.hidden = st.step !== 'ask';
    say(rateErr, problem('rate'));
    text(thanks, st.step === 'thanks' ? t.rateThanks : '');

    openMail.hidden = st.transcript !== 'idle';
    mailForm.hidden = st.transcript !== 'form' && st.transcript !== 'sending';
    text(mailSend, st.transcript === 'sending' ? t.transcriptSending : t.transcriptSend);
    const mailMessage = mailProblem || problem('transcript');
    say(mailErr, mailMessage);
    attr(email, 'aria-invalid', mailMessage ? 'true' : null);
    text(sent, st.transcript === 'sent' ? t.transcriptSent(st.transcriptTo) : '');
  }

  /** An alert shows only with something to say. */
  function say(el: HTMLElement, message: string): void {
    text(el, message);
    el.hidden = !message;
  }

  function ask(show: boolean): void {
    confirming = show;
    update();
    (show ? noBtn : endButton).focus();
  }

  function onEnd(): void {
    void e.end().then(() => {
      if (ctrl.state.conversation?.status === 'closed') focus();
      else yesBtn.focus(); // it failed: the alert says why; try again from here
    });
  }

  function onComment(): void {
    if (!comment.value.trim() || !st.score) return (e.skip(), moveOn());
    void e.rate(st.score, comment.value).then(() => st.step === 'thanks' && moveOn());
  }

  function onOpenMail(): void {
    if (!email.value) email.value = ctrl.profile().email;
    e.openTranscript();
    email.focus();
  }

  function onMail(): void {
    const address = email.value.trim();
    mailProblem = !address ? t.emailRequired : validEmail(address) ? '' : t.emailInvalid;
    if (mailProblem) return (render(), email.focus());
    void e.sendTranscript(address).then(() => (st.transcript === 'sent' ? focusNext() : email.focus()));
  }

  /** The part that had focus is done: on to the next thing to do. */
  function moveOn(): void {
    if (!openMail.hidden) openMail.focus();
    else focusNext();
  }

  function focus(): boolean {
    const first = !rating.hidden ? good : !openMail.hidden ? openMail : null;
    first?.focus();
    return !!first;
  }

  render();
  return { endButton, confirm, screen, render, focus };
}

/**
 * P4: an invitation to chat, shown beside the launcher — who invites (the operator, or the
 * company for an automatic one) and their message — with "Chat now" (the chat starts with that
 * message, assigned to them) and "No thanks" (remembered for the visit). It never takes the
 * focus from the page; it is announced politely and reachable by Tab, and Escape dismisses it.
 */
import type { ChatController } from '../chat/controller';
import { attr, h, icon, text } from './dom';
import { ICON_CLOSE } from './icons';
import { strings as t } from './strings';

export function mountInvitation(ctrl: ChatController, hooks: { update(): void; opened(): void }) {
  const st = ctrl.state;
  const ava = h('span', { class: 'ava', 'aria-hidden': 'true' });
  const from = h('p', { class: 'from', id: 'sd-inv-from' });
  const message = h('p', { class: 'inv-msg', id: 'sd-inv-msg', 'data-testid': 'invitation-message' });
  const error = h('p', { class: 'err', role: 'alert', hidden: true }, t.invitationFailed);
  const accept = h('button', { class: 'btn sm', type: 'button', 'data-testid': 'invitation-accept', onclick: () => void onAccept() }, t.invitationAccept);
  const dismiss = h('button', { class: 'btn sm ghost', type: 'button', 'data-testid': 'invitation-dismiss', onclick: () => onDismiss() }, t.invitationDismiss);
  const x = h('button', { class: 'inv-x', type: 'button', 'aria-label': t.invitationClose, onclick: () => onDismiss() }, icon(ICON_CLOSE, 18));
  const el = h(
    'section',
    { class: 'invite', role: 'region', 'aria-labelledby': 'sd-inv-from', 'data-testid': 'invitation', hidden: true },
    x,
    h('div', { class: 'inv-head' }, ava, from),
    h('div', { 'aria-live': 'polite' }, message),
    error,
    h('div', { class: 'row' }, dismiss, accept),
  );
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onDismiss();
    }
  });

  async function onAccept() {
    await ctrl.acceptInvitation();
    if (st.open) hooks.opened();
  }

  function onDismiss() {
    const hadFocus = el.contains((el.getRootNode() as ShadowRoot).activeElement);
    ctrl.dismissInvitation();
    hooks.update();
    // The card goes away: the launcher keeps the keyboard where the visitor was.
    if (hadFocus) (el.parentElement?.querySelector('.launcher') as HTMLElement | null)?.focus();
  }

  function render() {
    const inv = st.invitation;
    const conv = st.conversation;
    el.hidden = !inv || st.open || (!!conv && conv.status !== 'closed');
    if (!inv) return;
    text(from, t.invitationFrom(inv.senderName));
    text(ava, (inv.senderName || '?').charAt(0).toUpperCase());
    text(message, inv.message);
    text(accept, st.accepting ? t.starting : t.invitationAccept);
    accept.disabled = st.accepting;
    error.hidden = !st.invitationError;
    attr(el, 'data-invitation-id', inv.id);
  }

  return { el, render };
}

/**
 * The first load's DOM (V1): the Shadow DOM host and the launcher button, with their small
 * stylesheet. The chat UI (app.ts, the second file) mounts into this shell when it is needed,
 * so the launcher never moves or flickers when it arrives.
 */
import { attr, h, icon, text } from './dom';
import { ICON_CHAT, ICON_CLOSE } from './icons';
import { strings as t } from './strings';
import css from './launcher.css?inline';

export interface Shell {
  host: HTMLElement;
  shadow: ShadowRoot;
  /** `.sd`: the launcher's parent; the UI puts its panel before it. */
  root: HTMLElement;
  launcher: HTMLButtonElement;
  badge: HTMLElement;
}

export function createShell(parent: HTMLElement = document.body): Shell {
  const host = h('div', { id: 'sidedesk-widget' });
  const shadow = host.attachShadow({ mode: 'open' });
  const badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
  const chatIcon = icon(ICON_CHAT, 30);
  chatIcon.classList.add('i-chat');
  const xIcon = icon(ICON_CLOSE, 26);
  xIcon.classList.add('i-x');
  const launcher = h('button', { class: 'launcher', type: 'button', 'data-testid': 'launcher' }, chatIcon, xIcon, badge);
  const root = h('div', { class: 'sd' }, launcher);
  shadow.append(h('style', {}, css), root);
  parent.append(host);
  return { host, shadow, root, launcher, badge };
}

/** The launcher as the state has it: its label, whether the panel is open, the unread badge. */
export function renderLauncher(shell: Shell, open: boolean, unread: number): void {
  const { launcher, badge } = shell;
  shell.root.classList.toggle('open', open);
  attr(launcher, 'aria-expanded', String(open));
  attr(launcher, 'aria-label', (open ? t.closeChat : t.openChat) + (unread && !open ? ` (${t.unread(unread)})` : ''));
  badge.hidden = !unread || open;
  text(badge, unread > 9 ? '9+' : String(unread));
  attr(shell.host, 'data-open', String(open));
  attr(shell.host, 'data-unread', String(unread));
}

/**
 * The pages a team mail links to (A5, #5): accept an invitation, set a new password. Server-made
 * HTML like /setup: no scripts, labelled fields, errors beside their field. A link that can't be
 * used gets a page that says why in general terms, naming no account or person.
 */
import type { Role } from '../../../../shared/schemas/auth';
import { escapeHtml, page } from '../../http/html';
import type { LinkProblem } from './links';

export type FieldErrors = Partial<Record<string, string>>;

interface Field {
  name: string;
  label: string;
  type: string;
  attrs: string;
  hint?: string;
  value?: string;
}

/** A labelled input (its hint in the label, as on /setup), its error below it and tied to it. */
function field(f: Field, errors: FieldErrors): string {
  const error = errors[f.name];
  return `<label for="${f.name}">${f.label}${f.hint ? ` <span class="hint">${f.hint}</span>` : ''}</label>
<input id="${f.name}" name="${f.name}" type="${f.type}" value="${escapeHtml(f.value ?? '')}" ${f.attrs}${error ? ` aria-invalid="true" aria-describedby="${f.name}-error"` : ''}>
${error ? `<p class="error" id="${f.name}-error">${escapeHtml(error)}</p>` : ''}`;
}

/** After a refused submit: what went wrong, first thing on the page (the fields' own errors are below them). */
function formAlert(errors: FieldErrors): string {
  const message = errors.form ?? (Object.keys(errors).length ? 'Check the fields marked below.' : undefined);
  return message ? `<p class="alert" role="alert">${escapeHtml(message)}</p>` : '';
}

/** "Error: …" in the title when the page comes back with errors, so a screen reader hears it first. */
const titled = (title: string, errors: FieldErrors) => (Object.keys(errors).length ? `Error: ${title}` : title);

/** Password and its repetition: no script may show what was typed, so a typo is caught by typing it twice. */
function passwordFields(errors: FieldErrors): string {
  return `${field({ name: 'password', label: 'Password', type: 'password', attrs: 'required minlength="8" maxlength="200" autocomplete="new-password"', hint: '(at least 8 characters)' }, errors)}
${field({ name: 'passwordAgain', label: 'Repeat the password', type: 'password', attrs: 'required minlength="8" maxlength="200" autocomplete="new-password"' }, errors)}`;
}

/** For a password manager: which sign-in the new password belongs to (not shown, not read back). */
const usernameForPasswordManagers = (email: string) =>
  `<input type="email" name="username" value="${escapeHtml(email)}" autocomplete="username" hidden readonly>`;

const withArticle = (role: Role) => `${role === 'supervisor' ? 'a' : 'an'} ${role}`;

export function invitationPage(input: { token: string; accountName: string; email: string; role: Role; name: string; errors?: FieldErrors }): string {
  const errors = input.errors ?? {};
  const account = escapeHtml(input.accountName);
  return page(
    titled(`Join ${input.accountName} on Sidedesk`, errors),
    `<h1>Join ${account} on Sidedesk</h1>
<p class="lead">You are invited as ${withArticle(input.role)}. Choose the name your team and visitors will see, and the password you will sign in with as <strong>${escapeHtml(input.email)}</strong>.</p>
${formAlert(errors)}
<form method="post" action="/invite/${escapeHtml(input.token)}" novalidate>
${usernameForPasswordManagers(input.email)}
${field({ name: 'name', label: 'Your name', type: 'text', attrs: 'required maxlength="120" autocomplete="name"', value: input.name }, errors)}
${passwordFields(errors)}
<button type="submit">Join ${account}</button>
</form>`,
  );
}

export function invitationAcceptedPage(input: { accountName: string; email: string; serverUrl: string }): string {
  return page(
    `Welcome to ${input.accountName}`,
    `<h1>Welcome to ${escapeHtml(input.accountName)}</h1>
<p class="lead">Your sign-in is ready. To start chatting with visitors:</p>
<ol>
<li>Install the Sidedesk browser extension (your admin can tell you how) and open its side panel.</li>
<li>Enter the server address <code>${escapeHtml(input.serverUrl)}</code>.</li>
<li>Sign in as <strong>${escapeHtml(input.email)}</strong> with the password you just chose.</li>
</ol>`,
  );
}

export function passwordResetPage(input: { token: string; email: string; errors?: FieldErrors }): string {
  const errors = input.errors ?? {};
  return page(
    titled('Set a new password', errors),
    `<h1>Set a new password</h1>
<p class="lead">For <strong>${escapeHtml(input.email)}</strong>. Setting it signs you out of Sidedesk everywhere.</p>
${formAlert(errors)}
<form method="post" action="/reset-password/${escapeHtml(input.token)}" novalidate>
${usernameForPasswordManagers(input.email)}
${passwordFields(errors)}
<button type="submit">Set the new password</button>
</form>`,
  );
}

export function passwordChangedPage(input: { email: string; serverUrl: string }): string {
  return page(
    'Your password is changed',
    `<h1>Your password is changed</h1>
<p class="lead">You were signed out of Sidedesk everywhere.</p>
<p>Sign in to the Sidedesk extension (server <code>${escapeHtml(input.serverUrl)}</code>) as <strong>${escapeHtml(input.email)}</strong> with your new password.</p>`,
  );
}

const FORGOT = 'ask for a new one with <strong>Forgot password?</strong> on the sign-in form of the Sidedesk extension';

const PROBLEMS: Record<'invitation' | 'reset', Record<LinkProblem, { title: string; body: string }>> = {
  invitation: {
    unknown: {
      title: 'This invitation link does not work',
      body: 'The link may be incomplete (check that you copied all of it), or the invitation was withdrawn or replaced by a newer one. Ask your admin to send you a new invitation.',
    },
    used: {
      title: 'This invitation was already accepted',
      body: `Sign in to the Sidedesk extension with the email it was sent to and the password chosen then. Forgot the password? You can ${FORGOT}.`,
    },
    expired: {
      title: 'This invitation has expired',
      body: 'An invitation link works for 7 days. Ask your admin to send it again.',
    },
  },
  reset: {
    unknown: {
      title: 'This link does not work',
      body: `The link may be incomplete (check that you copied all of it), or a newer link replaced it. To set a new password, ${FORGOT}.`,
    },
    used: {
      title: 'This link was already used',
      body: `Each link sets a password once. If you still need a new password, ${FORGOT}.`,
    },
    expired: {
      title: 'This link has expired',
      body: `A password link works for one hour. To set a new password, ${FORGOT}.`,
    },
  },
};

/** The page for a link that can't be used. The same for every token in the same state: it names nobody. */
export function linkProblemPage(kind: 'invitation' | 'reset', problem: LinkProblem): string {
  const { title, body } = PROBLEMS[kind][problem];
  return page(title, `<h1>${title}</h1>\n<p class="lead">${body}</p>`);
}

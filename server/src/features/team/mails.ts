/**
 * The team's mails (A5, #5). Every value goes through `mailBody`, which escapes it in the HTML
 * part; links are built by `link()` (http(s) only) from the server's public address.
 */
import type { Role } from '../../../../shared/schemas/auth';
import type { Config } from '../../config';
import { link, mailBody, type MailBody } from '../../mail/template';

/**
 * Where links in mail point: PUBLIC_URL, or the address the server prints at start. Never the
 * request's Host header: a forged Host would send a victim's reset link to the forger's site.
 */
export function publicBaseUrl(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return config.publicUrl ?? `http://localhost:${config.port}`;
}

export const invitationPath = (token: string) => `/invite/${token}`;
export const passwordResetPath = (token: string) => `/reset-password/${token}`;

/** A subject is one header line of at most 250 characters (mail/job.ts): names may hold line breaks and be long. */
function subjectLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length <= 250 ? line : `${line.slice(0, 249)}…`;
}

const article = (role: Role) => (role === 'admin' || role === 'operator' ? 'an' : 'a');

export function invitationMail(input: { baseUrl: string; token: string; inviter: string; accountName: string; role: Role }): { subject: string } & MailBody {
  const { baseUrl, token, inviter, accountName, role } = input;
  return {
    subject: subjectLine(`${inviter} invited you to ${accountName} on Sidedesk`),
    ...mailBody`Hello,

${inviter} invited you to join ${accountName} on Sidedesk as ${article(role)} ${role}.

Choose your name and password here:
${link(`${baseUrl}${invitationPath(token)}`, 'Accept the invitation')}

The link works once, for 7 days. Then install the Sidedesk extension, enter the server address ${baseUrl} and sign in with this email address.

If you did not expect this invitation, ignore this mail.`,
  };
}

/** `byAdmin`: the name of the admin who sent it from the Team page; otherwise the operator asked. */
export function passwordResetMail(input: {
  baseUrl: string;
  token: string;
  name: string;
  email: string;
  accountName: string;
  byAdmin?: string;
}): { subject: string } & MailBody {
  const { baseUrl, token, name, email, accountName, byAdmin } = input;
  const href = link(`${baseUrl}${passwordResetPath(token)}`, 'Set a new password');
  const body = byAdmin
    ? mailBody`Hello ${name},

${byAdmin}, an admin of ${accountName}, sent you a link to set a new password for your Sidedesk sign-in (${email}):
${href}

The link works once, for one hour. Setting a new password signs you out everywhere.`
    : mailBody`Hello ${name},

someone (hopefully you) asked to reset the password of your Sidedesk sign-in (${email}) for ${accountName}. Set a new one here:
${href}

The link works once, for one hour. Setting a new password signs you out everywhere. If you did not ask for this, ignore this mail: your password stays as it is.`;
  return { subject: 'Set a new Sidedesk password', ...body };
}

import { escapeHtml, page } from '../../http/html';

type Field = 'account' | 'name' | 'email' | 'password' | 'allowedOrigins';

/**
 * The first-run form. `values` refill it after an error; `errors` (keyed by the validation issue's
 * path: `allowedOrigins.1` belongs to the `allowedOrigins` field) are shown beside their field.
 */
export function setupPage(values: Partial<Record<Field, string>> = {}, errors: Partial<Record<string, string>> = {}): string {
  const errorOf = (name: Field) => errors[name] ?? Object.entries(errors).find(([path]) => path.startsWith(`${name}.`))?.[1];
  const field = (name: Field, label: string, type: string, attrs: string, hint = '') => {
    const error = errorOf(name);
    const value = name === 'password' ? '' : (values[name] ?? '');
    return `<label for="${name}">${label}${hint ? ` <span class="hint">${hint}</span>` : ''}</label>
<input id="${name}" name="${name}" type="${type}" value="${escapeHtml(value)}" ${attrs}${error ? ` aria-invalid="true" aria-describedby="${name}-error"` : ''}>
${error ? `<p class="error" id="${name}-error">${escapeHtml(error)}</p>` : ''}`;
  };
  return page(
    'Set up Sidedesk',
    `<h1>Set up Sidedesk</h1>
<p class="lead">Create your company's account and your administrator login. This page is only available until the first account exists.</p>
${errors.form ? `<p class="alert" role="alert">${escapeHtml(errors.form)}</p>` : ''}
<form method="post" action="/setup" novalidate>
${field('account', 'Company name', 'text', 'required maxlength="120" autocomplete="organization"')}
${field('name', 'Your name', 'text', 'maxlength="120" autocomplete="name"', '(optional)')}
${field('email', 'Email', 'email', 'required maxlength="254" autocomplete="email"')}
${field('password', 'Password', 'password', 'required minlength="8" maxlength="200" autocomplete="new-password"', '(at least 8 characters)')}
${field('allowedOrigins', 'Your website', 'text', 'maxlength="2000" autocomplete="url" placeholder="https://shop.example.com"', "(where the chat widget will run; several separated by spaces; more can be added later in the extension's options)")}
<button type="submit">Create account</button>
</form>`,
  );
}

/**
 * Shown on /setup once the server is set up, to anyone: it names no account (#4). With `created`
 * (the answer to the setup form itself, seen only by whoever just set it up), it also shows the
 * new account, its admin and its websites.
 */
export function setupDonePage(created?: { accountName: string; accountId: string; email: string; allowedOrigins: string[] }): string {
  const origins = created?.allowedOrigins.length
    ? `<p>The chat widget may run on ${created.allowedOrigins.map((o) => `<code>${escapeHtml(o)}</code>`).join(', ')} and on this server's own pages.</p>`
    : created
      ? `<p>The chat widget runs on this server's own pages; add your website's address in the extension's options.</p>`
      : '';
  return page(
    'Sidedesk is set up',
    `<h1>Sidedesk is set up</h1>
${created ? `<p class="lead">Account <strong>${escapeHtml(created.accountName)}</strong> (id <code>${escapeHtml(created.accountId)}</code>).</p>` : '<p class="lead">This server is set up.</p>'}
${origins}
<ul>
<li>Load the Sidedesk extension in your browser, enter this server's address, and sign in${created ? ` as <strong>${escapeHtml(created.email)}</strong>` : ' with the account your admin gave you'}.</li>
<li>Try the <a href="/demo/">demo site</a> as a visitor: its chat widget talks to you.</li>
</ul>`,
  );
}

import { escapeHtml, page } from '../../http/html';

type Field = 'account' | 'name' | 'email' | 'password';

/** The first-run form. `values` refill it after an error; `errors` are shown beside their field. */
export function setupPage(values: Partial<Record<Field, string>> = {}, errors: Partial<Record<Field | 'form', string>> = {}): string {
  const field = (name: Field, label: string, type: string, attrs: string, hint = '') => {
    const error = errors[name];
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
<button type="submit">Create account</button>
</form>`,
  );
}

/** Shown after setup succeeded, and on /setup once the server is set up. */
export function setupDonePage(info: { accountName: string; accountId: string; email?: string }): string {
  return page(
    'Sidedesk is set up',
    `<h1>Sidedesk is set up</h1>
<p class="lead">Account <strong>${escapeHtml(info.accountName)}</strong> (id <code>${escapeHtml(info.accountId)}</code>).</p>
<ul>
<li>Load the Sidedesk extension in your browser, enter this server's address, and sign in${info.email ? ` as <strong>${escapeHtml(info.email)}</strong>` : ''}.</li>
<li>Try the <a href="/demo/">demo site</a> as a visitor: its chat widget talks to you.</li>
</ul>`,
  );
}

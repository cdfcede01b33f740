/** A5 (#5): the options page's Team page and its store, and "Forgot password?" on the sign-in form. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory } from 'vue-router';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import App from '@/entrypoints/options/App.vue';
import AuthLogin from '@/components/auth/AuthLogin.vue';
import TeamPage from '@/components/admin/team/TeamPage.vue';
import { createAdminRouter } from '@/admin/routes';
import { useTeamStore } from '@/stores/team';
import { sessionItem, type Session } from '@/utils/session';
import type { Role } from '@@/shared/schemas/auth';
import type { InvitationView, TeamMemberView, TeamView } from '@@/shared/schemas/team';

const SERVER = 'http://localhost:3000';
const session = (role: Role = 'admin'): Session => ({
  serverUrl: SERVER,
  token: `tok-${role}`,
  operator: { id: 'op-ada', accountId: 'acc', email: 'ada@acme.test', name: 'Ada', role },
  account: { id: 'acc', name: 'Acme' },
});

const member = (over: Partial<TeamMemberView> = {}): TeamMemberView => ({
  id: 'op-ada',
  email: 'ada@acme.test',
  name: 'Ada',
  role: 'admin',
  status: 'active',
  online: true,
  createdAt: '2026-12-01T10:00:00.000Z',
  ...over,
});
const carl = member({ id: 'op-carl', email: 'carl@acme.test', name: 'Carl', role: 'operator', online: false });
const invitation = (over: Partial<InvitationView> = {}): InvitationView => ({
  id: 'inv-1',
  email: 'nina@acme.test',
  name: null,
  role: 'supervisor',
  status: 'pending',
  invitedBy: 'Ada',
  createdAt: '2026-12-01T10:00:00.000Z',
  expiresAt: '2026-12-08T10:00:00.000Z',
  ...over,
});

const json = (status: number, body: unknown) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

type Handler = (body: any) => Response | Promise<Response>;
/** A fake server: `METHOD /path` → handler; records every request. Unknown routes answer 404. */
function fakeServer(routes: Record<string, Handler>) {
  const requests: { method: string; path: string; body: unknown; auth: string | null }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const path = url.slice(SERVER.length);
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      requests.push({ method, path, body, auth: new Headers(init.headers).get('Authorization') });
      const handler = routes[`${method} ${path}`];
      return handler ? handler(body) : json(404, { error: { code: 'not_found', message: `no ${method} ${path}` } });
    }),
  );
  return { requests };
}

const list = (view: TeamView) => () => json(200, view);

async function settle() {
  for (let i = 0; i < 3; i++) {
    await vi.dynamicImportSettled();
    await flushPromises();
  }
}

async function mountPage(view: TeamView, routes: Record<string, Handler> = {}) {
  const server = fakeServer({ 'GET /api/team': list(view), ...routes });
  const w = mount(TeamPage, { props: { session: session() }, attachTo: document.body });
  await settle();
  return { w, ...server };
}

const rows = (w: VueWrapper, kind: 'member' | 'invitation') => w.findAll(`[data-testid=team-${kind}]`);

beforeEach(() => {
  fakeBrowser.reset();
  setActivePinia(createPinia());
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('Team page (A5)', () => {
  it('lists operators with role, status and presence, and open invitations', async () => {
    const { w, requests } = await mountPage({
      members: [member(), carl, member({ id: 'op-dora', name: 'Dora', email: 'dora@acme.test', role: 'operator', status: 'disabled', online: false })],
      invitations: [invitation(), invitation({ id: 'inv-2', email: 'old@acme.test', name: 'Old', status: 'expired' })],
    });
    // #6: "Chats at once" reads the routing API besides.
    expect(requests.filter((r) => r.path.startsWith('/api/team'))).toMatchObject([{ method: 'GET', path: '/api/team', auth: 'Bearer tok-admin' }]);
    expect(w.get('h1').text()).toBe('Team');

    const members = rows(w, 'member');
    expect(members.map((r) => r.find('.team-name').text())).toEqual(['Ada (you)', 'Carl', 'Dora']);
    expect(members.map((r) => (r.get('[data-testid=team-role]').element as HTMLSelectElement).value)).toEqual(['admin', 'operator', 'operator']);
    expect(members.map((r) => r.get('[data-testid=team-status]').text())).toEqual(['Active', 'Active', 'Disabled']);
    expect(members.map((r) => r.get('[data-testid=team-online]').text())).toEqual(['Online', 'Offline', 'Offline']);
    // Each control names its operator for a screen reader.
    expect(members[1]!.get('label').text()).toBe('Role of Carl');
    expect(members[1]!.get('[role=group]').attributes('aria-label')).toBe('Actions for Carl');
    // A disabled operator can be enabled, not sent a reset.
    expect(members[2]!.find('[data-testid=team-reset]').exists()).toBe(false);
    expect(members[2]!.get('[data-testid=team-toggle]').text()).toBe('Enable');

    const invitations = rows(w, 'invitation');
    expect(invitations.map((r) => r.get('[data-testid=team-status]').text())).toEqual(['Invited', 'Invitation expired']);
    expect(invitations[0]!.text()).toContain('Supervisor');
    expect(invitations[1]!.find('.team-name').text()).toBe('Old');
  });

  it('shows loading, then an error with a retry that works', async () => {
    let fail = true;
    fakeServer({
      'GET /api/team': () => (fail ? json(500, { error: { code: 'internal_error', message: 'Boom.' } }) : json(200, { members: [member()], invitations: [] })),
    });
    const w = mount(TeamPage, { props: { session: session() } });
    expect(w.find('[data-testid=team-loading]').exists()).toBe(true);
    await settle();
    expect(w.get('[data-testid=team-load-error]').text()).toContain('Could not load the team. Boom.');
    fail = false;
    await w.get('[data-testid=team-load-error] button').trigger('click');
    await settle();
    expect(rows(w, 'member')).toHaveLength(1);
    expect(w.get('[data-testid=team-invitations-empty]').text()).toBe('No open invitations.');
  });

  it('invites by email: errors beside the field, then the new invitation in the list', async () => {
    let conflict = true;
    const { w, requests } = await mountPage(
      { members: [member()], invitations: [] },
      {
        'POST /api/team/invitations': (body) =>
          conflict
            ? json(409, { error: { code: 'conflict', message: 'nina@acme.test already has an open invitation: resend it from the list.' } })
            : json(201, invitation({ email: body.email, role: body.role, name: body.name ?? null })),
      },
    );
    await w.get('[data-testid=team-invite]').trigger('click');
    const dialog = w.get('dialog');
    expect((dialog.element as HTMLDialogElement).open).toBe(true);
    expect(dialog.attributes('aria-labelledby')).toBeTruthy();
    expect(document.getElementById(dialog.attributes('aria-labelledby')!)?.textContent).toBe('Invite someone to the team');

    // Nothing typed: said beside the field, nothing sent.
    await w.get('[data-testid=team-invite-form]').trigger('submit');
    expect(w.get('[data-testid=team-invite-error]').text()).toBe('Enter their email address.');
    expect(w.get('[data-testid=team-invite-email]').attributes('aria-invalid')).toBe('true');
    expect(requests.filter((r) => r.method === 'POST')).toEqual([]);

    await w.get('[data-testid=team-invite-email]').setValue('nina@acme.test');
    await w.get('[data-testid=team-invite-name]').setValue('Nina');
    await w.get('[data-testid=team-invite-role]').setValue('supervisor');
    await w.get('[data-testid=team-invite-form]').trigger('submit');
    await flushPromises();
    expect(w.get('[data-testid=team-invite-error]').text()).toContain('already has an open invitation');
    expect((w.get('dialog').element as HTMLDialogElement).open).toBe(true);

    conflict = false;
    await w.get('[data-testid=team-invite-form]').trigger('submit');
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/team/invitations',
      body: { email: 'nina@acme.test', role: 'supervisor', name: 'Nina' },
    });
    expect((w.get('dialog').element as HTMLDialogElement).open).toBe(false);
    expect(w.get('[data-testid=team-done]').text()).toBe('Invitation sent to nina@acme.test.');
    expect(rows(w, 'invitation').map((r) => r.find('.team-name').text())).toEqual(['Nina']);
  });

  it('disables after "are you sure?", and shows the operator disabled', async () => {
    const { w, requests } = await mountPage(
      { members: [member(), carl], invitations: [] },
      { 'PATCH /api/team/operators/op-carl': (body) => json(200, { ...carl, ...body, online: false }) },
    );
    const row = () => rows(w, 'member')[1]!;
    await row().get('[data-testid=team-toggle]').trigger('click');
    const confirm = w.findAll('dialog').find((d) => (d.element as HTMLDialogElement).open)!;
    expect(confirm.text()).toContain('Disable Carl?');
    expect(confirm.text()).toContain('signed out everywhere');
    expect(requests.filter((r) => r.method === 'PATCH')).toEqual([]);

    await confirm.get('[data-testid=team-confirm-ok]').trigger('click');
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: 'PATCH', path: '/api/team/operators/op-carl', body: { status: 'disabled' } });
    expect(row().get('[data-testid=team-status]').text()).toBe('Disabled');
    expect(row().get('[data-testid=team-toggle]').text()).toBe('Enable');
    expect(w.get('[data-testid=team-done]').text()).toBe('Carl is disabled and was signed out everywhere.');
    expect(w.findAll('dialog').some((d) => (d.element as HTMLDialogElement).open)).toBe(false);
  });

  it('cancels a confirmation without asking the server', async () => {
    const { w, requests } = await mountPage({ members: [member(), carl], invitations: [invitation()] });
    await rows(w, 'invitation')[0]!.get('[data-testid=team-revoke]').trigger('click');
    const confirm = w.findAll('dialog').find((d) => (d.element as HTMLDialogElement).open)!;
    expect(confirm.text()).toContain('Revoke the invitation for nina@acme.test?');
    await confirm
      .findAll('button')
      .find((b) => b.text() === 'Cancel')!
      .trigger('click');
    expect(w.findAll('dialog').some((d) => (d.element as HTMLDialogElement).open)).toBe(false);
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(rows(w, 'invitation')).toHaveLength(1);
  });

  it('changes a role with the select and Save, and says when the server refuses', async () => {
    let refuse = false;
    const { w, requests } = await mountPage(
      { members: [member(), carl], invitations: [] },
      {
        'PATCH /api/team/operators/op-carl': (body) => json(200, { ...carl, ...body }),
        'PATCH /api/team/operators/op-ada': () =>
          refuse
            ? json(409, { error: { code: 'conflict', message: 'You are the last active admin of this account: make someone else an admin first.' } })
            : json(500, {}),
      },
    );
    const carlRow = () => rows(w, 'member')[1]!;
    expect(carlRow().find('[data-testid=team-role-save]').exists()).toBe(false);
    await carlRow().get('[data-testid=team-role]').setValue('supervisor');
    await carlRow().get('[data-testid=team-role-save]').trigger('click');
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: 'PATCH', path: '/api/team/operators/op-carl', body: { role: 'supervisor' } });
    expect(w.get('[data-testid=team-done]').text()).toBe('Carl is now a supervisor.');
    expect(carlRow().find('[data-testid=team-role-save]').exists()).toBe(false);

    refuse = true;
    const adaRow = rows(w, 'member')[0]!;
    await adaRow.get('[data-testid=team-role]').setValue('operator');
    await adaRow.get('[data-testid=team-role-save]').trigger('click');
    await flushPromises();
    expect(w.get('[data-testid=team-failed]').attributes('role')).toBe('alert');
    expect(w.get('[data-testid=team-failed]').text()).toBe(
      'That didn’t work. You are the last active admin of this account: make someone else an admin first.',
    );
    // Still shown as not saved.
    expect(adaRow.find('[data-testid=team-role-save]').exists()).toBe(true);
    expect(adaRow.get('[data-testid=team-status]').text()).toBe('Active');
  });

  it('resends and revokes invitations, and sends a password reset after confirming', async () => {
    const { w, requests } = await mountPage(
      { members: [member(), carl], invitations: [invitation()] },
      {
        'POST /api/team/invitations/inv-1/resend': () => json(200, invitation({ expiresAt: '2026-12-20T10:00:00.000Z' })),
        'DELETE /api/team/invitations/inv-1': () => json(204, null),
        'POST /api/team/operators/op-carl/password-reset': () => json(202, { accepted: true }),
      },
    );
    await rows(w, 'invitation')[0]!.get('[data-testid=team-resend]').trigger('click');
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/team/invitations/inv-1/resend' });
    expect(w.get('[data-testid=team-done]').text()).toBe('A new invitation link was sent to nina@acme.test.');

    await rows(w, 'invitation')[0]!.get('[data-testid=team-revoke]').trigger('click');
    await w.get('dialog[open] [data-testid=team-confirm-ok]').trigger('click');
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/team/invitations/inv-1' });
    expect(rows(w, 'invitation')).toHaveLength(0);
    expect(w.find('[data-testid=team-invitations-empty]').exists()).toBe(true);
    // Its row (and the focused button) is gone: focus goes to the section's heading.
    expect(document.activeElement?.id).toBe('team-invitations-h');

    await rows(w, 'member')[1]!.get('[data-testid=team-reset]').trigger('click');
    expect(w.get('dialog[open]').text()).toContain('A link to set a new password goes to carl@acme.test.');
    await w.get('dialog[open] [data-testid=team-confirm-ok]').trigger('click');
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/team/operators/op-carl/password-reset' });
    expect(w.get('[data-testid=team-done]').text()).toBe('A password reset link was sent to carl@acme.test.');
  });

  it('the store lets one action per row run at a time', async () => {
    let answer: (r: Response) => void = () => {};
    fakeServer({ 'POST /api/team/invitations/inv-1/resend': () => new Promise<Response>((r) => (answer = r)) });
    const team = useTeamStore();
    team.invitations = [invitation()];
    const first = team.resend(session(), invitation());
    expect(team.busy.has('inv-1')).toBe(true);
    expect(await team.resend(session(), invitation())).toBe(false);
    answer(json(200, invitation()));
    expect(await first).toBe(true);
    expect(team.busy.has('inv-1')).toBe(false);
  });

  it('is in the admin navigation for admins, and "not allowed" for other roles without asking the server', async () => {
    for (const role of ['admin', 'supervisor'] as const) {
      const { requests } = fakeServer({ 'GET /api/team': list({ members: [member()], invitations: [] }) });
      await sessionItem.setValue(session(role));
      const router = createAdminRouter(createMemoryHistory());
      await router.push('/team');
      const pinia = createPinia();
      setActivePinia(pinia);
      const w = mount(App, { global: { plugins: [pinia, router] } });
      await router.isReady();
      await settle();
      expect(w.get('[data-testid=admin-nav-team]').text()).toBe('Team');
      if (role === 'admin') {
        expect(w.get('[data-testid=admin-nav-team]').attributes('aria-current')).toBe('page');
        expect(rows(w, 'member')).toHaveLength(1);
      } else {
        expect(w.find('[data-testid=admin-not-allowed]').exists()).toBe(true);
        expect(requests).toEqual([]);
      }
      w.unmount();
    }
  });
});

describe('sign-in form (A5)', () => {
  it('asks for a reset link with "Forgot password?" and says the same whatever the email', async () => {
    const { requests } = fakeServer({ 'POST /api/auth/password-reset': () => json(202, { accepted: true }) });
    const w = mount(AuthLogin, { attachTo: document.body });
    await settle();
    await w.get('[data-testid=login-email]').setValue('carl@acme.test');
    await w.get('[data-testid=login-forgot]').trigger('click');
    expect((w.get('[data-testid=reset-email]').element as HTMLInputElement).value).toBe('carl@acme.test');
    expect(document.activeElement).toBe(w.get('[data-testid=reset-email]').element);

    await w.get('[data-testid=reset-email]').setValue('');
    await w.get('[data-testid=reset-form]').trigger('submit');
    expect(w.get('[data-testid=reset-error]').text()).toBe('Enter your email address.');
    expect(requests).toEqual([]);

    await w.get('[data-testid=reset-email]').setValue('carl@acme.test');
    await w.get('[data-testid=reset-form]').trigger('submit');
    await flushPromises();
    expect(requests).toMatchObject([{ method: 'POST', path: '/api/auth/password-reset', body: { email: 'carl@acme.test' }, auth: null }]);
    expect(w.get('[data-testid=reset-sent]').attributes('role')).toBe('status');
    expect(w.get('[data-testid=reset-sent]').text()).toBe(
      'If carl@acme.test signs in to Sidedesk on this server, a link to set a new password is on its way. It works once, for one hour.',
    );

    await w.get('[data-testid=reset-back]').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid=login-submit]').exists()).toBe(true);
    expect(document.activeElement).toBe(w.get('[data-testid=login-forgot]').element);
    w.unmount();
  });

  it('tells a disabled operator why they can’t sign in', async () => {
    fakeServer({ 'POST /api/auth/login': () => json(403, { error: { code: 'forbidden', message: 'This account is disabled.' } }) });
    const w = mount(AuthLogin);
    await settle();
    await w.get('[data-testid=login-email]').setValue('dora@acme.test');
    await w.get('[data-testid=login-password]').setValue('correct horse battery');
    await w.get('form').trigger('submit');
    await settle();
    expect(w.get('[data-testid=login-error]').text()).toBe('This account is disabled. Ask an admin of your team to enable it.');
  });
});

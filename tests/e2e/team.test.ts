/**
 * A5 (#5) end to end: the admin invites an operator on the options page's Team page, the
 * invitation mail (the server's outbox: no SMTP_URL) carries a link, the invitee chooses a name
 * and password on the server's page, signs in in the extension's panel, takes a visitor's chat and
 * answers it, and is signed out there within seconds when the admin disables them. axe-core checks the Team page and the invitation
 * page: no serious or critical violations.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamView } from '../../shared/schemas/team';
import { expectAccessible } from '../support/axe';
import { byTestId, launchWithExtension, messageTexts, typeInto, waitVisible, type ExtensionBrowser } from '../support/browser';
import {
  acceptChat,
  adminToken,
  fillSignIn,
  invitationLink,
  restClient,
  send,
  signInPanel,
  startE2eServer,
  startWidgetChat,
  type E2eServer,
  type Rest,
} from '../support/e2e';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery', account: 'Shop', name: 'Ada Admin' };
const INVITEE = { email: 'nina@shop.test', name: 'Nina Novak', password: 'a brand new passphrase' };

describe('the Team page in the browser (A5)', () => {
  let server: E2eServer;
  let rest: Rest;
  let ext: ExtensionBrowser;

  beforeAll(async () => {
    server = await startE2eServer({ name: 'team', admin: ADMIN, publicUrl: true });
    rest = restClient(server.url);
    ext = await launchWithExtension();
  });

  afterAll(async () => {
    await ext?.close();
    await server?.stop();
  });

  const signIn = (page: Page, who: { email: string; password: string }) => fillSignIn(page, server.url, who);

  it('invites by mail; the invitee sets a password on the page, signs in in the panel, takes a chat, and is signed out when disabled', async () => {
    // The admin on the options page's Team page.
    const options = await ext.browser.newPage();
    await options.setViewport({ width: 1280, height: 900 });
    await options.goto(`chrome-extension://${ext.extensionId}/options.html#/team`);
    await signIn(options, ADMIN);
    await waitVisible(options, byTestId('team-member'));
    await expectAccessible(options, 'the Team page');

    await options.click(byTestId('team-invite'));
    await waitVisible(options, byTestId('team-invite-email'));
    await options.type(byTestId('team-invite-email'), INVITEE.email);
    await options.select(byTestId('team-invite-role'), 'supervisor');
    await expectAccessible(options, 'the invite dialog');
    await options.click(byTestId('team-invite-send'));
    await options.waitForFunction(() => document.querySelector('[data-testid="team-done"]')?.textContent?.includes('Invitation sent to nina@shop.test.'));
    await waitVisible(options, byTestId('team-invitation'));
    await expectAccessible(options, 'the Team page with an invitation');

    // The mail, from the outbox an admin reads.
    const admin = { token: await adminToken(rest, ADMIN) };
    const link = await invitationLink(rest, admin.token, INVITEE.email);
    expect(link, 'the invitation mail with its link').toMatch(new RegExp(`^${server.url}/invite/`));

    // The invitee's page.
    const invitation = await ext.browser.newPage();
    await invitation.setViewport({ width: 375, height: 800 });
    await invitation.goto(link!);
    expect(await invitation.$eval('h1', (h) => h.textContent)).toBe('Join Shop on Sidedesk');
    await expectAccessible(invitation, 'the invitation page');
    await typeInto(invitation, '#name', INVITEE.name);
    await typeInto(invitation, '#password', INVITEE.password);
    await typeInto(invitation, '#passwordAgain', 'not the same one');
    await Promise.all([invitation.waitForNavigation(), invitation.click('button[type=submit]')]);
    expect(await invitation.$eval('#passwordAgain-error', (p) => p.textContent)).toBe('The two passwords are not the same.');
    await expectAccessible(invitation, 'the invitation page with errors');
    await typeInto(invitation, '#password', INVITEE.password);
    await typeInto(invitation, '#passwordAgain', INVITEE.password);
    await Promise.all([invitation.waitForNavigation(), invitation.click('button[type=submit]')]);
    expect(await invitation.$eval('h1', (h) => h.textContent)).toBe('Welcome to Shop');
    await expectAccessible(invitation, 'the welcome page');

    // The admin signs out of the extension; the new supervisor signs in in the side panel.
    await options.bringToFront();
    await options.click(byTestId('logout'));
    await waitVisible(options, byTestId('login-email'));
    const panel = await ext.browser.newPage();
    await panel.setViewport({ width: 400, height: 800 });
    await signInPanel(panel, ext, server.url, INVITEE);
    await expectAccessible(panel, "the new operator's panel");

    // A visitor asks on the demo site; the new operator takes the chat and answers.
    const visitor = await ext.browser.newPage();
    await startWidgetChat(visitor, server.url, { name: 'Vera Visitor', email: 'vera@example.com', question: 'Is anyone new on your team?' });
    await acceptChat(panel);
    await send(panel, 'Yes: Nina here, how can I help?');
    await expect.poll(() => messageTexts(visitor)).toContain('Yes: Nina here, how can I help?');
    expect(await messageTexts(visitor)).toContain(`${INVITEE.name} joined the chat`);
    await expectAccessible(panel, "the new operator's chat");

    // The admin disables them (REST, the admin's own session): the panel is back at sign-in within seconds.
    const team = await rest<TeamView>('GET', '/api/team', undefined, admin.token);
    const nina = team.members.find((m) => m.email === INVITEE.email)!;
    expect(nina).toMatchObject({ name: INVITEE.name, role: 'supervisor', status: 'active', online: true });
    await rest('PATCH', `/api/team/operators/${nina.id}`, { status: 'disabled' }, admin.token);
    await waitVisible(panel, byTestId('login-email'), 10_000);
    await signIn(panel, INVITEE);
    await panel.waitForFunction(() => document.querySelector('[data-testid="login-error"]')?.textContent?.includes('This account is disabled'));
  });
});

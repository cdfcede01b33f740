/**
 * A5 (#5) end to end: the admin invites an operator on the options page's Team page, the
 * invitation mail (the server's outbox: no SMTP_URL) carries a link, the invitee chooses a name
 * and password on the server's page, signs in in the extension's panel, takes a visitor's chat and
 * answers it, and is signed out there within seconds when the admin disables them. axe-core checks the Team page and the invitation
 * page: no serious or critical violations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxPage } from '../../shared/schemas/mail';
import type { TeamView } from '../../shared/schemas/team';
import { expectAccessible } from '../support/axe';
import { byTestId, launchWithExtension, messageTexts, typeInto, waitVisible, type ExtensionBrowser } from '../support/browser';
import { freePort, runSetup, startServerProcess, type ServerProcess } from '../support/process';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery' };
const INVITEE = { email: 'nina@shop.test', name: 'Nina Novak', password: 'a brand new passphrase' };

describe('the Team page in the browser (A5)', () => {
  let dataDir: string;
  let server: ServerProcess;
  let ext: ExtensionBrowser;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'sidedesk-e2e-team-'));
    await runSetup({ DATA_DIR: dataDir }, ['--email', ADMIN.email, '--password', ADMIN.password, '--account', 'Shop', '--name', 'Ada Admin']);
    const port = await freePort();
    server = await startServerProcess({ DATA_DIR: dataDir, PUBLIC_URL: `http://127.0.0.1:${port}` }, port);
    ext = await launchWithExtension();
  });

  afterAll(async () => {
    await ext?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function rest<T>(method: string, p: string, body?: unknown, token?: string): Promise<T> {
    const res = await fetch(`${server.url}${p}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as T;
  }

  async function signIn(page: Page, who: { email: string; password: string }) {
    await typeInto(page, byTestId('login-server'), server.url);
    await typeInto(page, byTestId('login-email'), who.email);
    await typeInto(page, byTestId('login-password'), who.password);
    await page.click(byTestId('login-submit'));
  }

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
    const admin = await rest<{ token: string }>('POST', '/api/auth/login', ADMIN);
    let link: string | undefined;
    for (let i = 0; i < 100 && !link; i++) {
      const outbox = await rest<OutboxPage>('GET', '/api/mail/outbox', undefined, admin.token);
      link = outbox.items.filter((m) => m.to.includes(INVITEE.email)).map((m) => /(http\S+\/invite\/[A-Za-z0-9_-]+)/.exec(m.text)?.[1])[0];
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
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
    await panel.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`);
    await signIn(panel, INVITEE);
    await waitVisible(panel, byTestId('connection-status', '[data-status="connected"]'));
    await expectAccessible(panel, "the new operator's panel");

    // A visitor asks on the demo site; the new operator takes the chat and answers.
    const visitor = await ext.browser.newPage();
    await visitor.goto(`${server.url}/demo/`);
    await visitor.click(byTestId('launcher'));
    await typeInto(visitor, byTestId('prechat-name'), 'Vera Visitor');
    await typeInto(visitor, byTestId('prechat-email'), 'vera@example.com');
    await typeInto(visitor, byTestId('prechat-question'), 'Is anyone new on your team?');
    await visitor.click(byTestId('prechat-submit'));
    await panel.bringToFront();
    await panel.click(byTestId('tab-chats'));
    await waitVisible(panel, byTestId('chat-item', '[data-status="waiting"]'));
    await panel.click(byTestId('chat-accept'));
    await waitVisible(panel, byTestId('chat-window'));
    await typeInto(panel, byTestId('composer-input'), 'Yes: Nina here, how can I help?');
    await panel.keyboard.press('Enter');
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

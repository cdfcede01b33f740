/**
 * What the e2e tests share: the real server process on its own data dir (set up through
 * `POST /api/setup`, what the first-run page sends), REST calls as an admin, invitations through the outbox, the side panel's
 * sign-in, a visitor's chat on the demo site, and screenshots (E2E_SCREENSHOTS=<dir>).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import type { Browser as ChromeApi } from 'wxt/browser';
import type { OutboxPage } from '../../shared/schemas/mail';
import { expectAccessible } from './axe';
import { byTestId, typeInto, waitVisible, type ExtensionBrowser } from './browser';
import { seededDataDir } from './db';
import { freePort, startServerProcess, type ServerProcess } from './process';
import { api } from './server';

export interface Person {
  email: string;
  password: string;
}

export interface E2eServer {
  readonly url: string;
  readonly dataDir: string;
  /** The account setup created. */
  readonly accountId: string;
  /** Kill the process (SIGKILL: a crash) and start it again on the same port and data dir. */
  restart(signal?: NodeJS.Signals): Promise<void>;
  /** Stop the process and remove its data dir. */
  stop(): Promise<void>;
}

export interface E2eServerOptions {
  /** In the data dir's name (`sidedesk-e2e-<name>-`). */
  name: string;
  /** The account and its admin, created by the first-run setup. */
  admin: Person & { account: string; name?: string };
  /** The websites the widget may run on, given at setup. */
  allowedOrigins?: string[];
  /** More environment for the server, given its data dir. */
  env?: (dataDir: string) => NodeJS.ProcessEnv;
  /** Set PUBLIC_URL to the server's own address (links in mails: invitations). */
  publicUrl?: boolean;
}

/**
 * The real server (`npm run serve`) on a fresh data dir, then the first-run setup over its API.
 * The data dir starts migrated (db.ts): PGlite's first initialisation and a setup process cost
 * about 7 s, and every e2e file starts one, one file at a time.
 */
export async function startE2eServer(opts: E2eServerOptions): Promise<E2eServer> {
  const dataDir = await seededDataDir(mkdtempSync(path.join(tmpdir(), `sidedesk-e2e-${opts.name}-`)));
  const { admin } = opts;
  const port = opts.publicUrl ? await freePort() : undefined;
  const env: NodeJS.ProcessEnv = { DATA_DIR: dataDir, ...(port ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}), ...opts.env?.(dataDir) };
  let proc: ServerProcess = await startServerProcess(env, port);
  const setup = await api<{ account: { id: string } }>(proc.url, 'POST', '/api/setup', {
    account: admin.account,
    email: admin.email,
    password: admin.password,
    ...(admin.name ? { name: admin.name } : {}),
    ...(opts.allowedOrigins ? { allowedOrigins: opts.allowedOrigins } : {}),
  });
  if (setup.status !== 200) {
    await proc.stop();
    throw new Error(`setup answered ${setup.status}: ${JSON.stringify(setup.body)}`);
  }
  return {
    get url() {
      return proc.url;
    },
    dataDir,
    accountId: setup.body.account.id,
    async restart(signal = 'SIGKILL') {
      await proc.stop(signal);
      proc = await startServerProcess(env, proc.port);
    },
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A REST caller for one server: the parsed body (null when empty), whatever the status. */
export function restClient(url: string) {
  return async <T = unknown>(method: string, p: string, body?: unknown, token?: string): Promise<T> => (await api<T>(url, method, p, body, token)).body;
}
export type Rest = ReturnType<typeof restClient>;

/** The admin's token (REST sign-in). */
export async function adminToken(rest: Rest, who: Person): Promise<string> {
  return (await rest<{ token: string }>('POST', '/api/auth/login', { email: who.email, password: who.password })).token;
}

/** The invitation link mailed to `email` (the server's outbox, read by an admin), once it is there. */
export async function invitationLink(rest: Rest, token: string, email: string): Promise<string | undefined> {
  let link: string | undefined;
  for (let i = 0; i < 100 && !link; i++) {
    const outbox = await rest<OutboxPage>('GET', '/api/mail/outbox', undefined, token);
    link = outbox.items.filter((m) => m.to.includes(email)).map((m) => /(http\S+\/invite\/[A-Za-z0-9_-]+)/.exec(m.text)?.[1])[0];
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  return link;
}

/** A member of the account, through the real invitation: the mail's link, the page's form. Returns their id. */
export async function inviteMember(
  rest: Rest,
  token: string,
  member: { email: string; name: string; password: string; role: 'operator' | 'supervisor' },
): Promise<string> {
  await rest('POST', '/api/team/invitations', { email: member.email, role: member.role }, token);
  const link = await invitationLink(rest, token, member.email);
  if (!link) throw new Error(`no invitation mail for ${member.email}`);
  const res = await fetch(link, {
    method: 'POST',
    body: new URLSearchParams({ name: member.name, password: member.password, passwordAgain: member.password }),
  });
  if (res.status !== 201) throw new Error(`accepting the invitation for ${member.email}: ${res.status}`);
  const team = await rest<{ members: { id: string; email: string }[] }>('GET', '/api/team', undefined, token);
  return team.members.find((m) => m.email === member.email)!.id;
}

/** Fill the extension's sign-in form (panel or options page) and submit it. */
export async function fillSignIn(page: Page, serverUrl: string, who: Person): Promise<void> {
  await typeInto(page, byTestId('login-server'), serverUrl);
  await typeInto(page, byTestId('login-email'), who.email);
  await typeInto(page, byTestId('login-password'), who.password);
  await page.click(byTestId('login-submit'));
}

/** The side panel in `page`, signed in and connected. */
export async function signInPanel(page: Page, ext: ExtensionBrowser, serverUrl: string, who: Person): Promise<Page> {
  await page.bringToFront();
  await page.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`);
  await fillSignIn(page, serverUrl, who);
  await waitVisible(page, byTestId('connection-status', '[data-status="connected"]'));
  return page;
}

/** A new tab with the side panel at `width`, signed in and connected. */
export async function openPanel(ext: ExtensionBrowser, serverUrl: string, who: Person, viewport = { width: 400, height: 860 }): Promise<Page> {
  const page = await ext.browser.newPage();
  await page.setViewport(viewport);
  return signInPanel(page, ext, serverUrl, who);
}

export interface Visitor {
  name: string;
  /** Default: `<name in lower case>@example.com`. */
  email?: string;
  question: string;
}

/** The widget's pre-chat form, open: filled and sent; resolves once the question is stored (seq 1). */
export async function fillPrechat(page: Page, visitor: Visitor, beforeSubmit?: () => Promise<void>): Promise<void> {
  await typeInto(page, byTestId('prechat-name'), visitor.name);
  await typeInto(page, byTestId('prechat-email'), visitor.email ?? `${visitor.name.toLowerCase()}@example.com`);
  await typeInto(page, byTestId('prechat-question'), visitor.question);
  await beforeSubmit?.();
  await page.click(byTestId('prechat-submit'));
  await waitVisible(page, byTestId('message', '[data-author="visitor"][data-seq="1"]'));
}

/** A visitor on the demo site opens the widget and starts a chat. */
export async function startWidgetChat(page: Page, serverUrl: string, visitor: Visitor, beforeSubmit?: () => Promise<void>): Promise<void> {
  // Clicks (and the widget's frames) only run in the front tab.
  await page.bringToFront();
  await page.goto(`${serverUrl}/demo/`);
  await (await waitVisible(page, byTestId('launcher'))).click();
  await fillPrechat(page, visitor, beforeSubmit);
}

/** The panel accepts the waiting chat (Chats tab) and its window opens. */
export async function acceptChat(panel: Page): Promise<void> {
  await panel.bringToFront();
  await panel.click(byTestId('tab-chats'));
  await (await waitVisible(panel, byTestId('chat-accept'))).click();
  await waitVisible(panel, byTestId('chat-window'));
}

/** Type into the composer (panel or widget) and send with Enter. */
export async function send(page: Page, text: string): Promise<void> {
  await typeInto(page, byTestId('composer-input'), text);
  await page.keyboard.press('Enter');
}

/** axe-core on the whole page, brought to the front first. */
export async function expectPageAccessible(page: Page, what = 'the page'): Promise<void> {
  await page.bringToFront();
  await expectAccessible(page, what);
}

/** In the extension's service worker, whose extension APIs are the global `chrome`. */
export type WorkerGlobal = { chrome: typeof ChromeApi };

/** The text on the extension's toolbar icon. */
export const badgeText = async (ext: ExtensionBrowser) =>
  (await ext.serviceWorker()).evaluate(() => (globalThis as unknown as WorkerGlobal).chrome.action.getBadgeText({}));

const SHOTS = process.env.E2E_SCREENSHOTS;

/** With E2E_SCREENSHOTS=<dir>: the page at each width, as `<name>-<width>.png`. */
export async function shoot(page: Page, name: string, widths: number[], height: number | ((width: number) => number) = (w) => (w < 500 ? 740 : 800)) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.bringToFront();
  const before = page.viewport();
  for (const width of widths) {
    await page.setViewport({ width, height: typeof height === 'number' ? height : height(width) });
    await new Promise((r) => setTimeout(r, 300)); // the panel's transitions
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`) });
  }
  if (before) await page.setViewport(before);
}

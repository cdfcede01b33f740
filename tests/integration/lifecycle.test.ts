import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { createApp, type App } from '../../server/src/app';
import { LOCK_FILE } from '../../server/src/db/lock';
import { createAccountWithAdmin } from '../../server/src/features/accounts/service';
import { OPERATOR_NAMESPACE, VISITOR_NAMESPACE, type VisitorSession } from '../../shared/events';
import { freshTestDatabase, seededDataDir } from '../support/db';
import { loginOk, newClientId, testConfig, type OperatorClient, type VisitorClient } from '../support/server';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidedesk-test-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(config: Parameters<typeof testConfig>[0]): Promise<{ app: App; url: string }> {
  const app = await createApp(testConfig(config));
  cleanups.push(() => app.close());
  return { app, url: (await app.listen(0)).url };
}

function connect<T extends OperatorClient | VisitorClient>(url: string, auth: object): T {
  const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false }) as T;
  cleanups.push(() => socket.disconnect());
  return socket;
}

describe('PGlite data-dir lock', () => {
  it('refuses a second server on the same data dir, naming the process that holds it', async () => {
    const dataDir = await seededDataDir(tempDir());
    await start({ dataDir });
    await expect(createApp(testConfig({ dataDir }))).rejects.toThrow(`in use by another Sidedesk process (pid ${process.pid}`);
  });

  it('takes over a lock left by a dead process, and releases it on close', async () => {
    const dataDir = await seededDataDir(tempDir());
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    fs.writeFileSync(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: dead, hostname: os.hostname() }));

    const { app } = await start({ dataDir });
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    await app.close();
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    // Free again: a new server opens it.
    await start({ dataDir });
  });
});

describe('restart', () => {
  it('keeps the history and the visitor token valid across a server restart', async () => {
    const database = await freshTestDatabase();
    cleanups.push(() => database.drop());
    let config: Parameters<typeof testConfig>[0];
    if (database.kind === 'pglite') {
      await database.pglite.close();
      config = { dataDir: await seededDataDir(tempDir()) };
    } else {
      config = { databaseUrl: database.url };
    }

    const first = await start(config);
    const { account } = await createAccountWithAdmin(first.app.ctx.db, { account: 'Acme', email: 'op@example.com', password: 'long enough', name: 'Olivia' });
    const visitor = connect<VisitorClient>(`${first.url}${VISITOR_NAMESPACE}`, { accountId: account.id });
    const session = await new Promise<VisitorSession>((resolve) => visitor.once('session:started', resolve));
    const started = await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'v@example.com', question: 'Q1' });
    if (!started.ok) throw new Error('chat:start failed');
    const conversationId = started.data.conversation.id;
    for (const body of ['Q2', 'Q3']) await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body });
    visitor.disconnect();
    await first.app.close();

    const second = await start(config);
    const back = connect<VisitorClient>(`${second.url}${VISITOR_NAMESPACE}`, { accountId: account.id, visitorToken: session.visitorToken });
    const resumed = await new Promise<VisitorSession>((resolve) => back.once('session:started', resolve));
    expect(resumed.visitorId).toBe(session.visitorId);
    expect(resumed.chat?.messages.map((m) => [m.seq, m.body])).toEqual([
      [1, 'Q1'],
      [2, 'Q2'],
      [3, 'Q3'],
    ]);

    const { token } = await loginOk(second.url, 'op@example.com', 'long enough');
    const op = connect<OperatorClient>(`${second.url}${OPERATOR_NAMESPACE}`, { token });
    const synced = await op.emitWithAck('chat:sync', { conversationId, afterSeq: 1 });
    expect(synced.ok && synced.data.map((m) => m.body)).toEqual(['Q2', 'Q3']);
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE } from '../../../server/src/db/lock';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sidedesk-lock-'));
  dirs.push(d);
  return d;
};

describe('acquireDataDirLock', () => {
  it('writes pid and hostname, refuses a second holder, and can be taken again after release', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, hostname: os.hostname() });
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    lock.release();
    lock.release();
    acquireDataDirLock(dir).release();
  });

  it('refuses while another live process holds it, and takes it over once that process is dead', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: child.pid, hostname: os.hostname() }));
    try {
      expect(() => acquireDataDirLock(dir)).toThrow(`pid ${child.pid}`);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('treats an unreadable lock file as stale', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, LOCK_FILE), '{half-writ');
    acquireDataDirLock(dir).release();
  });
});

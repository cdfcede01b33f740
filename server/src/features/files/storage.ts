import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config';

/** A partial upload left by a crash is removed once it is this old (no upload takes an hour at the size limits). */
const STALE_PARTIAL_MS = 60 * 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Where uploads live on disk (#5): `<FILES_DIR>/<account id>/<file id>`, both uuids the server
 * chose, so nothing the uploader sends ever becomes part of a path. An upload streams into
 * `<file id>.part` and is renamed when it has been checked: a reader never sees half a file.
 * With several nodes, FILES_DIR must be one directory they share (NFS, a mounted volume).
 */
export class FileStorage {
  readonly root: string;

  constructor(config: Pick<Config, 'dataDir' | 'files'>) {
    this.root = config.files.dir ?? path.join(config.dataDir, 'files');
  }

  /** The stored file's path. Both ids are uuids (checked: this is the one place paths are built). */
  pathOf(accountId: string, fileId: string): string {
    if (!UUID.test(accountId) || !UUID.test(fileId)) throw new Error(`FileStorage: not a uuid: ${accountId}/${fileId}`);
    return path.join(this.root, accountId, fileId);
  }

  /** Where an upload streams to until it is checked; creates the account's directory. */
  async partialPath(accountId: string, fileId: string): Promise<string> {
    const final = this.pathOf(accountId, fileId);
    await fs.mkdir(path.dirname(final), { recursive: true, mode: 0o700 });
    return `${final}.part`;
  }

  /** Makes a checked upload the stored file. */
  async keep(accountId: string, fileId: string): Promise<void> {
    const final = this.pathOf(accountId, fileId);
    await fs.rename(`${final}.part`, final);
  }

  /** Removes a stored file or a partial upload; a missing one is fine. */
  async remove(filePath: string): Promise<void> {
    await fs.rm(filePath, { force: true });
  }

  /**
   * Removes what no row stands for any more in the account's directory: files whose ids
   * `isStored` no longer knows (their conversation or visitor was deleted: an upload writes its
   * row before it renames its file into place, so a file without a row is never one being stored)
   * and partial uploads older than an hour (a crash mid-upload). Returns how many were removed.
   */
  async sweep(accountId: string, isStored: (fileIds: string[]) => Promise<Set<string>>, now = Date.now()): Promise<number> {
    const dir = path.dirname(this.pathOf(accountId, '00000000-0000-0000-0000-000000000000'));
    const names = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
    const candidates: { name: string; id: string; partial: boolean }[] = [];
    for (const name of names) {
      const partial = name.endsWith('.part');
      const id = partial ? name.slice(0, -5) : name;
      if (UUID.test(id)) candidates.push({ name, id, partial });
    }
    const kept = await isStored(candidates.filter((c) => !c.partial).map((c) => c.id));
    let removed = 0;
    for (const c of candidates) {
      if (!c.partial && kept.has(c.id)) continue;
      const stat = await fs.stat(path.join(dir, c.name)).catch(() => null);
      if (!stat || (c.partial && now - stat.mtimeMs < STALE_PARTIAL_MS)) continue;
      await this.remove(path.join(dir, c.name));
      removed++;
    }
    return removed;
  }
}

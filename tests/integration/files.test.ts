/**
 * #5 files in chats (SPEC P7): uploads stream to disk under their size limit, their type comes
 * from their bytes, only the people of the conversation reach them (everyone else: 404), and they
 * are served so that a browser never runs them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getOrCreateSecret } from '../../server/src/db/secrets';
import { findFileForConversation } from '../../server/src/features/files/service';
import { FileUrls } from '../../server/src/features/files/urls';
import type { FileSettingsView, FileView } from '../../shared/schemas/files';
import { freshTestDatabase } from '../support/db';
import { docx, EXE, PDF, PNG, rawUpload, streamUpload, upload, zip } from '../support/files';
import { api, Harness, newClientId, type ErrorBody, type TestServer } from '../support/server';

const h = new Harness();
// The migrated database every test clones, made before the first test's clock starts.
beforeAll(async () => {
  const warm = await freshTestDatabase();
  await (warm.kind === 'pglite' ? warm.pglite.close() : warm.drop());
});
afterEach(() => h.closeAll());

const MB = 1024 * 1024;

/** A server (its files go to a temporary directory of its own) and that directory. */
async function filesServer() {
  const server = await h.server();
  return { server, dir: server.app.ctx.config.files.dir! };
}

/** A visitor in a chat with an operator (admin) of the account. */
async function chatOn(server: TestServer, op?: Awaited<ReturnType<Harness['operator']>>) {
  op ??= await h.operator(server);
  const visitor = await h.connectVisitor(server, op.account.id);
  const started = await visitor.socket.emitWithAck('chat:start', {
    clientId: newClientId(),
    name: 'Vera',
    email: 'vera@example.com',
    question: 'Here is my invoice',
  });
  if (!started.ok) throw new Error(started.error.message);
  return { op, visitor, visitorToken: visitor.session.visitorToken, accountId: op.account.id, conversationId: started.data.conversation.id };
}

/** Every file on disk under `dir` (stored and partial). */
async function filesOnDisk(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const account of await fs.readdir(dir).catch(() => [])) for (const name of await fs.readdir(path.join(dir, account))) found.push(`${account}/${name}`);
  return found;
}

async function download(server: TestServer, file: FileView) {
  const res = await fetch(`${server.url}${file.url}`);
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('files: upload and download (#5)', () => {
  it('stores a visitor’s image under a server-chosen id and serves it inline with safe headers', async () => {
    const { server, dir } = await filesServer();
    const { conversationId, visitorToken, accountId } = await chatOn(server);

    const res = await upload(server.url, { token: visitorToken, conversationId, name: 'photo.png', bytes: PNG, contentType: 'image/png' });
    expect(res.status).toBe(201);
    const file = res.body.file;
    expect(file).toEqual({
      id: expect.any(String),
      name: 'photo.png',
      size: PNG.length,
      type: 'image/png',
      image: true,
      url: expect.stringMatching(/^\/api\/files\/[0-9a-f-]{36}\/content\?expires=\d+&signature=[\w-]{43}$/),
    });
    expect(await filesOnDisk(dir)).toEqual([`${accountId}/${file.id}`]);

    const { res: got, bytes } = await download(server, file);
    expect(got.status).toBe(200);
    expect(bytes.equals(PNG)).toBe(true);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toBe(`inline; filename="photo.png"; filename*=UTF-8''photo.png`);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-security-policy')).toContain("default-src 'none'; sandbox");
    // The widget on the customer's site and the extension show it in an <img>.
    expect(got.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(got.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
  });

  it('lets the account’s operators upload into the chat and read the visitor’s files, and records who uploaded', async () => {
    const { server } = await filesServer();
    const { op, conversationId, visitorToken, accountId } = await chatOn(server);
    const colleague = await h.colleague(server, accountId);

    const fromVisitor = await upload(server.url, { token: visitorToken, conversationId, name: 'doc.pdf', bytes: PDF });
    const fromOperator = await upload(server.url, { token: colleague.token, conversationId, name: 'answer.pdf', bytes: PDF });
    expect([fromVisitor.status, fromOperator.status]).toEqual([201, 201]);

    for (const token of [op.token, colleague.token, visitorToken]) {
      for (const file of [fromVisitor.body.file, fromOperator.body.file]) {
        const res = await api<{ file: FileView }>(server.url, 'GET', `/api/files/${file.id}`, undefined, token);
        expect(res.status).toBe(200);
        expect(res.body.file).toMatchObject({ id: file.id, name: file.name, type: 'application/pdf', image: false });
      }
    }
    const row = await findFileForConversation(server.app.ctx.db, accountId, conversationId, fromOperator.body.file.id);
    expect(row).toMatchObject({ uploadedBy: 'operator', operatorId: colleague.operator.id, size: PDF.length, type: 'application/pdf' });
    expect(row?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await findFileForConversation(server.app.ctx.db, accountId, conversationId, fromVisitor.body.file.id))?.uploadedBy).toBe('visitor');
  });

  it('serves everything but raster images as an attachment, in UTF-8 for text', async () => {
    const { server } = await filesServer();
    const { conversationId, visitorToken } = await chatOn(server);
    const cases = [
      { name: 'doc.pdf', bytes: PDF, type: 'application/pdf', contentType: 'application/pdf' },
      { name: 'notes.txt', bytes: Buffer.from('Grüße, 日本語\nline two\n'), type: 'text/plain', contentType: 'text/plain; charset=utf-8' },
      { name: 'table.csv', bytes: Buffer.from('a,b\n1,2\n'), type: 'text/csv', contentType: 'text/csv; charset=utf-8' },
      { name: 'archive.zip', bytes: zip({ 'a.txt': 'hello' }), type: 'application/zip', contentType: 'application/zip' },
      {
        name: 'letter.docx',
        bytes: docx(),
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
    ];
    for (const c of cases) {
      const res = await upload(server.url, { token: visitorToken, conversationId, name: c.name, bytes: c.bytes });
      expect(res.status, c.name).toBe(201);
      expect(res.body.file).toMatchObject({ name: c.name, type: c.type, image: false });
      const { res: got, bytes } = await download(server, res.body.file);
      expect(bytes.equals(c.bytes), c.name).toBe(true);
      expect(got.headers.get('content-type')).toBe(c.contentType);
      expect(got.headers.get('content-disposition')).toMatch(/^attachment; /);
    }
  });
});

describe('files: types come from the bytes (#5)', () => {
  it('refuses an executable renamed .png', async () => {
    const { server, dir } = await filesServer();
    const { conversationId, visitorToken } = await chatOn(server);
    const res = await upload(server.url, { token: visitorToken, conversationId, name: 'cute-cat.png', bytes: EXE, contentType: 'image/png' });
    expect(res.status).toBe(415);
    expect(res.body.error).toMatchObject({ code: 'file_type_not_allowed', message: expect.stringContaining('EXE') });
    expect(await filesOnDisk(dir)).toEqual([]);
  });

  it('stores a PNG named .txt as image/png, under a name that says so', async () => {
    const { server } = await filesServer();
    const { conversationId, visitorToken } = await chatOn(server);
    const res = await upload(server.url, { token: visitorToken, conversationId, name: 'notes.txt', bytes: PNG, contentType: 'text/plain' });
    expect(res.status).toBe(201);
    expect(res.body.file).toMatchObject({ type: 'image/png', image: true, name: 'notes.txt.png' });
  });

  it('takes text only as valid UTF-8 without control characters, and gives a script’s name a .txt', async () => {
    const { server } = await filesServer();
    const { conversationId, visitorToken } = await chatOn(server);
    const script = await upload(server.url, { token: visitorToken, conversationId, name: 'run.bat', bytes: Buffer.from('del /q C:\\*\r\n') });
    expect(script.status).toBe(201);
    expect(script.body.file).toMatchObject({ type: 'text/plain', name: 'run.bat.txt' });

    for (const [what, bytes] of [
      ['Latin-1', Buffer.from('caf\xe9\n', 'latin1')],
      ['a NUL', Buffer.from('abc\0def')],
      ['an escape sequence', Buffer.from('\x1b[2Jcleared')],
      ['UTF-16', Buffer.from('\ufeffhello', 'utf16le')],
      ['a cut-off character', Buffer.from('ok \xe2\x82', 'latin1')],
    ] as const) {
      const res = await upload(server.url, { token: visitorToken, conversationId, name: 'x.txt', bytes });
      expect(res.status, what).toBe(415);
      expect(res.body.error.code, what).toBe('file_type_not_allowed');
    }
    const empty = await upload(server.url, { token: visitorToken, conversationId, name: 'empty.txt', bytes: new Uint8Array() });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/empty/);
  });

  it('never stores SVG or HTML, whatever they are called', async () => {
    const { server, dir } = await filesServer();
    const { conversationId, visitorToken } = await chatOn(server);
    for (const [name, text] of [
      ['logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'],
      ['logo.png', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
      ['page.html', '<!DOCTYPE html><html><script>alert(1)</script></html>'],
      ['readme.txt', '\n  <html><body onload="alert(1)">hi</body></html>'],
      ['comment.txt', '<!-- --><script>alert(1)</script>'],
    ] as const) {
      const res = await upload(server.url, { token: visitorToken, conversationId, name, bytes: Buffer.from(text), contentType: 'image/svg+xml' });
      expect(res.status, name).toBe(415);
      expect(res.body.error.code).toBe('file_type_not_allowed');
    }
    expect(await filesOnDisk(dir)).toEqual([]);
  });

  it('serves HTML hidden inside text as a text/plain attachment, sandboxed, never inline', async () => {
    const { server } = await filesServer();
    const { conversationId, visitorToken } = await chatOn(server);
    const res = await upload(server.url, {
      token: visitorToken,
      conversationId,
      name: 'page.html',
      bytes: Buffer.from('Dear support,\n<script>alert(document.cookie)</script>\n'),
    });
    expect(res.status).toBe(201);
    expect(res.body.file).toMatchObject({ type: 'text/plain', name: 'page.html.txt', image: false });
    const { res: got } = await download(server, res.body.file);
    expect(got.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="page.html.txt"; filename*=UTF-8''page.html.txt`);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-security-policy')).toMatch(/default-src 'none'; sandbox/);
  });

  it('accepts only the types the account allows, as an admin sets them', async () => {
    const { server } = await filesServer();
    const { op, conversationId, visitorToken, accountId } = await chatOn(server);

    const before = await api<FileSettingsView>(server.url, 'GET', '/api/files/settings', undefined, op.token);
    expect(before.body).toMatchObject({ maxBytes: 10 * MB, maxBytesLimit: 25 * MB });
    expect(before.body.allowedTypes).toEqual(expect.arrayContaining(['image/png', 'application/pdf', 'text/plain', 'text/csv', 'application/zip']));

    const colleague = await h.colleague(server, accountId);
    const refused = await api<ErrorBody>(server.url, 'PATCH', '/api/files/settings', { allowedTypes: ['image/png'] }, colleague.token);
    expect(refused.status).toBe(403);
    const tooBig = await api<ErrorBody>(server.url, 'PATCH', '/api/files/settings', { maxBytes: 26 * MB }, op.token);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.issues?.[0]?.path).toBe('maxBytes');
    const svg = await api<ErrorBody>(server.url, 'PATCH', '/api/files/settings', { allowedTypes: ['image/svg+xml'] }, op.token);
    expect(svg.status).toBe(400);

    const patched = await api<FileSettingsView>(server.url, 'PATCH', '/api/files/settings', { allowedTypes: ['image/png', 'image/jpeg'] }, op.token);
    expect(patched.body).toEqual({ maxBytes: 10 * MB, maxBytesLimit: 25 * MB, allowedTypes: ['image/png', 'image/jpeg'] });
    const pdf = await upload(server.url, { token: visitorToken, conversationId, name: 'doc.pdf', bytes: PDF });
    expect(pdf.status).toBe(415);
    expect(pdf.body.error.message).toContain('PNG image, JPEG image');
    expect((await upload(server.url, { token: visitorToken, conversationId, name: 'a.png', bytes: PNG })).status).toBe(201);
  });
});

describe('files: only the people of the conversation (#5)', () => {
  it('answers 404 to another visitor, another account and no token, on upload and on reading', async () => {
    const { server, dir } = await filesServer();
    const a = await chatOn(server);
    const b = await chatOn(server); // another account, with its own visitor
    const sameAccountStranger = await h.connectVisitor(server, a.accountId);
    const mine = await upload(server.url, { token: a.visitorToken, conversationId: a.conversationId, name: 'private.png', bytes: PNG });
    expect(mine.status).toBe(201);
    const before = await filesOnDisk(dir);

    const strangers: [string, string | undefined][] = [
      ['another visitor of the account', sameAccountStranger.session.visitorToken],
      ['a visitor of another account', b.visitorToken],
      ['an operator of another account', b.op.token],
      ['no token', undefined],
      ['a junk token', 'abc.def'],
    ];
    for (const [who, token] of strangers) {
      const into = await upload(server.url, { ...(token ? { token } : {}), conversationId: a.conversationId, name: 'x.png', bytes: PNG });
      expect(into.status, who).toBe(404);
      expect(into.body.error.code, who).toBe('not_found');
      const read = await api<ErrorBody>(server.url, 'GET', `/api/files/${mine.body.file.id}`, undefined, token);
      expect(read.status, who).toBe(404);
    }
    // The same answer as for a file or a conversation that does not exist.
    expect((await api(server.url, 'GET', `/api/files/${randomUUID()}`, undefined, a.visitorToken)).status).toBe(404);
    expect((await upload(server.url, { token: a.visitorToken, conversationId: randomUUID(), name: 'x.png', bytes: PNG })).status).toBe(404);
    // A's file can't become an attachment in B's chat, nor in another chat of A's account.
    expect(await findFileForConversation(server.app.ctx.db, b.accountId, b.conversationId, mine.body.file.id)).toBeNull();
    expect(await findFileForConversation(server.app.ctx.db, a.accountId, randomUUID(), mine.body.file.id)).toBeNull();
    expect(await filesOnDisk(dir)).toEqual(before);
  });

  it('removes a forgotten visitor’s files from disk, and partial uploads a crash left', async () => {
    const { server, dir } = await filesServer();
    const vera = await chatOn(server);
    const bystander = await chatOn(server, vera.op);
    const gone = (await upload(server.url, { token: vera.visitorToken, conversationId: vera.conversationId, name: 'a.png', bytes: PNG })).body.file;
    const kept = (await upload(server.url, { token: bystander.visitorToken, conversationId: bystander.conversationId, name: 'b.png', bytes: PNG })).body.file;
    const crashed = path.join(dir, vera.accountId, `${randomUUID()}.part`);
    await fs.writeFile(crashed, 'half an upload');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await fs.utimes(crashed, twoHoursAgo, twoHoursAgo);

    const res = await api(server.url, 'DELETE', `/api/visitors/${vera.visitor.session.visitorId}`, undefined, vera.op.token);
    expect(res.status).toBe(204);
    await expect.poll(() => filesOnDisk(dir), { timeout: 5_000 }).toEqual([`${vera.accountId}/${kept.id}`]);
    expect((await fetch(`${server.url}${gone.url}`)).status).toBe(404);
    expect((await fetch(`${server.url}${kept.url}`)).status).toBe(200);
  });

  it('refuses uploads into a closed chat', async () => {
    const { server } = await filesServer();
    const { visitor, conversationId, visitorToken } = await chatOn(server);
    await visitor.socket.emitWithAck('chat:close', { conversationId });
    const res = await upload(server.url, { token: visitorToken, conversationId, name: 'late.png', bytes: PNG });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('chat_closed');
  });

  it('serves the bytes only with a genuine, unexpired signature', async () => {
    const { server } = await filesServer();
    const { conversationId, visitorToken } = await chatOn(server);
    const { file } = (await upload(server.url, { token: visitorToken, conversationId, name: 'a.png', bytes: PNG })).body;
    const other = (await upload(server.url, { token: visitorToken, conversationId, name: 'b.png', bytes: PNG })).body.file;
    const url = new URL(file.url, server.url);
    const signature = url.searchParams.get('signature')!;
    const expires = url.searchParams.get('expires')!;
    const flip = (s: string) => (s[5] === 'A' ? `${s.slice(0, 5)}B${s.slice(6)}` : `${s.slice(0, 5)}A${s.slice(6)}`);

    const variants = {
      'a tampered signature': `/api/files/${file.id}/content?expires=${expires}&signature=${flip(signature)}`,
      'a later expiry': `/api/files/${file.id}/content?expires=${Number(expires) + 3600}&signature=${signature}`,
      'another file’s signature': `/api/files/${file.id}/content?expires=${expires}&signature=${new URL(other.url, server.url).searchParams.get('signature')}`,
      'no signature': `/api/files/${file.id}/content`,
      'a signature with padding': `/api/files/${file.id}/content?expires=${expires}&signature=${signature}=`,
    };
    for (const [what, href] of Object.entries(variants)) expect((await fetch(`${server.url}${href}`)).status, what).toBe(404);

    // Signed with the server's own key, but expired a second ago.
    const key = await getOrCreateSecret(server.app.ctx.db, 'file_url');
    const expired = new FileUrls(key, { now: () => Date.now() - 3 * 3600_000 }).url(file.id);
    expect(Number(new URL(expired, server.url).searchParams.get('expires')) * 1000).toBeLessThan(Date.now());
    expect((await fetch(`${server.url}${expired}`)).status).toBe(404);
    // …and the genuine one works; a fresh one from GET /api/files/:id too.
    expect((await fetch(`${server.url}${file.url}`)).status).toBe(200);
    const fresh = await api<{ file: FileView }>(server.url, 'GET', `/api/files/${file.id}`, undefined, visitorToken);
    expect((await fetch(`${server.url}${fresh.body.file.url}`)).status).toBe(200);
  });
});

describe('files: names (#5)', () => {
  it('keeps no path, control character or bidi override in the name, and sends it safely in the header', async () => {
    const { server, dir } = await filesServer();
    const { conversationId, visitorToken, accountId } = await chatOn(server);
    // RFC 5987 filename* carries anything (FormData would escape newlines as %0A).
    const ext = (name: string) => `filename*=UTF-8''${encodeURIComponent(name)}`;
    const cases = [
      { params: 'filename="../../../etc/passwd.png"', stored: 'passwd.png' },
      // A quoted-string escapes a backslash with a backslash: this is ..\..\windows\evil.png.
      { params: 'filename="..\\\\..\\\\windows\\\\evil.png"', stored: 'evil.png' },
      { params: ext('invoice\u202Egnp.exe'), stored: 'invoicegnp.exe.png' },
      { params: ext('\u2067two\r\nlines\n\u0000.png'), stored: 'two lines .png' },
      { params: ext('..'), stored: 'file.png' },
      { params: ext('Résumé "final"; 日本.png'), stored: 'Résumé "final"; 日本.png' },
      { params: ext(`${'ä'.repeat(300)}.png`), stored: `${'ä'.repeat(98)}.png` },
    ];
    for (const c of cases) {
      const res = await rawUpload(server.url, { token: visitorToken, conversationId, fileParams: c.params, bytes: PNG });
      expect(res.status, c.params).toBe(201);
      expect(res.body.file.name).toBe(c.stored);
      const { res: got } = await download(server, res.body.file);
      const header = got.headers.get('content-disposition')!;
      expect(header).toMatch(/^inline; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
      expect(decodeURIComponent(header.split("UTF-8''")[1]!)).toBe(c.stored);
    }
    // On disk, only server-chosen uuids.
    for (const stored of await filesOnDisk(dir)) expect(stored).toMatch(new RegExp(`^${accountId}/[0-9a-f-]{36}$`));
  });
});

describe('files: size limits while streaming (#5)', () => {
  it('refuses an upload over the account’s limit with file_too_large and leaves nothing on disk', async () => {
    const { server, dir } = await filesServer();
    const { op, conversationId, visitorToken } = await chatOn(server);
    await api(server.url, 'PATCH', '/api/files/settings', { maxBytes: 100 * 1024 }, op.token);

    const exact = Buffer.alloc(100 * 1024, 0x41);
    PNG.copy(exact);
    expect((await upload(server.url, { token: visitorToken, conversationId, name: 'exact.png', bytes: exact })).status).toBe(201);
    const stored = await filesOnDisk(dir);

    // Chunked, so only the streaming count can catch it (no Content-Length to refuse up front).
    const res = await streamUpload(server.url, { token: visitorToken, conversationId, totalBytes: 300 * 1024 });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'file_too_large', message: expect.stringContaining('100 KB') });
    expect(await filesOnDisk(dir)).toEqual(stored);
  });

  it('stops reading a 50 MB upload soon after the 10 MB limit, without holding it in memory', async () => {
    const { server, dir } = await filesServer();
    const { conversationId, visitorToken } = await chatOn(server);
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    const res = await streamUpload(server.url, {
      token: visitorToken,
      conversationId,
      totalBytes: 50 * MB,
      onChunk: () => {
        const now = process.memoryUsage();
        peakHeap = Math.max(peakHeap, now.heapUsed);
        peakRss = Math.max(peakRss, now.rss);
      },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('file_too_large');
    // Cut off after the limit plus what socket buffers held, not after 50 MB.
    expect(res.finished).toBe(false);
    expect(res.sentBytes).toBeLessThan(25 * MB);
    // Server and client share this process: neither held the upload in memory.
    expect(peakHeap - before.heapUsed).toBeLessThan(20 * MB);
    expect(peakRss - before.rss).toBeLessThan(40 * MB);
    expect(await filesOnDisk(dir)).toEqual([]);
  });

  it('refuses at once an upload whose Content-Length is over the limit, before reading it', async () => {
    const { server, dir } = await filesServer();
    const { conversationId, visitorToken } = await chatOn(server);
    for (const totalBytes of [50 * MB, 12 * MB]) {
      const res = await streamUpload(server.url, { token: visitorToken, conversationId, totalBytes, declareLength: true });
      expect(res.status, `${totalBytes}`).toBe(413);
      expect(res.body.error.code).toBe('file_too_large');
      expect(res.sentBytes).toBeLessThan(8 * MB);
    }
    expect(await filesOnDisk(dir)).toEqual([]);
  });
});

describe('files: requests (#5)', () => {
  it('wants the conversationId before the file, and one file', async () => {
    const { server, dir } = await filesServer();
    const { conversationId, visitorToken } = await chatOn(server);
    const first = await upload(server.url, { token: visitorToken, conversationId, name: 'a.png', bytes: PNG, fileFirst: true });
    expect(first.status).toBe(400);
    expect(first.body.error.message).toMatch(/conversationId field before the file/);

    const json = await api<ErrorBody>(server.url, 'POST', '/api/files', { conversationId }, visitorToken);
    expect(json.status).toBe(400);

    const form = new FormData();
    form.append('conversationId', conversationId);
    form.append('file', new Blob([PNG]), 'a.png');
    form.append('file', new Blob([PNG]), 'b.png');
    const two = await fetch(`${server.url}/api/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${visitorToken}` } });
    expect(two.status).toBe(400);
    expect(await filesOnDisk(dir)).toEqual([]);
  });

  it('counts uploads against a limit per visitor', async () => {
    const { server } = await filesServer();
    const { conversationId, visitorToken } = await chatOn(server);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await upload(server.url, { token: visitorToken, conversationId, name: `${i}.png`, bytes: PNG })).status);
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

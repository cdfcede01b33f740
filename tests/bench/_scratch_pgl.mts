import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync } from 'node:fs';
const db = await PGlite.create(mkdtempSync('/tmp/pgl-'));
await db.exec(`CREATE TABLE m (id bigserial primary key, c uuid, seq int, body text, created_at timestamptz default now(), unique(c,seq))`);
const lat: number[] = [];
const c = crypto.randomUUID();
for (let i = 0; i < 600; i++) {
  const t = performance.now();
  await db.query('INSERT INTO m (c, seq, body) VALUES ($1,$2,$3) RETURNING created_at', [c, i, 'hello ' + i]);
  lat.push(performance.now() - t);
  await new Promise(r => setTimeout(r, 5));
}
lat.sort((a,b)=>a-b);
console.log('p50', lat[300], 'p99', lat[594], 'max', lat[599], 'rss MB', process.memoryUsage().rss/1e6);

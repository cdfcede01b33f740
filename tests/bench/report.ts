/** The bench's markdown: one table of figures, the ratios to the baselines, the issue's targets. */
import type { BenchResult, TargetResult } from './run';
import { round } from './stats';

const ms = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v < 10 ? round(v, 1).toFixed(1) : String(Math.round(v)));
const mb = (b: number | undefined) => (b ? `${Math.round(b / 1024 / 1024)}` : '–');
const kb = (b: number | undefined) => (b === undefined ? '–' : round(b / 1024, 1).toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? '–' : `${round(a / b, 2).toFixed(2)}×`;

function quad(s: { p50: number; p95: number; p99: number; max: number } | undefined): string {
  return s ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)} / ${ms(s.max)}` : '–';
}

function row(t: TargetResult): string {
  const s = t.chat?.steady;
  if (t.error && !s) return `| ${t.name} | error: ${t.error.split('\n')[0]!.slice(0, 120)} |||||||||||`;
  const cells = [
    t.name,
    quad(s?.latency.toOperator),
    quad(s?.latency.toVisitor),
    ms(s?.latency.ack.p99),
    s ? `${s.delivered}/${s.acked}` : '–',
    s ? String(s.duplicates) : '–',
    String((t.chat?.connectFailures ?? 0) + (t.idle?.connectFailures ?? 0)),
    s ? `${Math.round(s.usage.serverCpuPct)} %` : '–',
    s ? mb(s.usage.serverPeakRss) : '–',
    mb(t.chat?.memoryAfter.heapUsed),
    t.idle ? `${kb(t.idle.rssPerSocket)} / ${kb(t.idle.heapPerSocket)}` : '–',
    t.chat?.ramp ? (t.chat.ramp.maxCommittedRate === null ? `< ${t.chat.ramp.steps[0]?.targetRate}` : String(t.chat.ramp.maxCommittedRate)) : '–',
  ];
  return `| ${cells.join(' | ')} |`;
}

export function renderMarkdown(r: BenchResult): string {
  const c = r.config;
  const lines: string[] = [];
  const other = r.targets.flatMap((t) => (t.chat ? [t.chat.steady.usage.otherCpuPct] : []));
  lines.push(
    `### Bench ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC — ${c.chats} chats (${c.chatsPerAccount ?? 1} per account), ${c.rate} msg/s for ${c.durationS} s${c.quick ? ' (quick)' : ''}`,
  );
  lines.push('');
  lines.push(
    `Machine: ${r.machine.cpus} cores (${r.machine.model.trim()}), Node ${r.machine.node}; load average ${r.machine.loadavgStart.map((v) => v.toFixed(2)).join(' ')} at start` +
      (other.length ? `; other processes used up to ${Math.round(Math.max(...other))} % of a core during the steady phases` : '') +
      '. Latencies in ms (p50 / p95 / p99 / max), memory in MB.',
  );
  lines.push('');
  lines.push(
    '| target | visitor → operator | operator → visitor | ack p99 | delivered/acked | dup | connect fail | server CPU | RSS peak | heap after | KB per idle socket (RSS / heap) | msg/s at p99 ≤ 50 ms |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const t of r.targets) lines.push(row(t));
  lines.push('');

  const bare = r.targets.find((t) => t.kind === 'bare');
  const ratioLines: string[] = [];
  const checks: string[] = [];
  for (const db of ['pglite', 'postgres'] as const) {
    const ours = r.targets.find((t) => t.kind === 'sidedesk' && t.db === db);
    const persisted = r.targets.find((t) => t.kind === 'persisted' && t.db === db);
    if (!ours?.chat) continue;
    const o = ours.chat.steady.latency.all;
    ratioLines.push(
      `- **${db}**: p99 ${ratio(o.p99, bare?.chat?.steady.latency.all.p99)} the bare relay, ${ratio(o.p99, persisted?.chat?.steady.latency.all.p99)} the persisted relay; ` +
        `p50 ${ratio(o.p50, bare?.chat?.steady.latency.all.p50)} / ${ratio(o.p50, persisted?.chat?.steady.latency.all.p50)}; ` +
        `memory per idle socket ${ratio(ours.idle?.rssPerSocket, bare?.idle?.rssPerSocket)} the bare server (RSS), ${ratio(ours.idle?.heapPerSocket, bare?.idle?.heapPerSocket)} (heap); ` +
        `max committed msg/s ${ratio(ours.chat.ramp?.maxCommittedRate ?? undefined, persisted?.chat?.ramp?.maxCommittedRate ?? undefined)} the persisted relay.`,
    );
    const atTargetLoad = c.chats >= 5000 && c.rate >= 500;
    const loadNote = atTargetLoad ? '' : ` (measured at ${c.chats} chats / ${c.rate} msg/s; the target load is \`--chats 5000 --rate 500\`)`;
    const mark = (ok: boolean | null) => (ok === null ? '·' : ok ? '✅' : '❌');
    checks.push(`- ${mark(o.p99 <= 15)} ${db}: p99 ≤ 15 ms — ${ms(o.p99)} ms${loadNote}`);
    const pp99 = persisted?.chat?.steady.latency.all.p99;
    checks.push(`- ${mark(pp99 === undefined ? null : o.p99 <= 1.5 * pp99)} ${db}: p99 ≤ 1.5× the persisted relay — ${ratio(o.p99, pp99)}`);
    const need = db === 'postgres' ? 5000 : 3000;
    const got = ours.chat.ramp?.maxCommittedRate;
    checks.push(
      `- ${mark(got === undefined ? null : (got ?? 0) >= need)} ${db}: ≥ ${need} committed msg/s at p99 ≤ 50 ms — ${got ?? 'not reached at the first step'}`,
    );
    if (ours.idle && bare?.idle) {
      checks.push(
        `- ${mark(ours.idle.rssPerSocket <= 1.5 * bare.idle.rssPerSocket)} ${db}: memory per idle visitor socket ≤ 1.5× bare — ` +
          `${kb(ours.idle.rssPerSocket)} vs ${kb(bare.idle.rssPerSocket)} KB RSS at ${ours.idle.connected} sockets`,
      );
    }
  }
  if (ratioLines.length) lines.push('Ratios (ours ÷ baseline, same load, same run):', '', ...ratioLines, '');
  if (checks.length) lines.push('Targets of issue #3:', '', ...checks, '');

  const ramps = r.targets.filter((t) => t.chat?.ramp);
  if (ramps.length) {
    lines.push('Throughput ramp (target msg/s → committed msg/s, delivery p99 ms):', '');
    for (const t of ramps) {
      lines.push(`- ${t.name}: ${t.chat!.ramp!.steps.map((s) => `${s.targetRate}→${s.committedRate} (${ms(s.p99)}${s.pass ? '' : ' ✗'})`).join(', ')}`);
    }
    lines.push('');
  }
  const problems = r.targets.filter((t) => t.error || t.chat?.steady.missing || t.chat?.setupFailures.length);
  for (const t of problems) {
    if (t.error) lines.push(`- ${t.name}: error — ${t.error.split('\n')[0]}`);
    if (t.chat?.steady.missing) lines.push(`- ${t.name}: ${t.chat.steady.missing} acked messages not delivered within 5 s`);
    if (t.chat?.setupFailures.length) lines.push(`- ${t.name}: chat setup failures, e.g. ${t.chat.setupFailures[0]}`);
  }
  for (const s of r.skipped) lines.push(`- ${s}`);
  lines.push('');
  const args = c.quick
    ? '--quick'
    : [`--chats ${c.chats}`, `--rate ${c.rate}`, `--chats-per-account ${c.chatsPerAccount}`, `--idle ${c.idleVisitors}`, `--db ${c.dbs.join(',')}`].join(' ');
  lines.push(`Reproduce: \`npm run bench -- ${args}\` (${r.seconds} s).`);
  return lines.join('\n') + '\n';
}

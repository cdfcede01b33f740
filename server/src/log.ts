import { pino, type DestinationStream } from 'pino';
import type { LogLevel } from './config';

/** What the code logs through: a message, then errors or details (`log.error('Batch failed', err)`). */
export interface Logger {
  debug(msg: string, ...rest: unknown[]): void;
  info(msg: string, ...rest: unknown[]): void;
  warn(msg: string, ...rest: unknown[]): void;
  error(msg: string, ...rest: unknown[]): void;
}

/** The app's logger: also writes the pending "repeated N times" summaries when the app closes. */
export interface AppLogger extends Logger {
  flush(): void;
}

export interface LoggerOptions {
  /** Where the JSON lines go (tests capture them); stdout by default. */
  destination?: DestinationStream;
  /** Identical lines (same level, message, error class and code) within this window are counted, not written. */
  repeatWindowMs?: number;
}

// #4: a line stays small whatever it carries (a failed query once logged its 1 MB parameter).
const MAX_MESSAGE = 300;
const MAX_DETAIL = 200;
const MAX_STACK_FRAMES = 8;
const MAX_TRACKED = 500;

/** A database message or detail: cut first (it can be megabytes), then its long quotes. */
const dbText = (s: string, max: number) => cut(withoutLongQuotes(s.slice(0, max * 4)), max);

/** Cuts `s` to `max` UTF-16 units without splitting a surrogate pair, marking the cut. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const end = /[\uD800-\uDBFF]/.test(s[max - 1] ?? '') ? max - 1 : max;
  return `${s.slice(0, end)}… (${s.length} chars)`;
}

/**
 * A database message can quote the value it choked on (`invalid input syntax for type
 * integer: "…"`): quoted parts beyond a few words are cut.
 */
function withoutLongQuotes(message: string): string {
  return message.replace(/"([^"]{40})[^"]+("|$)/g, '"$1…$2');
}

/**
 * An error as a log field, from an allow-list: the class, the code (SQLSTATE, errno), a short
 * message, the stack frames and the cause. Never the query parameters: Drizzle's
 * DrizzleQueryError puts them in its message (`Failed query: … params: …`) and `params`;
 * node-postgres and PGlite errors carry `where` (with the parameter) and `query` (PGlite's
 * one-call statement has the JSON batch inline).
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error) && (typeof err !== 'object' || err === null || !('message' in err))) {
    return { type: typeof err, message: cut(String(err), MAX_MESSAGE) };
  }
  const e = err as Error & Record<string, unknown>;
  const ctorName = e.constructor?.name;
  const type = ctorName && ctorName !== 'Error' && ctorName !== 'Object' ? ctorName : typeof e.name === 'string' ? e.name : 'Error';
  // DrizzleQueryError: `Failed query: <sql>\nparams: <every parameter>`.
  const message = String(e.message ?? '').replace(/\nparams: [\s\S]*$/, '');
  // A PostgreSQL error (node-postgres, PGlite) may quote the value it choked on.
  const fromDatabase = typeof e.severity === 'string';
  const text = (s: string, max: number) => (fromDatabase ? dbText(s, max) : cut(s, max));
  const out: Record<string, unknown> = { type, message: text(message, MAX_MESSAGE) };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  for (const field of ['severity', 'constraint', 'table', 'column', 'routine', 'detail', 'hint'] as const) {
    const value = e[field];
    if (typeof value === 'string' && value) out[field] = text(value, MAX_DETAIL);
  }
  // Frames only: the stack's first lines repeat the message, parameters included.
  if (depth === 0 && typeof e.stack === 'string') {
    const frames = e.stack.split('\n').filter((line) => /^\s+at /.test(line));
    if (frames.length) out.stack = frames.slice(0, MAX_STACK_FRAMES).map((f) => cut(f.trim(), MAX_DETAIL));
  }
  if (e.cause !== undefined && depth < 2) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/** Anything else passed to a log call, bounded in depth, keys and length. */
function bounded(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cut(value, MAX_MESSAGE);
  if (value === null || typeof value !== 'object')
    return typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
  if (value instanceof Error) return serializeError(value);
  if (depth >= 2) return Array.isArray(value) ? `[array of ${value.length}]` : '[object]';
  if (Array.isArray(value)) return value.slice(0, 10).map((v) => bounded(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .slice(0, 20)
      .map(([k, v]) => [cut(k, 64), bounded(v, depth + 1)]),
  );
}

const isErrorLike = (item: unknown): item is Error & Record<string, unknown> =>
  item instanceof Error || (typeof item === 'object' && item !== null && 'message' in item && 'stack' in item);

function fieldsOf(rest: unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const details: unknown[] = [];
  for (const item of rest.slice(0, 5)) {
    if (!fields.err && isErrorLike(item)) fields.err = serializeError(item);
    else details.push(bounded(item));
  }
  if (details.length) fields.details = details;
  return fields;
}

/** Lines alike but for numbers ("batch of 37 failed") and parameters share a key. */
function repeatKey(level: Level, msg: string, rest: unknown[]): string {
  const err = rest.find(isErrorLike);
  const parts = [level, msg, err?.constructor?.name, err?.code, String(err?.message ?? '').slice(0, 200)];
  return parts.map((p) => String(p ?? '').replace(/\d+/g, '#')).join('\u0000');
}

type Level = Exclude<LogLevel, 'silent'>;

interface Repeat {
  level: Level;
  msg: string;
  err: Record<string, unknown> | undefined;
  windowEnds: number;
  suppressed: number;
}

let stdout: DestinationStream | undefined;

/**
 * Structured JSON lines (pino): every field is JSON-escaped, so visitor text with newlines or
 * terminal escapes cannot forge or colour a line (#4). Errors go through {@link serializeError}.
 * The same line repeated within `repeatWindowMs` is written once, then summarised as
 * "repeated N times" when the window ends: a flood of one failure is a handful of lines.
 */
export function createLogger(level: LogLevel, options: LoggerOptions = {}): AppLogger {
  // One stdout stream per process (tests start many apps); pino flushes it on exit.
  const destination = options.destination ?? (stdout ??= pino.destination(1));
  const base = pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // `err` is already serialised (serializeError); pino's own serializer would copy every field.
      serializers: { err: (err: unknown) => err },
    },
    destination,
  );
  const windowMs = options.repeatWindowMs ?? 60_000;
  const repeats = new Map<string, Repeat>();
  let timer: NodeJS.Timeout | undefined;

  const summarise = (r: Repeat) => {
    if (r.suppressed === 0) return;
    const fields = r.err ? { err: { type: r.err.type, code: r.err.code, message: r.err.message } } : {};
    base[r.level]({ ...fields, repeated: r.suppressed, windowMs }, `${r.msg} (repeated ${r.suppressed} times)`);
  };
  const sweep = (all: boolean) => {
    const now = Date.now();
    for (const [key, r] of repeats) {
      if (!all && r.windowEnds > now) continue;
      summarise(r);
      repeats.delete(key);
    }
    timer = undefined;
    if (repeats.size && !all) schedule();
  };
  const schedule = () => {
    if (timer) return;
    const next = Math.min(...[...repeats.values()].map((r) => r.windowEnds));
    timer = setTimeout(() => sweep(false), Math.max(0, next - Date.now()));
    timer.unref();
  };

  const write =
    (lvl: Level) =>
    (msg: string, ...rest: unknown[]) => {
      if (!base.isLevelEnabled(lvl)) return;
      const key = repeatKey(lvl, msg, rest);
      const seen = repeats.get(key);
      if (seen && seen.windowEnds > Date.now()) {
        seen.suppressed++;
        return;
      }
      if (seen) {
        summarise(seen);
        repeats.delete(key);
      }
      const fields = fieldsOf(rest);
      const err = fields.err as Record<string, unknown> | undefined;
      if (repeats.size < MAX_TRACKED) {
        repeats.set(key, { level: lvl, msg: cut(msg, MAX_MESSAGE), err, windowEnds: Date.now() + windowMs, suppressed: 0 });
        schedule();
      }
      base[lvl](fields, cut(msg, 1000));
    };

  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    flush: () => {
      if (timer) clearTimeout(timer);
      sweep(true);
    },
  };
}

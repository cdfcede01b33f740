import type { LoggerOptions } from '../../server/src/log';

/** A log destination in memory: pass `options` as AppOptions.log and read what the server logged. */
export function logCapture(options: Omit<LoggerOptions, 'destination'> = {}) {
  let raw = '';
  const records = () =>
    raw
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown> & { level: string; msg: string });
  return {
    options: { ...options, destination: { write: (chunk: string) => void (raw += chunk) } } satisfies LoggerOptions,
    raw: () => raw,
    records,
    errors: () => records().filter((r) => r.level === 'error'),
  };
}

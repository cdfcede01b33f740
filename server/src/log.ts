import type { LogLevel } from './config';

export interface Logger {
  debug(msg: string, ...rest: unknown[]): void;
  info(msg: string, ...rest: unknown[]): void;
  warn(msg: string, ...rest: unknown[]): void;
  error(msg: string, ...rest: unknown[]): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** A console logger that drops lines below `level`. */
export function createLogger(level: LogLevel): Logger {
  const on = (l: LogLevel) => ORDER[l] >= ORDER[level];
  return {
    debug: (m, ...r) => on('debug') && console.debug(`[debug] ${m}`, ...r),
    info: (m, ...r) => on('info') && console.info(m, ...r),
    warn: (m, ...r) => on('warn') && console.warn(`[warn] ${m}`, ...r),
    error: (m, ...r) => on('error') && console.error(`[error] ${m}`, ...r),
  };
}

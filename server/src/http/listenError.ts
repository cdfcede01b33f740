import type { Config } from '../config';

/**
 * Why the server could not listen, in one line a person can act on (#5), instead of Node's stack
 * trace; null for an error that isn't about the address (shown as it is).
 */
export function listenErrorMessage(err: unknown, config: Pick<Config, 'port' | 'host'>): string | null {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const { port, host } = config;
  if (code === 'EADDRINUSE')
    return `Port ${port} is in use — stop the other server or set PORT to a free port (PORT=${port === 3000 ? 3001 : 3000} npm start).`;
  if (code === 'EACCES') return `Port ${port} needs administrator rights on this system — set PORT to a port above 1023 (PORT=3000 npm start).`;
  if (code === 'EADDRNOTAVAIL') return `HOST=${host ?? ''} is not an address of this machine — leave HOST unset to listen on all interfaces.`;
  return null;
}

/**
 * Per-account persistence in the page's localStorage (`sidedesk:<accountId>:<name>`).
 * Storage can be unavailable (privacy modes, blocked third-party data): then values live in
 * memory for this page only, and the widget still works.
 */
export interface Store {
  get<T>(name: string, fallback: T): T;
  set(name: string, value: unknown): void;
  remove(name: string): void;
}

export function createStore(accountId: string, storage: Storage | null = safeLocalStorage()): Store {
  const memory = new Map<string, string>();
  const key = (name: string) => `sidedesk:${accountId}:${name}`;
  const read = (k: string): string | null => {
    try {
      return storage ? storage.getItem(k) : (memory.get(k) ?? null);
    } catch {
      return memory.get(k) ?? null;
    }
  };
  return {
    get(name, fallback) {
      const raw = read(key(name));
      if (raw == null) return fallback;
      try {
        return JSON.parse(raw);
      } catch {
        return fallback;
      }
    },
    set(name, value) {
      const raw = JSON.stringify(value);
      memory.set(key(name), raw);
      try {
        storage?.setItem(key(name), raw);
      } catch {
        /* quota or blocked: the memory copy still serves this page */
      }
    },
    remove(name) {
      memory.delete(key(name));
      try {
        storage?.removeItem(key(name));
      } catch {
        /* ignore */
      }
    },
  };
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

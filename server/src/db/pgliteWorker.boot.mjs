// Entry of the database thread (pgliteWorker.ts). A worker thread starts without its parent's
// module loaders, so it registers tsx itself, then runs the TypeScript thread code.
import { register } from 'tsx/esm/api';

register();
await import('./pgliteWorker.thread.ts');

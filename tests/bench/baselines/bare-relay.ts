/** Baseline (a): a bare Socket.IO relay, no database, no auth. `PORT` from the environment. */
import { startRelay } from './relay';

await startRelay('bare-relay', null);

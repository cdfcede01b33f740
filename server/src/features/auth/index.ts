/** Operator sign-in (A5): argon2id passwords, hashed revocable tokens; the /operator handshake is in handlers.ts. */
import { defineFeature } from '../feature';
import { authRoutes } from './routes';

export const auth = defineFeature({ name: 'auth', routes: authRoutes });

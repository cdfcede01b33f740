import { z } from 'zod';
import { text } from './common';
import { allowedOrigins } from './accounts';

export const ROLES = ['admin', 'supervisor', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export const email = text().pipe(z.email().max(254)).transform((s) => s.toLowerCase());
export const password = text().min(8, 'at least 8 characters').max(200);

/** POST /api/setup — first run only: creates the account and its first admin. */
export const setupBody = z.object({
  account: text().trim().min(1).max(120),
  name: text().trim().min(1).max(120).optional(),
  email,
  password,
  /** The websites the widget will run on (#4); more can be added later in the extension's options. */
  allowedOrigins: allowedOrigins.optional(),
});
export type SetupBody = z.infer<typeof setupBody>;

/** POST /api/auth/login */
export const loginBody = z.object({ email, password: text().min(1).max(200) });
export type LoginBody = z.infer<typeof loginBody>;

export interface OperatorView {
  id: string;
  accountId: string;
  email: string;
  name: string;
  role: Role;
}

export interface AccountView {
  id: string;
  name: string;
}

/** Answer of login and of GET /api/auth/me (without the token). */
export interface LoginResult {
  /** Opaque bearer token; the server stores only its hash. Send as `Authorization: Bearer …` and as socket auth. */
  token: string;
  operator: OperatorView;
  account: AccountView;
}

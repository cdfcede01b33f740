import { z } from 'zod';
import { atMost, text } from './common';
import { allowedOrigins } from './accounts';

export const ROLES = ['admin', 'supervisor', 'operator'] as const;
export type Role = (typeof ROLES)[number];

// #5: every message here is shown beside its field (the setup page, the panel's sign-in): it says what to do.
const ENTER_EMAIL = 'Enter a valid email';
export const email = text(ENTER_EMAIL)
  .trim()
  .pipe(z.email(ENTER_EMAIL).max(254, atMost(254)))
  .transform((s) => s.toLowerCase());
export const password = text('Enter a password').min(1, { error: 'Enter a password', abort: true }).min(8, 'At least 8 characters').max(200, atMost(200));

/** POST /api/setup — first run only: creates the account and its first admin. */
export const setupBody = z.object({
  account: text('Enter your company name').trim().min(1, 'Enter your company name').max(120, atMost(120)),
  name: text('Enter your name, or leave it out').trim().min(1, 'Enter your name, or leave it out').max(120, atMost(120)).optional(),
  email,
  password,
  /** The websites the widget will run on (#4); more can be added later in the extension's options. */
  allowedOrigins: allowedOrigins.optional(),
});
export type SetupBody = z.infer<typeof setupBody>;

/** POST /api/auth/login */
export const loginBody = z.object({ email, password: text('Enter your password').min(1, 'Enter your password').max(200, atMost(200)) });
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

import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { text } from '../../../../shared/schemas/common';
import type { AppContext } from '../../context';
import { route } from '../../http/errors';
import { htmlPageHeaders } from '../../http/headers';
import { validate } from '../../validate';
import { LINK_TOKEN, type LinkProblem } from './links';
import { publicBaseUrl } from './mails';
import { invitationAcceptedPage, invitationPage, linkProblemPage, passwordChangedPage, passwordResetPage, type FieldErrors } from './pages';
import { passwordResetByToken, resetPassword } from './passwordResets';
import { acceptInvitation, invitationByToken } from './service';

const newPassword = z
  .object({ password: text().min(8, 'Use at least 8 characters.').max(200, 'Use at most 200 characters.'), passwordAgain: text() })
  .refine((f) => f.password === f.passwordAgain, { path: ['passwordAgain'], message: 'The two passwords are not the same.' });
const acceptForm = z.object({ name: text().trim().min(1, 'Enter your name.').max(120) }).and(newPassword);

/** #4: a url-encoded field sent twice (`name=a&name=b`) arrives as an array: refused, like /setup does. */
const formFields = z.record(z.string(), z.string({ error: 'Send this field only once' }));

function html(res: Response, status: number, body: string): void {
  // The page's form carries the link's token: keep it out of every cache.
  res.status(status).set('Cache-Control', 'no-store').type('html').send(body);
}

/** The form's fields, or the errors to show beside them (keyed by field; `form` for the whole form). */
function readForm<S extends z.ZodType>(schema: S, body: unknown): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  try {
    validate(formFields, body ?? {});
    return { ok: true, data: validate(schema, body ?? {}) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const errors: FieldErrors = {};
    for (const issue of err.issues ?? []) errors[issue.path.split('.')[0] || 'form'] ??= issue.message;
    if (!err.issues?.length) errors.form = err.message;
    return { ok: false, errors };
  }
}

type Closed = { ok: false; problem: LinkProblem };

/** The link of the URL's `:token`, looked up (a token of the wrong shape is not worth a query). */
async function openLink<T extends { ok: true }>(params: unknown, lookup: (token: string) => Promise<T | Closed>): Promise<(T & { token: string }) | Closed> {
  const token = (params as { token?: unknown }).token;
  if (typeof token !== 'string' || !LINK_TOKEN.test(token)) return { ok: false, problem: 'unknown' };
  const found = await lookup(token);
  return found.ok ? { ...found, token } : found;
}

const problemPage = (res: Response, kind: 'invitation' | 'reset', problem: LinkProblem) =>
  html(res, problem === 'unknown' ? 404 : 410, linkProblemPage(kind, problem));

/** GET and POST /invite/:token: the invitation mail's link; the form creates the operator. */
function invitationPageRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get(
    '/:token',
    route(async (req, res) => {
      const link = await openLink(req.params, (token) => invitationByToken(ctx.db, token));
      if (!link.ok) return problemPage(res, 'invitation', link.problem);
      const {
        token,
        link: { invitation, accountName },
      } = link;
      html(res, 200, invitationPage({ token, accountName, email: invitation.email, role: invitation.role, name: invitation.name ?? '' }));
    }),
  );
  router.post(
    '/:token',
    express.urlencoded({ extended: false, limit: '10kb' }),
    route(async (req, res) => {
      const link = await openLink(req.params, (token) => invitationByToken(ctx.db, token));
      if (!link.ok) return problemPage(res, 'invitation', link.problem);
      const {
        token,
        link: { invitation, accountName },
      } = link;
      const typedName = typeof req.body?.name === 'string' ? (req.body.name as string) : '';
      const again = (errors: FieldErrors, status: number) =>
        html(res, status, invitationPage({ token, accountName, email: invitation.email, role: invitation.role, name: typedName, errors }));

      const form = readForm(acceptForm, req.body);
      if (!form.ok) return again(form.errors, 400);
      const accepted = await acceptInvitation(ctx, token, { name: form.data.name, password: form.data.password });
      if (accepted.ok)
        return html(
          res,
          201,
          invitationAcceptedPage({ accountName: accepted.accountName, email: accepted.operator.email, serverUrl: publicBaseUrl(ctx.config) }),
        );
      if (accepted.problem === 'email_taken') {
        return again(
          { form: `Someone already signs in to Sidedesk as ${invitation.email}. Sign in with that account, or ask your admin to invite another address.` },
          409,
        );
      }
      problemPage(res, 'invitation', accepted.problem);
    }),
  );
  return router;
}

/** GET and POST /reset-password/:token: the reset mail's link; the form sets the new password. */
function passwordResetPageRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get(
    '/:token',
    route(async (req, res) => {
      const link = await openLink(req.params, (token) => passwordResetByToken(ctx.db, token));
      if (!link.ok) return problemPage(res, 'reset', link.problem);
      html(res, 200, passwordResetPage({ token: link.token, email: link.operator.email }));
    }),
  );
  router.post(
    '/:token',
    express.urlencoded({ extended: false, limit: '10kb' }),
    route(async (req, res) => {
      const link = await openLink(req.params, (token) => passwordResetByToken(ctx.db, token));
      if (!link.ok) return problemPage(res, 'reset', link.problem);
      const form = readForm(newPassword, req.body);
      if (!form.ok) return html(res, 400, passwordResetPage({ token: link.token, email: link.operator.email, errors: form.errors }));
      const done = await resetPassword(ctx, link.token, form.data.password);
      if (!done.ok) return problemPage(res, 'reset', done.problem);
      html(res, 200, passwordChangedPage({ email: done.operator.email, serverUrl: publicBaseUrl(ctx.config) }));
    }),
  );
  return router;
}

/** The pages team mails link to, with the CSP of the server's own pages (no scripts). */
export function teamPageRoutes(ctx: AppContext): Router {
  return Router().use('/invite', htmlPageHeaders, invitationPageRoutes(ctx)).use('/reset-password', htmlPageHeaders, passwordResetPageRoutes(ctx));
}

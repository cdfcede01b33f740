import { z } from 'zod';
import { email } from '../../../../shared/schemas/auth';
import { defineJob } from '../../jobs/define';
import { issuePasswordResetForEmail } from './passwordResets';

/**
 * `team.passwordReset` (A5, #5): "Forgot password?" stores only this job, so the request costs the
 * same, and answers the same, whether or not the email has an account; the lookup, the link and
 * its mail happen here, after the answer.
 */
export const passwordResetRequestJob = defineJob({
  kind: 'team.passwordReset',
  payload: z.object({ email }),
  handler: (ctx, { email }, job) => issuePasswordResetForEmail(ctx, email, job.id),
});

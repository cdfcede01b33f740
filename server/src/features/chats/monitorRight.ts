/**
 * W4: the right to monitor chats that are not one's own (the monitor list, watching a chat) and
 * to whisper into them (W1). Supervisors and admins have it; operators when their account allows
 * it (`operators_may_monitor`, read through the accounts cache: another node sees a change within
 * its TTL). The rule itself is shared/policies.ts `mayMonitor`, which the panel asks too.
 */
import { mayMonitor } from '../../../../shared/policies';
import { AppError } from '../../../../shared/errors';
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';

export async function mayMonitorChats(ctx: AppContext, actor: OperatorActor): Promise<boolean> {
  if (mayMonitor(actor.role, false)) return true;
  const account = await ctx.accounts.get(actor.accountId);
  return mayMonitor(actor.role, account?.operatorsMayMonitor ?? false);
}

/** Throws `forbidden` unless the operator may monitor chats that are not theirs. */
export async function requireMonitorRight(ctx: AppContext, actor: OperatorActor): Promise<void> {
  if (!(await mayMonitorChats(ctx, actor))) throw new AppError('forbidden', 'Only supervisors and admins can monitor chats that are not yours.');
}

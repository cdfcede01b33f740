import { api } from './api';
import { roleReaches } from './contract';
import { operatorCommands as chatCommands } from './events/chats';
import type { Role } from './schemas/auth';

/**
 * What the panel asks before it offers an action: may this role do it? The answer comes from the
 * REST contract's minimum role (#5), the same one the server checks at its edge, so the two can't
 * disagree; the panel only hides what the server would refuse.
 */
const MINIMUM = {
  /** Change the account's settings (the websites the widget may run on). */
  'account:update': api.accounts.updateSettings.role,
  /** Delete a visitor and everything of theirs ("forget this visitor"). */
  'visitor:forget': api.visitors.forget.role,
  /** Edit the automatic invitation rules (P4). */
  'invitations:rules': api.visitors.listRules.role,
  /** See the team, invite, change roles, disable and enable operators, send password resets (A5). */
  'team:manage': api.team.list.role,
  /** Create, change and delete the account's canned responses (P10); every operator has their own besides. */
  'canned:manage': api.canned.list.role,
  /** Departments, routing settings and operators' limits (A1, #6). */
  'routing:manage': api.routing.createDepartment.role,
  /** W4: take over a colleague's chat (it becomes yours at once). */
  'chat:takeover': chatCommands['chat:takeover'].role,
} as const;

export type Action = keyof typeof MINIMUM;

export function can(role: Role, action: Action): boolean {
  return roleReaches(role, MINIMUM[action]);
}

/**
 * W4: may this operator monitor chats that are not theirs (the monitor list, watching one) and
 * whisper into them (W1)? Supervisors and admins always; operators when the account allows it
 * (the Account settings' "operators may monitor"). Taking over stays supervisors' ({@link can}).
 */
export function mayMonitor(role: Role, operatorsMayMonitor: boolean): boolean {
  return roleReaches(role, 'supervisor') || operatorsMayMonitor;
}

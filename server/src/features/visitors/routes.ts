import { api } from '../../../../shared/api';
import type { AppContext } from '../../context';
import { restRoutes } from '../../http/rest';
import { createInvitationRule, deleteInvitationRule, listInvitationRules, updateInvitationRule } from './invitations';
import { forgetVisitor } from './service';

/**
 * DELETE /api/visitors/:visitorId — "forget this visitor" (admins; 404 for another account's visitor, #4);
 * /api/invitation-rules — the automatic invitation rules (admins, P4).
 */
export function visitorRoutes(ctx: AppContext) {
  return restRoutes(ctx, api.visitors, {
    forget: (ctx, { actor, input }) => forgetVisitor(ctx, actor, input.params),
    listRules: (ctx, { actor }) => listInvitationRules(ctx, actor),
    createRule: async (ctx, { actor, input, res }) => {
      const created = await createInvitationRule(ctx, actor, input.body);
      res.status(201);
      return created;
    },
    updateRule: (ctx, { actor, input }) => updateInvitationRule(ctx, actor, input.params.ruleId, input.body),
    deleteRule: (ctx, { actor, input }) => deleteInvitationRule(ctx, actor, input.params.ruleId),
  });
}

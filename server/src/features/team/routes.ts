import { api } from '../../../../shared/api';
import type { AppContext } from '../../context';
import { restRoutes } from '../../http/rest';
import { addressKey } from '../../limits/address';
import { invite, listTeam, requestPasswordReset, resendInvitation, revokeInvitation, sendPasswordResetTo, updateMember } from './service';

/** The team's REST routes (shared/api/team.ts): admins only, except "Forgot password?". */
export function teamRoutes(ctx: AppContext) {
  return restRoutes(ctx, api.team, {
    list: (ctx, { actor }) => listTeam(ctx, actor),
    invite: async (ctx, { actor, input, res }) => {
      const created = await invite(ctx, actor, input.body);
      res.status(201);
      return created;
    },
    resendInvitation: (ctx, { actor, input }) => resendInvitation(ctx, actor, input.params.invitationId),
    revokeInvitation: (ctx, { actor, input }) => revokeInvitation(ctx, actor, input.params.invitationId),
    updateMember: (ctx, { actor, input }) => updateMember(ctx, actor, input.params.operatorId, input.body),
    sendPasswordReset: async (ctx, { actor, input, res }) => {
      const queued = await sendPasswordResetTo(ctx, actor, input.params.operatorId);
      res.status(202);
      return queued;
    },
    requestPasswordReset: async (ctx, { input, req, res }) => {
      const accepted = await requestPasswordReset(ctx, input.body.email, addressKey(req.ip));
      res.status(202);
      return accepted;
    },
  });
}

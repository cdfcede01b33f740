/** Visitors (REST): "forget this visitor" (#4) and the automatic invitation rules (P4, admins). */
import { z } from 'zod';
import { returns, type RouteMap } from '../contract';
import { uuid } from '../schemas/common';
import { invitationRuleInput, invitationRulePatch, type InvitationRuleView } from '../schemas/visitors';

const ruleParams = z.object({ ruleId: uuid });

export const visitorRoutes = {
  /** Deletes the visitor with their conversations and page views; their widgets are disconnected. */
  forget: { method: 'DELETE', path: '/api/visitors/:visitorId', role: 'admin', params: z.object({ visitorId: uuid }), result: returns<null>() },
  /** P4: the account's automatic invitation rules, oldest first (the first that holds invites). */
  listRules: { method: 'GET', path: '/api/invitation-rules', role: 'admin', result: returns<InvitationRuleView[]>() },
  createRule: { method: 'POST', path: '/api/invitation-rules', role: 'admin', body: invitationRuleInput, result: returns<InvitationRuleView>() },
  /** Changes the fields given (`{ enabled: false }` turns it off). */
  updateRule: {
    method: 'PATCH',
    path: '/api/invitation-rules/:ruleId',
    role: 'admin',
    params: ruleParams,
    body: invitationRulePatch,
    result: returns<InvitationRuleView>(),
  },
  deleteRule: { method: 'DELETE', path: '/api/invitation-rules/:ruleId', role: 'admin', params: ruleParams, result: returns<null>() },
} satisfies RouteMap;

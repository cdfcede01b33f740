import { api } from '@@/shared/api';
import { apiClient, type ApiFailure } from '@@/shared/api/client';
import type { AccountSettingsPatch } from '@@/shared/schemas/accounts';
import type { CannedCreateBody, CannedPatch } from '@@/shared/schemas/canned';
import type { InviteBody, MemberPatch } from '@@/shared/schemas/team';
import type { DepartmentPatch, OperatorRoutingPatch, RoutingSettingsPatch } from '@@/shared/schemas/routing';
import type { InvitationRuleInput, InvitationRulePatch } from '@@/shared/schemas/visitors';
import { strings } from '@/strings';

export type { ApiFailure } from '@@/shared/api/client';

/** The REST API through the one typed client (shared/api/client.ts), paths from the contract. */
const call = (serverUrl: string) => apiClient(serverUrl);

/** Sign-in, sign-out and who am I (shared/api/auth.ts). */
export const authApi = {
  login: (serverUrl: string, email: string, password: string) => call(serverUrl)(api.auth.login, { body: { email, password } }),
  logout: (serverUrl: string, token: string) => call(serverUrl)(api.auth.logout, {}, token),
  me: (serverUrl: string, token: string) => call(serverUrl)(api.auth.me, {}, token),
};

/** The account's settings (#4): GET for any operator, PATCH for admins. */
export const accountApi = {
  settings: (serverUrl: string, token: string) => call(serverUrl)(api.accounts.getSettings, {}, token),
  updateSettings: (serverUrl: string, token: string, patch: AccountSettingsPatch) => call(serverUrl)(api.accounts.updateSettings, { body: patch }, token),
};

/** "Forget this visitor" (#4, admins): deletes the visitor and everything of theirs; the automatic invitation rules (P4, admins). */
export const visitorsApi = {
  forget: (serverUrl: string, token: string, visitorId: string) => call(serverUrl)(api.visitors.forget, { params: { visitorId } }, token),
  listRules: (serverUrl: string, token: string) => call(serverUrl)(api.visitors.listRules, {}, token),
  createRule: (serverUrl: string, token: string, body: InvitationRuleInput) => call(serverUrl)(api.visitors.createRule, { body }, token),
  updateRule: (serverUrl: string, token: string, ruleId: string, body: InvitationRulePatch) =>
    call(serverUrl)(api.visitors.updateRule, { params: { ruleId }, body }, token),
  deleteRule: (serverUrl: string, token: string, ruleId: string) => call(serverUrl)(api.visitors.deleteRule, { params: { ruleId } }, token),
};

/** The team (A5, admins): operators, invitations, password resets; and "Forgot password?" (anyone). */
export const teamApi = {
  list: (serverUrl: string, token: string) => call(serverUrl)(api.team.list, {}, token),
  invite: (serverUrl: string, token: string, body: InviteBody) => call(serverUrl)(api.team.invite, { body }, token),
  resendInvitation: (serverUrl: string, token: string, invitationId: string) => call(serverUrl)(api.team.resendInvitation, { params: { invitationId } }, token),
  revokeInvitation: (serverUrl: string, token: string, invitationId: string) => call(serverUrl)(api.team.revokeInvitation, { params: { invitationId } }, token),
  updateMember: (serverUrl: string, token: string, operatorId: string, patch: MemberPatch) =>
    call(serverUrl)(api.team.updateMember, { params: { operatorId }, body: patch }, token),
  sendPasswordReset: (serverUrl: string, token: string, operatorId: string) => call(serverUrl)(api.team.sendPasswordReset, { params: { operatorId } }, token),
  requestPasswordReset: (serverUrl: string, email: string) => call(serverUrl)(api.team.requestPasswordReset, { body: { email } }),
};

/** The account's canned responses (P10, admins). */
export const cannedApi = {
  list: (serverUrl: string, token: string) => call(serverUrl)(api.canned.list, {}, token),
  create: (serverUrl: string, token: string, body: CannedCreateBody) => call(serverUrl)(api.canned.create, { body }, token),
  update: (serverUrl: string, token: string, cannedId: string, patch: CannedPatch) =>
    call(serverUrl)(api.canned.update, { params: { cannedId }, body: patch }, token),
  remove: (serverUrl: string, token: string, cannedId: string) => call(serverUrl)(api.canned.remove, { params: { cannedId } }, token),
};

/** Departments, routing settings and limits (A1, #6): operators read, admins change. */
export const routingApi = {
  departments: (serverUrl: string, token: string) => call(serverUrl)(api.routing.listDepartments, {}, token),
  createDepartment: (serverUrl: string, token: string, name: string) => call(serverUrl)(api.routing.createDepartment, { body: { name } }, token),
  updateDepartment: (serverUrl: string, token: string, departmentId: string, patch: DepartmentPatch) =>
    call(serverUrl)(api.routing.updateDepartment, { params: { departmentId }, body: patch }, token),
  deleteDepartment: (serverUrl: string, token: string, departmentId: string) =>
    call(serverUrl)(api.routing.deleteDepartment, { params: { departmentId } }, token),
  settings: (serverUrl: string, token: string) => call(serverUrl)(api.routing.getSettings, {}, token),
  updateSettings: (serverUrl: string, token: string, patch: RoutingSettingsPatch) => call(serverUrl)(api.routing.updateSettings, { body: patch }, token),
  operators: (serverUrl: string, token: string) => call(serverUrl)(api.routing.listOperators, {}, token),
  updateOperator: (serverUrl: string, token: string, operatorId: string, patch: OperatorRoutingPatch) =>
    call(serverUrl)(api.routing.updateOperator, { params: { operatorId }, body: patch }, token),
  updateMe: (serverUrl: string, token: string, autoAwayMinutes: number | null) => call(serverUrl)(api.routing.updateMe, { body: { autoAwayMinutes } }, token),
};

/** A failed REST call in words for the operator (the login screen has its own, finer wording). */
export function failureText(failure: ApiFailure, serverUrl: string): string {
  if (failure.kind === 'unreachable') return strings.auth.unreachable(serverUrl);
  if (failure.status === 401) return strings.auth.sessionEnded;
  if (failure.error.code === 'validation_failed' && failure.error.issues?.length) return failure.error.issues.map((i) => i.message).join(' ');
  return failure.error.message;
}

/**
 * Team domain (A5, #5): the account's operators and open invitations as the options page's Team
 * page shows them, and the admin's actions on them through the typed REST client. Each action
 * updates the list from the server's answer and leaves one line for the page to announce.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Role } from '@@/shared/schemas/auth';
import type { InvitationView, InviteBody, OperatorStatus, TeamMemberView } from '@@/shared/schemas/team';
import { failureText, teamApi, type ApiFailure } from '@/utils/api';
import type { Session } from '@/utils/session';
import { strings } from '@/strings';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

/** What the page announces after an action: `done` politely, `failed` as an alert. */
export interface TeamNotice {
  kind: 'done' | 'failed';
  text: string;
}

/** The invite form's outcome: the field a refusal belongs to, so it is shown beside it. */
export type InviteOutcome = { ok: true } | { ok: false; field: 'email' | 'name' | 'role' | 'form'; message: string };

export const useTeamStore = defineStore('team', () => {
  const state = ref<LoadState>('idle');
  const loadError = ref<string | null>(null);
  const members = ref<TeamMemberView[]>([]);
  const invitations = ref<InvitationView[]>([]);
  /** Ids of operators and invitations with a request in flight (their buttons wait). */
  const busy = ref(new Set<string>());
  const notice = ref<TeamNotice | null>(null);

  async function load(session: Session) {
    state.value = 'loading';
    loadError.value = null;
    const res = await teamApi.list(session.serverUrl, session.token);
    if (!res.ok) {
      loadError.value = failureText(res.failure, session.serverUrl);
      state.value = 'error';
      return;
    }
    members.value = res.data.members;
    invitations.value = res.data.invitations;
    state.value = 'ready';
  }

  /** Runs one action on `id`: its buttons wait meanwhile; a failure becomes the notice. */
  async function act<T>(
    session: Session,
    id: string,
    run: () => Promise<{ ok: true; data: T } | { ok: false; failure: ApiFailure }>,
    done: (data: T) => string,
  ): Promise<boolean> {
    if (busy.value.has(id)) return false;
    busy.value = new Set(busy.value).add(id);
    notice.value = null;
    try {
      const res = await run();
      if (!res.ok) {
        notice.value = { kind: 'failed', text: strings.team.failed(failureText(res.failure, session.serverUrl)) };
        return false;
      }
      notice.value = { kind: 'done', text: done(res.data) };
      return true;
    } finally {
      const next = new Set(busy.value);
      next.delete(id);
      busy.value = next;
    }
  }

  function replaceMember(member: TeamMemberView) {
    members.value = members.value.map((m) => (m.id === member.id ? member : m));
  }

  function replaceInvitation(invitation: InvitationView) {
    invitations.value = [invitation, ...invitations.value.filter((i) => i.id !== invitation.id)];
  }

  async function invite(session: Session, body: InviteBody): Promise<InviteOutcome> {
    notice.value = null;
    const res = await teamApi.invite(session.serverUrl, session.token, body);
    if (!res.ok) {
      const f = res.failure;
      const issue = f.kind === 'server' ? f.error.issues?.[0] : undefined;
      const field =
        issue && ['email', 'name', 'role'].includes(issue.path)
          ? (issue.path as 'email' | 'name' | 'role')
          : f.kind === 'server' && f.error.code === 'conflict'
            ? 'email'
            : 'form';
      return { ok: false, field, message: issue?.message ?? failureText(f, session.serverUrl) };
    }
    replaceInvitation(res.data);
    notice.value = { kind: 'done', text: strings.team.done.invited(res.data.email) };
    return { ok: true };
  }

  const resend = (session: Session, invitation: InvitationView) =>
    act(
      session,
      invitation.id,
      () => teamApi.resendInvitation(session.serverUrl, session.token, invitation.id),
      (fresh) => {
        replaceInvitation(fresh);
        return strings.team.done.resent(fresh.email);
      },
    );

  const revoke = (session: Session, invitation: InvitationView) =>
    act(
      session,
      invitation.id,
      () => teamApi.revokeInvitation(session.serverUrl, session.token, invitation.id),
      () => {
        invitations.value = invitations.value.filter((i) => i.id !== invitation.id);
        return strings.team.done.revoked(invitation.email);
      },
    );

  const setRole = (session: Session, member: TeamMemberView, role: Role) =>
    act(
      session,
      member.id,
      () => teamApi.updateMember(session.serverUrl, session.token, member.id, { role }),
      (updated) => {
        replaceMember(updated);
        return strings.team.done.role(updated.name, updated.role);
      },
    );

  const setStatus = (session: Session, member: TeamMemberView, status: OperatorStatus) =>
    act(
      session,
      member.id,
      () => teamApi.updateMember(session.serverUrl, session.token, member.id, { status }),
      (updated) => {
        replaceMember(updated);
        return updated.status === 'disabled' ? strings.team.done.disabled(updated.name) : strings.team.done.enabled(updated.name);
      },
    );

  const sendReset = (session: Session, member: TeamMemberView) =>
    act(
      session,
      member.id,
      () => teamApi.sendPasswordReset(session.serverUrl, session.token, member.id),
      () => strings.team.done.reset(member.email),
    );

  return { state, loadError, members, invitations, busy, notice, load, invite, resend, revoke, setRole, setStatus, sendReset };
});

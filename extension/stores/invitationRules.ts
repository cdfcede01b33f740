/**
 * Automatic invitation rules (P4), as the options page edits them (admins). Each rule is saved on
 * its own; the server checks every field with the same schema the form is checked with.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { InvitationRuleInput, InvitationRulePatch, InvitationRuleView } from '@@/shared/schemas/visitors';
import { failureText, visitorsApi } from '@/utils/api';
import type { Session } from '@/utils/session';

export const useInvitationRulesStore = defineStore('invitationRules', () => {
  const state = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const loadError = ref<string | null>(null);
  const rules = ref<InvitationRuleView[]>([]);

  async function load(session: Session) {
    state.value = 'loading';
    const res = await visitorsApi.listRules(session.serverUrl, session.token);
    if (!res.ok) {
      loadError.value = failureText(res.failure, session.serverUrl);
      state.value = 'error';
      return;
    }
    rules.value = res.data;
    loadError.value = null;
    state.value = 'ready';
  }

  /** Creates a rule (no id) or changes the given fields of one; resolves with why it failed, or null. */
  async function save(session: Session, input: InvitationRuleInput | InvitationRulePatch, id?: string): Promise<string | null> {
    const res = id
      ? await visitorsApi.updateRule(session.serverUrl, session.token, id, input)
      : await visitorsApi.createRule(session.serverUrl, session.token, input as InvitationRuleInput);
    if (!res.ok) return failureText(res.failure, session.serverUrl);
    const saved = res.data;
    rules.value = id ? rules.value.map((r) => (r.id === id ? saved : r)) : [...rules.value, saved];
    return null;
  }

  async function remove(session: Session, id: string): Promise<string | null> {
    const res = await visitorsApi.deleteRule(session.serverUrl, session.token, id);
    if (!res.ok) return failureText(res.failure, session.serverUrl);
    rules.value = rules.value.filter((r) => r.id !== id);
    return null;
  }

  return { state, loadError, rules, load, save, remove };
});

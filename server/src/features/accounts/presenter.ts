import type { AccountSettingsView } from '../../../../shared/schemas/accounts';
import type { AccountRow } from './repo';

export function presentAccountSettings(a: AccountRow): AccountSettingsView {
  return { allowedOrigins: a.allowedOrigins, idleAfterMinutes: a.idleAfterMinutes, operatorsMayMonitor: a.operatorsMayMonitor };
}

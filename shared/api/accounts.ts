/** The account: first-run setup and its settings (the websites the widget may run on, #4). */
import { returns, type RouteMap } from '../contract';
import { accountSettingsPatch, type AccountSettingsView } from '../schemas/accounts';
import { setupBody, type AccountView, type OperatorView } from '../schemas/auth';

export const accountRoutes = {
  /** First run only: creates the account and its first admin (`setup_done` afterwards). */
  setup: { method: 'POST', path: '/api/setup', role: 'public', body: setupBody, result: returns<{ account: AccountView; operator: OperatorView }>() },
  getSettings: { method: 'GET', path: '/api/account/settings', role: 'operator', result: returns<AccountSettingsView>() },
  updateSettings: { method: 'PATCH', path: '/api/account/settings', role: 'admin', body: accountSettingsPatch, result: returns<AccountSettingsView>() },
} satisfies RouteMap;

import type { AccountView, OperatorView } from '../../../../shared/schemas/auth';
import type { AccountRow } from '../../db/schema/accounts';
import type { OperatorRow } from './repo';

export function presentOperator(o: OperatorRow): OperatorView {
  return { id: o.id, accountId: o.accountId, email: o.email, name: o.name, role: o.role };
}

export function presentAccount(a: AccountRow): AccountView {
  return { id: a.id, name: a.name };
}

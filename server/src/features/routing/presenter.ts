import type { DepartmentView, OperatorAvailabilityView } from '../../../../shared/schemas/routing';
import type { DepartmentRow, OperatorWithLoad } from './repo';

export function presentDepartment(d: DepartmentRow & { operatorIds: string[] }): DepartmentView {
  return { id: d.id, name: d.name, operatorIds: d.operatorIds };
}

/** `connected`: a panel of theirs is connected somewhere; without one they are offline, whatever they chose. */
export function presentOperator(o: OperatorWithLoad, connected: boolean): OperatorAvailabilityView {
  return {
    id: o.id,
    name: o.name,
    status: connected ? o.availability : 'offline',
    autoAway: connected && o.availability === 'away' && o.awayAuto,
    load: o.load,
    maxChats: o.maxChats,
    departmentIds: o.departmentIds,
    autoAwayMinutes: o.autoAwayMinutes,
  };
}

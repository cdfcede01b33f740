import { api } from '../../../../shared/api';
import type { AppContext } from '../../context';
import { restRoutes } from '../../http/rest';
import {
  createDepartment,
  deleteDepartment,
  getSettings,
  listDepartments,
  listOperatorViews,
  updateDepartment,
  updateMe,
  updateOperator,
  updateSettings,
} from './service';

/** Departments and routing settings (shared/api/routing.ts): operators read, admins change. */
export function routingRoutes(ctx: AppContext) {
  return restRoutes(ctx, api.routing, {
    listDepartments: (ctx, { actor }) => listDepartments(ctx, actor),
    createDepartment: async (ctx, { actor, input, res }) => {
      const created = await createDepartment(ctx, actor, input.body.name);
      res.status(201);
      return created;
    },
    updateDepartment: (ctx, { actor, input }) => updateDepartment(ctx, actor, input.params.departmentId, input.body),
    deleteDepartment: (ctx, { actor, input }) => deleteDepartment(ctx, actor, input.params.departmentId),
    getSettings: (ctx, { actor }) => getSettings(ctx, actor),
    updateSettings: (ctx, { actor, input }) => updateSettings(ctx, actor, input.body),
    listOperators: (ctx, { actor }) => listOperatorViews(ctx, actor),
    updateOperator: (ctx, { actor, input }) => updateOperator(ctx, actor, input.params.operatorId, input.body),
    updateMe: (ctx, { actor, input }) => updateMe(ctx, actor, input.body.autoAwayMinutes),
  });
}

/**
 * Departments and routing (REST, A1 #6): every operator reads the departments and the routing
 * settings (the panel filters and offers transfers by them); admins change them.
 */
import { z } from 'zod';
import { returns, type RouteMap } from '../contract';
import { uuid } from '../schemas/common';
import {
  departmentCreateBody,
  departmentPatch,
  myRoutingPatch,
  operatorRoutingPatch,
  routingSettingsPatch,
  type DepartmentView,
  type OperatorAvailabilityView,
  type RoutingSettingsView,
} from '../schemas/routing';

const departmentParams = z.object({ departmentId: uuid });
const operatorParams = z.object({ operatorId: uuid });

export const routingRoutes = {
  listDepartments: { method: 'GET', path: '/api/departments', role: 'operator', result: returns<DepartmentView[]>() },
  /** 201; `conflict` if the account has a department of that name. */
  createDepartment: { method: 'POST', path: '/api/departments', role: 'admin', body: departmentCreateBody, result: returns<DepartmentView>() },
  /** Renames it and/or sets its operators (the whole list). */
  updateDepartment: {
    method: 'PATCH',
    path: '/api/departments/:departmentId',
    role: 'admin',
    params: departmentParams,
    body: departmentPatch,
    result: returns<DepartmentView>(),
  },
  /** Its chats go back to the whole account. */
  deleteDepartment: { method: 'DELETE', path: '/api/departments/:departmentId', role: 'admin', params: departmentParams, result: returns<null>() },
  getSettings: { method: 'GET', path: '/api/routing/settings', role: 'operator', result: returns<RoutingSettingsView>() },
  updateSettings: { method: 'PATCH', path: '/api/routing/settings', role: 'admin', body: routingSettingsPatch, result: returns<RoutingSettingsView>() },
  /** Everyone active on the account with status, load, limit and departments (admin pages; the panel uses `operator:list`). */
  listOperators: { method: 'GET', path: '/api/routing/operators', role: 'operator', result: returns<OperatorAvailabilityView[]>() },
  /** An operator's limit of concurrent chats and departments (the Team page). */
  updateOperator: {
    method: 'PATCH',
    path: '/api/routing/operators/:operatorId',
    role: 'admin',
    params: operatorParams,
    body: operatorRoutingPatch,
    result: returns<OperatorAvailabilityView>(),
  },
  /** The signed-in operator's own auto-away. */
  updateMe: { method: 'PATCH', path: '/api/routing/me', role: 'operator', body: myRoutingPatch, result: returns<OperatorAvailabilityView>() },
} satisfies RouteMap;

/**
 * The admin panel's domains (the options page, #5): one entry per domain, each a folder under
 * components/admin/. The router, the side navigation and the permission gate are built from this
 * list. Hash history: an extension page is one file (options.html), so the route lives after `#`.
 */
import { createRouter, createWebHashHistory, type RouteComponent, type RouterHistory } from 'vue-router';
import type { Action } from '@@/shared/policies';
import { strings } from '@/strings';
import { TEAM_ICON_PATH } from '@/utils/icons';

export interface AdminDomain {
  /** The route: `options.html#/<path>`. */
  path: string;
  label: () => string;
  /** An SVG path on a 16×16 grid, stroked in the text colour. */
  icon: string;
  /**
   * What the operator's role must be allowed (shared/policies.ts) to open the domain; others see
   * "not allowed". Only spares a refusal: the server checks the same policy on every route.
   */
  requires?: Action;
  /** The domain's page, loaded when first opened; it gets the signed-in `session` as a prop. */
  component: () => Promise<RouteComponent>;
}

export const adminDomains: readonly AdminDomain[] = [
  {
    path: 'account',
    label: () => strings.account.nav,
    icon: 'M2.5 13.5V5l5.5-3 5.5 3v8.5zM6 13.5V9.5h4v4',
    requires: 'account:update',
    component: () => import('@/components/admin/account/AccountPage.vue'),
  },
  {
    path: 'team',
    label: () => strings.team.nav,
    icon: TEAM_ICON_PATH,
    requires: 'team:manage',
    component: () => import('@/components/admin/team/TeamPage.vue'),
  },
  {
    path: 'canned',
    label: () => strings.canned.nav,
    icon: 'M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2zM5 6h6M5 8h4',
    requires: 'canned:manage',
    component: () => import('@/components/admin/canned/CannedPage.vue'),
  },
  {
    // A1 (#6): departments and who is in them.
    path: 'departments',
    label: () => strings.routing.nav,
    icon: 'M2.5 2.5h4v4h-4zM9.5 2.5h4v4h-4zM2.5 9.5h4v4h-4zM9.5 9.5h4v4h-4z',
    requires: 'routing:manage',
    component: () => import('@/components/admin/departments/DepartmentsPage.vue'),
  },
  {
    path: 'invitations',
    label: () => strings.invitations.nav,
    icon: 'M2.5 4.5h11v7h-6l-3 2.5v-2.5h-2zM5.5 7.5h5M5.5 9.5h3',
    requires: 'invitations:rules',
    component: () => import('@/components/admin/invitations/InvitationsPage.vue'),
  },
];

declare module 'vue-router' {
  interface RouteMeta {
    domain?: AdminDomain;
  }
}

export function createAdminRouter(history: RouterHistory = createWebHashHistory()) {
  return createRouter({
    history,
    routes: [
      ...adminDomains.map((domain) => ({ path: `/${domain.path}`, name: domain.path, component: domain.component, meta: { domain } })),
      // Anything else (an old bookmark, a domain that was removed): the first domain.
      { path: '/:rest(.*)*', redirect: `/${adminDomains[0]!.path}` },
    ],
  });
}

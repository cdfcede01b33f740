/** Visitors (REST): "forget this visitor" (#4). */
import { z } from 'zod';
import { returns, type RouteMap } from '../contract';
import { uuid } from '../schemas/common';

export const visitorRoutes = {
  /** Deletes the visitor with their conversations and page views; their widgets are disconnected. */
  forget: { method: 'DELETE', path: '/api/visitors/:visitorId', role: 'admin', params: z.object({ visitorId: uuid }), result: returns<null>() },
} satisfies RouteMap;

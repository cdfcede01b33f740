/** The two Socket.IO namespaces. No imports: the widget takes these values without pulling in zod. */
export const VISITOR_NAMESPACE = '/visitor';
export const OPERATOR_NAMESPACE = '/operator';

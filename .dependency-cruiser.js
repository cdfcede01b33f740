// Import rules between the parts of Sidedesk (#5), checked by `npm run check` (`npm run check:imports`).
// tests/unit/imports.test.ts proves each rule fires.

/** One known import from one feature's file to another's (`types`: an `import type`). */
const crossFeature = (from, to, types) => ({
  type: 'dependency',
  from: `server/src/features/${from}`,
  to: `server/src/features/${to}`,
  unresolvedTo: `../${to.replace(/\.ts$/, '')}`,
  dependencyTypes: types === 'types' ? ['local', 'type-only', 'import'] : ['local', 'import'],
  rule: { severity: 'error', name: 'features-stay-apart' },
});

/**
 * The known exceptions to `features-stay-apart` (#5), file to file, each with its reason. Never add
 * one lightly: move what two features share out of features/ (row types live in db/schema, the
 * session check in access/), or react through the event bus. `npm run check` warns about an entry
 * that no longer matches an import (then delete the entry).
 */
const TEMPORARY_CROSS_FEATURE = [
  // The widget's session (session:started) carries its open chat, presented as chats presents it.
  crossFeature('visitors/service.ts', 'chats/presenter.ts'),
  // #5 (P7): a message's file is presented in every view of the message, with a fresh signed URL,
  // as the files feature presents it; and a message may carry only a file of its own conversation.
  crossFeature('visitors/service.ts', 'chats/attachments.ts'),
  crossFeature('chats/attachments.ts', 'files/presenter.ts'),
  crossFeature('chats/attachments.ts', 'files/service.ts'),
  crossFeature('chats/service.ts', 'files/service.ts'),
  // The demo site fills in the account the page is for.
  crossFeature('site/routes.ts', 'accounts/repo.ts'),
  // Setup creates the account and its first operator, and answers with both.
  crossFeature('accounts/service.ts', 'auth/repo.ts'),
  crossFeature('accounts/setup.ts', 'auth/presenter.ts'),
];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'features-stay-apart',
      comment:
        'A server feature does not import another feature (types included): features talk through the event bus. ' +
        'What several features need lives outside features/ (db/schema, http, realtime, shared/).',
      severity: 'error',
      from: { path: '^server/src/features/([^/]+)/' },
      to: { path: '^server/src/features/([^/]+)/', pathNot: '^server/src/features/$1/' },
    },
    {
      name: 'widget-without-zod',
      comment:
        'The widget has a size budget: it may import the types of shared/schemas, never zod or the schemas themselves ' +
        '(an `import { type X }` of only types still loads the module: write `import type`).',
      severity: 'error',
      from: { path: '^widget/' },
      to: { path: ['^shared/schemas/', '(^|/)node_modules/zod/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'shared-stands-alone',
      comment: 'shared/ is the contract the three programs import; it imports none of them.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|extension|widget)/' },
    },
    {
      name: 'extension-not-server',
      comment: 'The extension talks to the server over HTTP and Socket.IO, through shared/; it never imports server code.',
      severity: 'error',
      from: { path: '^extension/' },
      to: { path: '^server/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(\\.output|\\.wxt|widget/dist|data|server/drizzle)/' },
    // Keep type-only imports (dependency type `type-only`): the widget rule tells them apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    knownViolations: TEMPORARY_CROSS_FEATURE,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};

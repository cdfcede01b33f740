// ESLint (flat config), part of `npm run check`: the recommended sets plus a few type-aware rules
// that catch real bugs. Formatting is Prettier's job (eslint-config-prettier switches off the
// stylistic rules that would fight it); types are vue-tsc's.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['.output/', '.wxt/', 'widget/dist/', 'data/', 'coverage/', 'server/drizzle/', 'bench-results/', '.scratch/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  vue.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    // A disable comment nothing needs any more is an error too: each one says why it is there.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // TypeScript (vue-tsc) already reports undefined names, and knows the DOM, Node and WXT globals.
      'no-undef': 'off',
      // `typeof import('x')` stays allowed: it types a module that is loaded lazily (geoip-lite).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // Listener signatures take `(...args: any[]) => void`, the one way to accept every listener.
      '@typescript-eslint/no-explicit-any': ['error', { ignoreRestArgs: true }],
      // `import { type A } from 'x'` still loads x at run time (verbatimModuleSyntax): `import type` doesn't.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // A leading underscore marks a parameter kept for its position (or a signature) on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // Type-aware rules, on the TypeScript files (the project service; .vue files are checked by vue-tsc).
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits or catches fails silently (an unhandled rejection at best).
      '@typescript-eslint/no-floating-promises': 'error',
      // An async callback where a void one is expected (event listeners, forEach) loses its errors.
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Fakes stand in for sockets, ports and browser APIs whose real types are not worth spelling out.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);

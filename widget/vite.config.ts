import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The widget ships as ONE classic script (`widget/dist/widget.js`) that customers load with
 * `<script async src=".../widget.js" data-account="…">`. An IIFE without exports adds no global
 * of its own; the only global is `window.Sidedesk`, set on purpose in `src/index.ts`.
 * CSS is imported with `?inline`, so it lives as a string in the JS and is injected into the
 * Shadow DOM: no separate CSS file. Budget: ≤ 30 KB gzipped (tests/unit/widget/size.test.ts).
 */
export default defineConfig({
  root,
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2019',
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: false,
    rolldownOptions: {
      input: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      output: {
        format: 'iife',
        entryFileNames: 'widget.js',
        // One file: never split (dynamic imports are inlined).
        codeSplitting: false,
      },
    },
  },
});

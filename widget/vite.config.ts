import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin, type UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));

const shared: UserConfig = { root, publicDir: false, logLevel: 'warn' };
const output = { outDir, emptyOutDir: false, minify: true, sourcemap: false, reportCompressedSize: false, modulePreload: false } as const;

/**
 * V1: the chat UI is the widget's second file. It is built first, as one ES module with a hashed
 * name (`widget-ui-<hash>.js`: cached for good, a new build is a new name), and its name is given
 * to the first load as `virtual:widget-ui`, which imports it from the server when it is needed.
 */
function chatUi(): Plugin {
  let fileName = '';
  return {
    name: 'sidedesk-widget-ui',
    async buildStart() {
      rmSync(outDir, { recursive: true, force: true });
      const result = await build({
        ...shared,
        configFile: false,
        build: {
          ...output,
          target: 'es2020',
          rolldownOptions: {
            input: fileURLToPath(new URL('./src/ui/index.ts', import.meta.url)),
            preserveEntrySignatures: 'exports-only',
            output: { format: 'es', entryFileNames: 'widget-ui-[hash].js', codeSplitting: false },
          },
        },
      });
      const outputs = (Array.isArray(result) ? result : [result]) as { output: { type: string; isEntry?: boolean; fileName: string }[] }[];
      fileName = outputs[0]?.output.find((o) => o.type === 'chunk' && o.isEntry)?.fileName ?? '';
      if (!fileName) throw new Error('the widget UI build produced no entry chunk');
    },
    resolveId: (id) => (id === 'virtual:widget-ui' ? '\0virtual:widget-ui' : null),
    load: (id) => (id === '\0virtual:widget-ui' ? `export default ${JSON.stringify(fileName)};` : null),
  };
}

/**
 * The widget's first load is ONE classic script (`widget/dist/widget.js`) that customers load with
 * `<script async src=".../widget.js" data-account="…">`: the launcher, the socket, tracking and the
 * chat logic. An IIFE without exports adds no global of its own; the only global is
 * `window.Sidedesk`, set on purpose in `src/index.ts`. CSS is imported with `?inline`, so it lives
 * as a string in the JS and is injected into the Shadow DOM: no CSS file. Budget: ≤ 30 KB gzipped
 * for the first load (tests/unit/widget/size.test.ts, which also reports the UI file).
 */
export default defineConfig({
  ...shared,
  plugins: [chatUi()],
  build: {
    ...output,
    // es2020: the dynamic import() of the chat UI.
    target: 'es2020',
    rolldownOptions: {
      input: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      // Vite wraps the UI's import() in its preload helper, whose `import.meta` branch is for
      // relative imports (ours is an absolute URL): empty in an IIFE, as rolldown says.
      checks: { emptyImportMeta: false },
      output: {
        format: 'iife',
        entryFileNames: 'widget.js',
        // One file: the chat UI is imported by URL (a separate build), never split from here.
        codeSplitting: false,
      },
    },
  },
});

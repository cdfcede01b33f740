/**
 * Commands given by the keyboard shortcuts and the account menu to parts of the panel they don't
 * hold (P10, #6): the composer opens its canned list or its emoji picker, the help dialog opens;
 * P12: the composer inserts text selected on a page.
 * One instance for the panel (module state), like the stores.
 */
import { ref } from 'vue';

export type ComposerCommand = 'canned' | 'emoji' | 'insert';

/** The last command for the composer, with a counter so the same one twice is still a change; `text` for 'insert'. */
const composer = ref<{ kind: ComposerCommand; n: number; text?: string } | null>(null);
const helpOpen = ref(false);
let n = 0;

export function usePanelCommands() {
  return {
    composer,
    helpOpen,
    /** Asks the composer shown to do `kind`; false when no composer is there to hear it. */
    toComposer(kind: ComposerCommand, text?: string): boolean {
      if (!document.getElementById('composer-input')) return false;
      composer.value = { kind, n: ++n, text };
      return true;
    },
  };
}

/** Files dragged onto an element (#5, P7): `over` while they hover it (for a drop hint), `send` gets them when dropped. */
import { ref } from 'vue';

export function useFileDrop(send: (files: File[]) => unknown) {
  const over = ref(false);
  let depth = 0;
  const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  const listeners = {
    dragenter: (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      over.value = ++depth > 0;
    },
    dragover: (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    },
    dragleave: () => {
      depth = Math.max(0, depth - 1);
      over.value = depth > 0;
    },
    drop: (e: DragEvent) => {
      depth = 0;
      over.value = false;
      const files = [...(e.dataTransfer?.files ?? [])];
      if (!files.length) return;
      e.preventDefault();
      send(files);
    },
  };
  return { over, listeners };
}

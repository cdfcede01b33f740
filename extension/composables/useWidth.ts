import { onScopeDispose, ref } from 'vue';

/** The window's width, live: the side panel is resized by the operator. */
export function useWindowWidth() {
  const width = ref(window.innerWidth);
  const onResize = () => (width.value = window.innerWidth);
  window.addEventListener('resize', onResize);
  onScopeDispose(() => window.removeEventListener('resize', onResize));
  return width;
}

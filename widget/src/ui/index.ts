/**
 * Entry of the chat UI, the widget's second file (`widget-ui-<hash>.js`, an ES module): the
 * first load (src/index.ts) imports it when the visitor opens the chat, is invited, or has a chat
 * going (V1: the first load stays small).
 */
export { mountUI } from './app';

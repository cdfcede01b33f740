/** The chat UI's file name, hashed (widget/vite.config.ts builds it first and gives its name to the loader). */
declare module 'virtual:widget-ui' {
  const file: string;
  export default file;
}

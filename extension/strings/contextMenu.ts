/** P12: the browser's context menu over any tab (selected text), and the chat picker it may open in the panel. */
export const contextMenu = {
  /** The context-menu entries (the browser shows them under the extension's name when there are several). */
  insertIntoChat: 'Insert into chat',
  pickTitle: 'Insert into which chat?',
  pickIntro: 'The text you selected goes into the reply box of the chat you pick. Nothing is sent yet.',
  pickListLabel: 'Your chats',
  cancel: 'Cancel',
  noChat: 'No chat of yours is open: accept a chat first, then insert the text.',
};

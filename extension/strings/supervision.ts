/** Supervision (W1 whispers, W4 monitoring and take over): the Monitor list, the whisper composer, the watchers. */
export const supervision = {
  /** The Chats tab's list of colleagues' chats in progress. */
  monitor: (n: number) => `Monitor (${n})`,
  monitorEmpty: 'No colleague has a chat in progress.',
  /** One chat of the list: whose it is. */
  operatorOf: (name: string) => `with ${name}`,
  watchedBy: (names: string[]) => `Watched by ${names.join(', ')}`,
  /** The bar over a composer in whisper mode. */
  whisperBar: "Whisper — the visitor won't see this",
  whisperTo: (name: string) => `Whisper to ${name}`,
  whisperToWatchers: 'Whisper to the operators watching',
  /** The assigned operator's composer: the switch into whisper mode. */
  whisperToggle: 'Whisper',
  whisperToggleTitle: 'Write a whisper only operators see (the visitor never does)',
  /** Above a whisper in the chat. */
  whisperFrom: (name: string) => `Whisper from ${name}`,
  /** A monitored chat: what the monitor can do. */
  takeOver: 'Take over',
  takingOver: 'Taking over…',
  takeOverConfirm: (operator: string) => `Take this chat over from ${operator}? It becomes yours, and the visitor sees your name.`,
  takeOverYes: 'Take over',
  cancel: 'Cancel',
  stopMonitoring: 'Stop monitoring',
  /** The former operator, after a take over. */
  takenOver: (by: string, visitor: string) => `${by} took over your chat with ${visitor}.`,
  notYours: (operator: string) => `This chat is ${operator}'s now. You can still read it.`,
  /** Account settings (admins). */
  settingHeading: 'Monitoring',
  settingLabel: 'Operators may monitor their colleagues’ chats and whisper into them',
  settingHint: 'Supervisors and admins always may. Taking a chat over stays with supervisors and admins.',
  settingSaved: 'Saved',
} as const;

/** P5: the offscreen document's one job: play the sound the background names (see background/sounds.ts). */
import { browser } from '#imports';
import { isPlaySoundMessage } from '@/utils/sounds';

browser.runtime.onMessage.addListener((message: unknown) => {
  if (!isPlaySoundMessage(message)) return;
  const audio = document.getElementById(message.sound);
  if (!(audio instanceof HTMLAudioElement)) return;
  audio.currentTime = 0;
  void audio.play().catch((err: unknown) => console.debug('[sidedesk] sound not played', err));
});

/**
 * P5: the alert sounds, played by the background so they sound once however many panels are open,
 * and also while none is. Chrome's MV3 service worker has no audio, so an offscreen document
 * (reason AUDIO_PLAYBACK, made when a sound is due; Chrome closes it after 30 s of silence)
 * plays them: it needs no user gesture, which a side panel playing its own would (Chrome's
 * autoplay rule), and panels that are closed can't play at all. Firefox's MV2 background is a
 * page: it plays them itself (extension pages are exempt from autoplay blocking). The operator's
 * choices (utils/sounds.ts) are read at each sound, and each sound plays at most once every
 * {@link SOUND_GAP_MS} (#4: a burst of new chats is one chime, not a hundred).
 */
import { browser } from '#imports';
import { soundPrefsItem, type PlaySoundMessage, type SoundName } from '@/utils/sounds';

export const OFFSCREEN_PATH = '/offscreen.html';
export const SOUND_GAP_MS = 2_000;

export interface SoundPlayer {
  play(name: SoundName): void;
}

interface OffscreenApi {
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
}
interface ContextsApi {
  getContexts?(filter: { contextTypes: string[] }): Promise<unknown[]>;
}

/** Chrome: one offscreen document at a time; made on demand (a second createDocument would throw). */
function offscreenPlayer(): (name: SoundName) => Promise<void> {
  let creating: Promise<void> | null = null;
  async function ensure() {
    const offscreen = (browser as unknown as { offscreen?: OffscreenApi }).offscreen;
    if (!offscreen) throw new Error('no offscreen API');
    const existing = await (browser.runtime as unknown as ContextsApi).getContexts?.({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
    if (existing?.length) return;
    creating ??= offscreen
      .createDocument({ url: OFFSCREEN_PATH, reasons: ['AUDIO_PLAYBACK'], justification: 'Alert sounds for new chats and messages' })
      .finally(() => (creating = null));
    await creating;
  }
  return async (sound) => {
    await ensure();
    await browser.runtime.sendMessage({ type: 'play-sound', sound } satisfies PlaySoundMessage);
  };
}

export function createSoundPlayer(): SoundPlayer {
  const lastPlayed = new Map<SoundName, number>();
  const output = import.meta.env.FIREFOX
    ? async (sound: SoundName) => void (await new Audio(browser.runtime.getURL(`/sounds/${sound}.wav`)).play())
    : offscreenPlayer();
  return {
    play(name) {
      const now = Date.now();
      if (now - (lastPlayed.get(name) ?? -Infinity) < SOUND_GAP_MS) return;
      lastPlayed.set(name, now);
      void soundPrefsItem
        .getValue()
        .then((prefs) => (prefs[name] ? output(name) : undefined))
        .catch((err: unknown) => console.debug('[sidedesk] sound not played', err));
    },
  };
}

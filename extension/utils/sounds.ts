/** P5: the panel's alert sounds, each of which the operator can switch off (kept in this browser). */
import { storage } from '#imports';

export const SOUND_NAMES = ['new-chat', 'new-message'] as const;
export type SoundName = (typeof SOUND_NAMES)[number];

/** Which sounds play: a new waiting chat, a new message in a chat not in focus. On until switched off. */
export type SoundPrefs = Record<SoundName, boolean>;

export const soundPrefsItem = storage.defineItem<SoundPrefs>('local:sounds', { fallback: { 'new-chat': true, 'new-message': true }, version: 1 });

/** Background → offscreen document (Chrome): play this sound. */
export interface PlaySoundMessage {
  type: 'play-sound';
  sound: SoundName;
}

export function isPlaySoundMessage(m: unknown): m is PlaySoundMessage {
  const x = m as PlaySoundMessage | null;
  return !!x && x.type === 'play-sound' && (SOUND_NAMES as readonly string[]).includes(x.sound);
}

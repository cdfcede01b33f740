/**
 * P5: writes the panel's two alert sounds (extension/public/sounds/*.wav), synthesised here so
 * they are ours to ship: `npm run sounds`. Short sine tones with a soft attack and an exponential
 * decay (no click at either end), 16-bit mono PCM at 22,050 Hz: a few KB each.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RATE = 22_050;

/** One tone: `freq` Hz from `start` s for `length` s, peak `gain` (0–1). */
interface Tone {
  freq: number;
  start: number;
  length: number;
  gain: number;
}

function render(tones: Tone[]): Int16Array {
  const end = Math.max(...tones.map((t) => t.start + t.length));
  const samples = new Float64Array(Math.ceil(end * RATE));
  for (const t of tones) {
    const from = Math.floor(t.start * RATE);
    const n = Math.floor(t.length * RATE);
    for (let i = 0; i < n; i++) {
      const s = i / RATE;
      const attack = Math.min(1, s / 0.008);
      const decay = Math.exp((-5 * s) / t.length);
      // A touch of the octave makes it a chime rather than a beep.
      const wave = Math.sin(2 * Math.PI * t.freq * s) + 0.25 * Math.sin(4 * Math.PI * t.freq * s);
      samples[from + i]! += t.gain * attack * decay * wave;
    }
  }
  return Int16Array.from(samples, (v) => Math.round(Math.max(-1, Math.min(1, v)) * 32767));
}

function wav(pcm: Int16Array): Buffer {
  const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVE', 8);
  head.write('fmt ', 12);
  head.writeUInt32LE(16, 16); // fmt chunk size
  head.writeUInt16LE(1, 20); // PCM
  head.writeUInt16LE(1, 22); // mono
  head.writeUInt32LE(RATE, 24);
  head.writeUInt32LE(RATE * 2, 28); // bytes per second
  head.writeUInt16LE(2, 32); // block align
  head.writeUInt16LE(16, 34); // bits per sample
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

const sounds: Record<string, Tone[]> = {
  // A new chat waits: two rising notes, easy to tell from the message tick.
  'new-chat': [
    { freq: 659.25, start: 0, length: 0.18, gain: 0.5 },
    { freq: 987.77, start: 0.14, length: 0.3, gain: 0.5 },
  ],
  // A message in a chat not in focus: one short, soft note.
  'new-message': [{ freq: 880, start: 0, length: 0.16, gain: 0.35 }],
};

const dir = fileURLToPath(new URL('../extension/public/sounds/', import.meta.url));
for (const [name, tones] of Object.entries(sounds)) writeFileSync(`${dir}${name}.wav`, wav(render(tones)));

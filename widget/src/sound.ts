/**
 * P5: the widget's optional sound for a new operator message (`data-sound` on its script tag),
 * synthesised (no file to load): a soft 880 Hz tone of a quarter second. Browsers allow it once
 * the visitor has interacted with the page, which starting a chat is; before that it stays silent.
 */
let ctx: AudioContext | undefined;

export function beep(): void {
  try {
    const a = (ctx ??= new AudioContext());
    const o = a.createOscillator();
    const g = a.createGain();
    const t = a.currentTime;
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.15, t);
    g.gain.exponentialRampToValueAtTime(0.001, t + 0.25);
    o.connect(g).connect(a.destination);
    o.start(t);
    o.stop(t + 0.25);
  } catch {
    /* no audio here */
  }
}

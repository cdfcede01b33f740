/**
 * Asking for a secret on the terminal without showing it (#5: `npm run setup` used to take the
 * password only as an argument, which lands in the shell history). node:readline with its echo
 * sent nowhere; the prompt itself is written straight to the terminal. Lines piped in (scripts,
 * tests) are read one by one, in order.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export interface SecretPrompt {
  /** Shows `question`, reads one line without echoing it; null when the input has ended. */
  ask(question: string): Promise<string | null>;
  close(): void;
}

export function secretPrompt(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): SecretPrompt {
  // What readline would echo (the typed characters) goes nowhere.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input, output: silent, terminal: !!input.isTTY });
  // Ctrl+C in a terminal: readline would only pause; end the program as the shell expects.
  rl.on('SIGINT', () => {
    output.write('\n');
    process.exit(130);
  });
  // An iterator buffers the lines: several piped at once are not lost between two questions.
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question) {
      output.write(question);
      const next = await lines.next();
      output.write('\n'); // the Enter typed was not echoed either
      return next.done ? null : next.value;
    },
    close: () => rl.close(),
  };
}

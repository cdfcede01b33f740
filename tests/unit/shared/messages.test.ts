/**
 * #5: what a person reads when a field they filled in is refused says what to do ("Enter your
 * company name", "At least 8 characters"), never zod's own words ("Too small: expected string to
 * have >=1 characters"). Every schema of a form people fill in, with nothing, blanks and too much.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { accountSettingsPatch } from '../../../shared/schemas/accounts';
import { loginBody, setupBody } from '../../../shared/schemas/auth';
import { chatStartPayload } from '../../../shared/schemas/chats';

function messages(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
}

const long = (n: number) => 'x'.repeat(n);
const ZOD_WORDS = /expected|Too small|Too big|Invalid (input|string|email)|received/i;

describe('messages people read', () => {
  it('setup: every field says what to do when empty, missing, wrong or too long', () => {
    expect(messages(setupBody, {})).toEqual({ account: 'Enter your company name', email: 'Enter a valid email', password: 'Enter a password' });
    expect(messages(setupBody, { account: '  ', name: ' ', email: 'not-an-email', password: 'short' })).toEqual({
      account: 'Enter your company name',
      name: 'Enter your name, or leave it out',
      email: 'Enter a valid email',
      password: 'At least 8 characters',
    });
    expect(messages(setupBody, { account: long(121), name: long(121), email: `${long(250)}@example.com`, password: long(201), allowedOrigins: [''] })).toEqual({
      account: 'At most 120 characters',
      name: 'At most 120 characters',
      email: 'At most 254 characters',
      password: 'At most 200 characters',
      'allowedOrigins.0': 'Enter a website address like https://shop.example.com',
    });
  });

  it('sign-in, the pre-chat form and the account settings speak the same way', () => {
    expect(messages(setupBody, { account: 'Acme', email: 'a@example.com', password: '' })).toEqual({ password: 'Enter a password' });
    expect(messages(loginBody, { email: '', password: '' })).toEqual({ email: 'Enter a valid email', password: 'Enter your password' });
    expect(messages(chatStartPayload, { clientId: 'client-1234', name: '', email: 'x', question: ' ' })).toEqual({
      name: 'Enter your name',
      email: 'Enter a valid email',
      question: 'Write a message',
    });
    expect(messages(chatStartPayload, { clientId: 'client-1234', name: long(200), email: 'a@example.com', question: long(20_000) })).toEqual({
      name: expect.stringMatching(/^At most \d+ characters$/),
      question: expect.stringMatching(/^At most \d+ characters$/),
    });
    expect(messages(accountSettingsPatch, { allowedOrigins: Array(101).fill('https://a.example') })).toEqual({
      allowedOrigins: 'At most 100 website addresses',
    });
    expect(messages(accountSettingsPatch, { allowedOrigins: [42] })).toEqual({ 'allowedOrigins.0': 'Enter a website address like https://shop.example.com' });
  });

  it('never uses zod’s own words for any of them', () => {
    const inputs = [
      {},
      { account: '', name: '', email: '', password: '', question: '', allowedOrigins: [''] },
      { account: 1, name: 1, email: 1, password: 1, question: 1 },
    ];
    for (const schema of [setupBody, loginBody, accountSettingsPatch, chatStartPayload.omit({ clientId: true })]) {
      for (const input of inputs) for (const message of Object.values(messages(schema, input))) expect(message).not.toMatch(ZOD_WORDS);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config';

describe('SMTP_URL, MAIL_FROM and JOB_CONCURRENCY (#5)', () => {
  it('defaults to the outbox, Sidedesk <no-reply@localhost> and 4 jobs at once', () => {
    expect(loadConfig({})).toMatchObject({ mail: { smtpUrl: undefined, from: 'Sidedesk <no-reply@localhost>' }, jobs: { concurrency: 4 } });
    expect(loadConfig({ SMTP_URL: ' ', MAIL_FROM: '', JOB_CONCURRENCY: '' })).toMatchObject({
      mail: { smtpUrl: undefined, from: 'Sidedesk <no-reply@localhost>' },
      jobs: { concurrency: 4 },
    });
  });

  it('takes smtp:// and smtps:// URLs, an address with or without a name, and 0 jobs', () => {
    const config = loadConfig({
      SMTP_URL: 'smtps://user:pa%40ss@mail.example.com:465',
      MAIL_FROM: 'Acme Support <support@acme.example>',
      JOB_CONCURRENCY: '0',
    });
    expect(config).toMatchObject({
      mail: { smtpUrl: 'smtps://user:pa%40ss@mail.example.com:465', from: 'Acme Support <support@acme.example>' },
      jobs: { concurrency: 0 },
    });
    expect(loadConfig({ MAIL_FROM: 'help@acme.example' }).mail.from).toBe('help@acme.example');
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL: expected smtp:\/\/… or smtps:\/\/…/);
    expect(() => loadConfig({ MAIL_FROM: 'Acme Support' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ MAIL_FROM: 'a@b.example\r\nBcc: x@y.example' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ JOB_CONCURRENCY: '-1' })).toThrow(/JOB_CONCURRENCY/);
  });
});

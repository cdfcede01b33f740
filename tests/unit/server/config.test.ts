import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES, loadConfig } from '../../../server/src/config';

describe('the README (#5)', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = (heading: string) => readme.slice(readme.indexOf(`\n## ${heading}\n`), readme.indexOf('\n## ', readme.indexOf(`\n## ${heading}\n`) + 1));

  it('lists every environment variable the server reads in its configuration table', () => {
    const table = section('Configuration');
    expect(ENV_VARIABLES.length).toBeGreaterThan(5);
    for (const name of ENV_VARIABLES) expect(table, `${name} is missing from the README's configuration table`).toContain(`| \`${name}\` |`);
  });

  it('says under "Run it" how to pick the port', () => {
    expect(section('Run it')).toMatch(/PORT=\d+ npm start/);
  });
});

describe('TRUST_PROXY (#4)', () => {
  it('refuses true, saying what to write instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: .*X-Forwarded-For.*TRUST_PROXY=1.*TRUST_PROXY=127\.0\.0\.1/s);
    expect(() => loadConfig({ TRUST_PROXY: 'TRUE' })).toThrow(/TRUST_PROXY=1/);
  });

  it('accepts a hop count, a list of addresses and CIDRs, or nothing', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.5, 10.1.0.0/16 ,loopback,::1' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', 'loopback', '::1']);
  });

  it('refuses an entry that is not an address, naming it', () => {
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.5, nginx' })).toThrow(/TRUST_PROXY: invalid IP address: nginx/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/invalid range/);
    expect(() => loadConfig({ TRUST_PROXY: '-1' })).toThrow(/TRUST_PROXY/);
  });
});

/** P10 (#6): the composer's canned responses — where a `/shortcut` is typed, what matches it, and the text it becomes. */
import { describe, expect, it } from 'vitest';
import { fillPlaceholders, findByShortcut, insertCanned, matchCanned, placeholderValues, slashQueryAt, type CannedLike } from '../../../shared/canned';

const price: CannedLike = { scope: 'account', shortcut: 'price', title: 'Our prices', body: 'Hi {visitor.name}, our prices are at https://acme.test/pricing' };
const priceEu: CannedLike = { scope: 'account', shortcut: 'price-eu', title: 'Prices in euros', body: 'In euros: …' };
const hello: CannedLike = { scope: 'account', shortcut: 'hello', title: 'Greeting', body: 'Hello {visitor.firstName}, I am {operator.firstName}.' };
const myPrice: CannedLike = { scope: 'personal', shortcut: 'price', title: 'My prices', body: 'Mine' };
const shipping: CannedLike = { scope: 'personal', shortcut: 'ship', title: 'Delivery times', body: 'Parcels leave within a day; ask about prices.' };

const values = placeholderValues({ visitorName: '  Vera  Visitor ', visitorEmail: 'vera@example.com', operatorName: 'Olivia Ops' });

describe('slashQueryAt', () => {
  it('finds the slash word the caret ends, at the start or after white space', () => {
    expect(slashQueryAt('/pri', 4)).toEqual({ start: 0, end: 4, query: 'pri' });
    expect(slashQueryAt('Sure! /Pri', 10)).toEqual({ start: 6, end: 10, query: 'pri' });
    expect(slashQueryAt('line one\n/', 10)).toEqual({ start: 9, end: 10, query: '' });
    expect(slashQueryAt('/price and more', 6)).toEqual({ start: 0, end: 6, query: 'price' });
  });

  it('ignores slashes inside words, paths, URLs and the middle of a word', () => {
    expect(slashQueryAt('and/or', 6)).toBeNull();
    expect(slashQueryAt('see https://acme.test/x', 23)).toBeNull();
    expect(slashQueryAt('/a/b', 4)).toBeNull();
    expect(slashQueryAt('/price', 3)).toBeNull();
    expect(slashQueryAt('/pri ce', 7)).toBeNull();
    expect(slashQueryAt('no slash', 8)).toBeNull();
  });
});

describe('matching', () => {
  const all = [hello, price, priceEu, shipping];

  it('puts shortcut prefixes first, then shortcuts containing it, then titles and texts', () => {
    expect(matchCanned(all, 'pri').map((c) => c.shortcut)).toEqual(['price', 'price-eu', 'ship']);
    expect(matchCanned(all, 'eu').map((c) => c.shortcut)).toEqual(['price-eu']);
    expect(matchCanned(all, 'greet').map((c) => c.shortcut)).toEqual(['hello']);
    expect(matchCanned(all, 'DELIVERY').map((c) => c.shortcut)).toEqual(['ship']);
    expect(matchCanned(all, '').map((c) => c.shortcut)).toEqual(['hello', 'price', 'price-eu', 'ship']);
    expect(matchCanned(all, 'nothing')).toEqual([]);
  });

  it("lets an operator's own response hide the account's with the same shortcut", () => {
    expect(matchCanned([price, myPrice, priceEu], 'price')).toEqual([myPrice, priceEu]);
    expect(findByShortcut([price, myPrice], 'PRICE')).toBe(myPrice);
    expect(findByShortcut([price, priceEu], 'price')).toBe(price);
    expect(findByShortcut([price], 'pri')).toBeUndefined();
  });
});

describe('placeholders', () => {
  it('fills the chat’s values, with any case and spaces inside the braces', () => {
    expect(fillPlaceholders('Hi {visitor.name} <{ Visitor.Email }>, {operator.name} here ({operator.firstName})', values)).toEqual({
      text: 'Hi Vera  Visitor <vera@example.com>, Olivia Ops here (Olivia)',
      unfilled: [],
    });
    expect(fillPlaceholders('{visitor.firstName}!', values).text).toBe('Vera!');
  });

  it('leaves unknown placeholders, and known ones without a value, exactly as typed, and says where they are', () => {
    const nameless = placeholderValues({ visitorName: '', visitorEmail: '', operatorName: 'Olivia' });
    expect(fillPlaceholders('Hi {visitor.name}, order {order.id}: {visitor.email} {operator.name}', nameless)).toEqual({
      text: 'Hi {visitor.name}, order {order.id}: {visitor.email} Olivia',
      unfilled: [
        { start: 3, end: 17 },
        { start: 25, end: 35 },
        { start: 37, end: 52 },
      ],
    });
    // Not placeholders at all: stay as they are.
    expect(fillPlaceholders('{} {visitor} {visitor.name', values).text).toBe('{} {visitor} {visitor.name');
  });

  it('never treats a filled value as a placeholder in turn', () => {
    const sneaky = placeholderValues({ visitorName: '{operator.name}', operatorName: 'Olivia' });
    expect(fillPlaceholders('Hi {visitor.name}', sneaky).text).toBe('Hi {operator.name}');
  });
});

describe('insertCanned', () => {
  it('replaces the /query with the filled text and puts the caret after it (and the space that expanded it)', () => {
    const text = 'Sure! /price thanks';
    const at = slashQueryAt(text, 12)!;
    expect(insertCanned(text, at, price, values, ' ')).toEqual({
      text: 'Sure! Hi Vera  Visitor, our prices are at https://acme.test/pricing  thanks',
      selection: { start: 68, end: 68 },
    });
  });

  it('selects the first placeholder left unfilled, so typing replaces it', () => {
    const at = slashQueryAt('/hello', 6)!;
    const done = insertCanned('/hello', at, hello, placeholderValues({ visitorName: '', operatorName: 'Olivia Ops' }));
    expect(done.text).toBe('Hello {visitor.firstName}, I am Olivia.');
    expect(done.text.slice(done.selection.start, done.selection.end)).toBe('{visitor.firstName}');
  });
});

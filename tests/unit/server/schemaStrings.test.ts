/**
 * #4 convention: every string of every payload schema goes through the shared cleaning (NUL
 * dropped, lone surrogates replaced) before it is validated or stored. This walks every exported
 * zod schema of shared/schemas, builds a valid payload, poisons each string field in turn and
 * checks that the result is refused or comes out well-formed and NUL-free. A new schema (or
 * field) written with a bare `z.string()` / `z.url()` fails here.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as schemas from '../../../shared/schemas/index';

type Schema = z.core.$ZodType;
type Def = z.core.$ZodTypeDef & Record<string, unknown>;
const defOf = (s: Schema) => s._zod.def as Def;

/** Values a string field of ours accepts: the walker picks the first one the field takes. */
const STRING_EXAMPLES = [
  'Hello there',
  'https://shop.example/pricing?plan=pro',
  'visitor@example.com',
  randomUUID(),
  'client_0123-abc',
  'correct horse battery',
  // P9 (#6): an archive page's cursor (microseconds since 1970) and a date range's ends.
  '1764590400000000',
  '2026-12-01T12:00:00.000Z',
];

/** A string field: a string schema, or a pipe that starts with one (`text().pipe(z.url())`). */
function isStringField(s: Schema): boolean {
  const def = defOf(s);
  return def.type === 'string' || (def.type === 'pipe' && isStringField(def.in as Schema));
}

interface StringField {
  path: (string | number)[];
  example: string;
}

/** A value `schema` accepts, with every optional part present, and the paths of its string fields. */
function build(schema: Schema, path: (string | number)[] = [], fields: StringField[] = []): { value: unknown; fields: StringField[] } {
  const def = defOf(schema);
  const where = path.join('.') || '(root)';
  if (isStringField(schema)) {
    const example = STRING_EXAMPLES.find((s) => z.safeParse(schema, s).success);
    if (example === undefined) throw new Error(`${where}: no example string fits this field; add one to STRING_EXAMPLES`);
    fields.push({ path, example });
    return { value: example, fields };
  }
  switch (def.type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(def.shape as Record<string, Schema>)) value[key] = build(child, [...path, key], fields).value;
      return { value, fields };
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return build(def.innerType as Schema, path, fields);
    case 'pipe':
      return build(def.in as Schema, path, fields);
    case 'array':
      return { value: [build(def.element as Schema, [...path, 0], fields).value], fields };
    case 'number': {
      const n = [0, 1, 100].find((c) => z.safeParse(schema, c).success);
      if (n === undefined) throw new Error(`${where}: no example number fits`);
      return { value: n, fields };
    }
    case 'boolean':
      return { value: true, fields };
    case 'enum':
      return { value: Object.values(def.entries as Record<string, unknown>)[0], fields };
    case 'literal':
      return { value: (def.values as unknown[])[0], fields };
    default:
      throw new Error(`${where}: the walker does not know zod type "${def.type}"; teach it, so its strings are checked too`);
  }
}

function withField(value: unknown, path: (string | number)[], replacement: string): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = withField(copy[head], rest, replacement);
  return copy;
}

/** Every string inside a parsed value that is not clean, with where it was. */
function uncleanStrings(value: unknown, where = ''): string[] {
  if (typeof value === 'string') return value.includes('\0') || !value.isWellFormed() ? [`${where || '(root)'}: ${JSON.stringify(value)}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => uncleanStrings(v, `${where}.${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => uncleanStrings(v, `${where}.${k}`));
  return [];
}

const exported = Object.entries(schemas as Record<string, unknown>).filter((entry): entry is [string, Schema] => entry[1] instanceof z.ZodType);
const POISONS = ['\0', '\uD800', '\uDFFF', '\uD83D', '\uDE00', '\0\uDBFF\0'];

describe('every string of every shared schema is cleaned (#4)', () => {
  it('finds the schemas and their string fields, and each accepts the payload built for it', () => {
    const names = exported.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['pageViewPayload', 'chatStartPayload', 'messageSendPayload', 'setupBody', 'loginBody']));
    const pageView = build(schemas.pageViewPayload).fields.map((f) => f.path.join('.'));
    expect(pageView).toEqual(['url', 'title', 'referrer', 'language', 'timezone']);
    for (const [name, schema] of exported) {
      const { value } = build(schema);
      expect(z.safeParse(schema, value).success, name).toBe(true);
    }
  });

  it('refuses NUL and lone surrogates in any string field, or stores them cleaned', () => {
    const leaks: string[] = [];
    for (const [name, schema] of exported) {
      const { value, fields } = build(schema);
      for (const { path, example } of fields) {
        const middle = example.length >> 1;
        for (const poison of POISONS) {
          for (const poisoned of [poison + example, example.slice(0, middle) + poison + example.slice(middle), example + poison]) {
            const result = z.safeParse(schema, withField(value, path, poisoned));
            if (result.success) leaks.push(...uncleanStrings(result.data).map((s) => `${name} ${path.join('.')}: ${s}`));
          }
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('keeps every accepted string clean for arbitrary text with NULs and lone surrogates', () => {
    const unit = fc.oneof(
      fc.constantFrom('\0', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u200D', '\u202E', '\u0301'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    const targets = exported.flatMap(([name, schema]) => {
      const { value, fields } = build(schema);
      return fields.map((field) => ({ name, schema, value, field }));
    });
    fc.assert(
      fc.property(fc.constantFrom(...targets), fc.string({ unit, maxLength: 40 }), fc.boolean(), ({ schema, value, field }, noise, prepend) => {
        const result = z.safeParse(schema, withField(value, field.path, prepend ? noise + field.example : field.example + noise));
        return !result.success || uncleanStrings(result.data).length === 0;
      }),
      { numRuns: 2000 },
    );
  });
});

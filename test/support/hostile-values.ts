// Arbitraries of hostile input shared by the bad-input suites: JSON of every shape, wrong types,
// huge and odd numbers, deep nesting, SQL-looking and Cyrillic strings, and raw bytes that are not
// JSON or not even UTF-8.

import fc from 'fast-check';

export const sqlLooking = [
  "'; DROP TABLE store_orders; --",
  "' OR '1'='1",
  '" OR ""="',
  '1; SELECT pg_sleep(10)',
  "Robert'); DELETE FROM collab_messages;--",
  '%_\\',
  '$1',
];

export const cyrillic = ['Сформирован новый заказ', 'Служебное обсуждение для курьеров', 'Ёлка, ёжик и щука'];

/** Strings a person or an attacker might type: any Unicode, SQL, Cyrillic, huge. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...sqlLooking, ...cyrillic, '', ' ', '\u0000', '\u202e', '🚚'.repeat(50)),
  fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 5000 }),
);

export const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER - 2,
    1e308,
    -1e308,
    5e-324,
    0.1 + 0.2,
    -0,
  ),
);

/** Any JSON value of modest depth (deep ones come as text: see deepJsonText). */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: hostileNumber },
  { weight: 1, arbitrary: hostileString },
);

/** Valid JSON text nested thousands deep, kept as text so that nothing here recurses over it. */
export const deepJsonText = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  );

/** An object with the given field names (and maybe others), each set to a value of any type. */
export function shapedObject(fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  const value = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), hostileJson);
  return fc.record(
    {
      ...Object.fromEntries(fields.map((field) => [field, value])),
      extra: value,
    },
    { requiredKeys: [] },
  );
}

/** Bodies that are not valid JSON text, not valid UTF-8, or too deep. */
export const brokenBytes = fc.oneof(
  deepJsonText,
  fc.constantFrom(
    '{',
    '{"a":',
    '[1,2',
    'undefined',
    'NaN',
    "{'a':1}",
    '{"a":1}}',
    '\u0000',
    '{"a":"\\ud800"}',
  ),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  // Invalid UTF-8 inside an otherwise valid JSON string.
  fc.constant(
    Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}')]),
  ),
);

// Which postings call for courier notifications: the transitions alone, as a pure function.

import { describe, expect, it } from 'vitest';
import { courierNotices, type PostingChange } from './courier-notifications.js';

const notPosted = { posted: false, status: null, courierId: null };
const inWork = (courierId: string) => ({ posted: true, status: 'InWork' as const, courierId });

describe('courierNotices', () => {
  const cases: Array<[string, PostingChange, ReturnType<typeof courierNotices>]> = [
    [
      'first posting In work',
      { before: notPosted, after: { status: 'InWork', courierId: 'a' } },
      [{ courierId: 'a', kind: 'assigned' }],
    ],
    [
      'New to In work',
      {
        before: { posted: true, status: 'New', courierId: 'a' },
        after: { status: 'InWork', courierId: 'a' },
      },
      [{ courierId: 'a', kind: 'assigned' }],
    ],
    ['re-posting unchanged', { before: inWork('a'), after: { status: 'InWork', courierId: 'a' } }, []],
    [
      'another courier',
      { before: inWork('a'), after: { status: 'InWork', courierId: 'b' } },
      [
        { courierId: 'b', kind: 'assigned' },
        { courierId: 'a', kind: 'unassigned' },
      ],
    ],
    ['In work to Done', { before: inWork('a'), after: { status: 'Done', courierId: 'a' } }, []],
    [
      'In work posting cancelled',
      { before: inWork('a'), after: { posted: false, status: 'InWork', courierId: 'a' } },
      [{ courierId: 'a', kind: 'unassigned' }],
    ],
    [
      'In work posted back as New',
      { before: inWork('a'), after: { status: 'New', courierId: 'a' } },
      [{ courierId: 'a', kind: 'unassigned' }],
    ],
    [
      'a New order cancelled',
      {
        before: { posted: true, status: 'New', courierId: 'a' },
        after: { posted: false, status: 'New', courierId: 'a' },
      },
      [],
    ],
    ['posted as Done', { before: notPosted, after: { status: 'Done', courierId: 'a' } }, []],
    ['posted as New', { before: notPosted, after: { status: 'New', courierId: 'a' } }, []],
    [
      're-posted after cancelling',
      { before: notPosted, after: { status: 'InWork', courierId: 'a' } },
      [{ courierId: 'a', kind: 'assigned' }],
    ],
  ];
  it.each(cases)('%s', (_name, change, expected) => {
    expect(courierNotices(change)).toEqual(expected);
  });
});

// Message ids are UUIDv7 (RFC 9562): time-ordered, so each new message lands at the end of the id
// index instead of on a random page; on SQLite that alone saves a page write per commit.

import { randomUUID } from 'node:crypto';

let lastMs = 0;
let counter = 0;

export function newMessageId(): string {
  let ms = Date.now();
  // Within one millisecond, a 12-bit counter keeps the ids of this process increasing.
  if (ms <= lastMs) {
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      counter = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    counter = 0;
  }
  const time = ms.toString(16).padStart(12, '0');
  // randomUUID draws from a buffered entropy pool (much cheaper than a small randomFillSync);
  // its last 17 characters are the variant nibble and 62 random bits that v7 wants there too.
  const random = randomUUID().slice(19);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, '0')}-${random}`;
}

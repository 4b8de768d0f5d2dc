// Opens the live feed over the collaboration client SDK (packages/collab-client).
import type { LiveFeed } from './live-feed.js';

export function openLiveFeed(): LiveFeed {
  throw new Error('not yet');
}

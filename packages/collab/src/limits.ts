// The documented limits of the collaboration system (docs/collab.md). Every input is checked
// against them before anything is written.

export interface CollabLimits {
  /** Bytes of a message's data, as JSON text (UTF-8). */
  maxDataBytes: number;
  /** Characters of a message's text. */
  maxTextLength: number;
  maxRecipients: number;
  /** Characters of a key, an external id, a name or a title. */
  maxNameLength: number;
  /** Users added to a conversation in one call. */
  maxParticipantsPerCall: number;
  /** Messages in one history page. */
  maxPageSize: number;
  /**
   * Recent messages each conversation feed keeps in memory, so that a subscription with a recent
   * `since` is caught up without reading storage (0: none).
   */
  recentMessages: number;
  /** About how many bytes of them (text and data as JSON, plus a fixed overhead per message). */
  recentBytes: number;
}

export const defaultLimits: CollabLimits = {
  maxDataBytes: 64 * 1024,
  maxTextLength: 16 * 1024,
  maxRecipients: 1000,
  maxNameLength: 256,
  maxParticipantsPerCall: 10_000,
  maxPageSize: 1000,
  recentMessages: 128,
  recentBytes: 128 * 1024,
};

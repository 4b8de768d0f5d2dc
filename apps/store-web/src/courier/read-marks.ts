// What a courier has already seen and read, kept in localStorage per user: the highest seq the
// client has handled (so the next start can tell what arrived while it was away) and the read seqs.

/** The part of localStorage used here (tests pass their own). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface ReadMarks {
  handledSeq: number;
  read: Set<number>;
}

const prefix = 'vestnik.inbox.v1.';
/** Read marks are kept for this many latest notifications; older ones count as read. */
const keep = 500;

export function loadReadMarks(userId: string, store: KeyValueStore = localStorage): ReadMarks {
  try {
    const raw = JSON.parse(store.getItem(prefix + userId) ?? 'null') as {
      handledSeq?: unknown;
      read?: unknown;
    } | null;
    const handledSeq = typeof raw?.handledSeq === 'number' ? raw.handledSeq : 0;
    const read = Array.isArray(raw?.read) ? raw.read.filter((n): n is number => typeof n === 'number') : [];
    return { handledSeq, read: new Set(read) };
  } catch {
    // A damaged entry (edited by hand, another version) is not worth failing the start for.
    return { handledSeq: 0, read: new Set() };
  }
}

export function saveReadMarks(userId: string, marks: ReadMarks, store: KeyValueStore = localStorage): void {
  const read = [...marks.read].sort((a, b) => b - a).slice(0, keep);
  store.setItem(prefix + userId, JSON.stringify({ handledSeq: marks.handledSeq, read }));
}

// Conversation key -> id, remembered so that writing a message needs no lookup. Only ids seen in a
// committed transaction are remembered, and a conversation's key and id never change and no
// conversation is ever deleted, so a remembered id stays right for the life of the process.

const LIMIT = 10_000;

export class ConversationIds {
  #byKey = new Map<string, string>();
  #known = new Set<string>();

  get(selector: { key: string } | { id: string }): string | undefined {
    if ('id' in selector) return this.#known.has(selector.id) ? selector.id : undefined;
    return this.#byKey.get(selector.key);
  }

  remember(key: string | null, id: string): void {
    if (this.#known.size >= LIMIT) this.clear(); // crude, but a miss only costs one query
    this.#known.add(id);
    if (key !== null) this.#byKey.set(key, id);
  }

  forget(id: string): void {
    this.#known.delete(id);
    for (const [key, value] of this.#byKey) if (value === id) this.#byKey.delete(key);
  }

  clear(): void {
    this.#byKey.clear();
    this.#known.clear();
  }
}

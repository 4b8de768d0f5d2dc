// A tiny typed event emitter (no Node import, so the SDK runs in the browser as it is).

export class Emitter<Events extends Record<string, unknown[]>> {
  #listeners = new Map<keyof Events, Set<(...args: unknown[]) => void>>();

  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) this.#listeners.set(event, (set = new Set()));
    const stored = listener as unknown as (...args: unknown[]) => void;
    set.add(stored);
    return () => set.delete(stored);
  }

  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        // A listener's failure must not break the connection's bookkeeping.
        setTimeout(() => {
          throw error;
        });
      }
    }
  }
}

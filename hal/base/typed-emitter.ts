/**
 * A small typed event emitter: event names and argument tuples are checked at compile
 * time, and `on` returns its own unsubscribe function so owners cannot leak listeners.
 * A listener that throws does not stop the other listeners; the error is re-thrown
 * asynchronously so it is still seen (and fails tests) instead of being swallowed.
 */
export type EventMap = { [event: string]: unknown[] };
type Listener<A extends unknown[]> = (...args: A) => void;
// Stored untyped: the public methods are where the types are enforced.
type AnyListener = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Emitter<E extends EventMap> {
  on<K extends keyof E & string>(event: K, listener: Listener<E[K]>): () => void;
  once<K extends keyof E & string>(event: K, listener: Listener<E[K]>): () => void;
}

export class TypedEmitter<E extends EventMap> implements Emitter<E> {
  #listeners = new Map<keyof E, Set<AnyListener>>();

  on<K extends keyof E & string>(event: K, listener: Listener<E[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as AnyListener);
    return () => set!.delete(listener as AnyListener);
  }

  once<K extends keyof E & string>(event: K, listener: Listener<E[K]>): () => void {
    const off = this.on(event, ((...args: E[K]) => {
      off();
      listener(...args);
    }) as Listener<E[K]>);
    return off;
  }

  protected emit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  listenerCount(event: keyof E & string): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  protected removeAllListeners(): void {
    this.#listeners.clear();
  }
}

/**
 * A small least-recently-used map (insertion order of a `Map` is the recency order).
 * Hand-written: twenty lines, not worth a dependency.
 *
 * @module
 */

/** A bounded map that forgets the least recently used entry when full. */
export class LruCache<K, V> {
  readonly #limit: number;
  readonly #entries = new Map<K, V>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** Stores a value, evicting the oldest entry when over the limit. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#limit) {
      this.#entries.delete(this.#entries.keys().next().value as K);
    }
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.size;
  }
}

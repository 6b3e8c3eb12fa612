/**
 * A bounded LRU of records read from the engine. The store is the collection's only writer (Vesper
 * locks the directory), so it stays coherent by dropping what each write touches; a read that raced
 * a write does not fill the cache (the generation changed), so it never resurrects stale data.
 */
export class RecordCache<T> {
  readonly #max: number;
  readonly #entries = new Map<string, T>();
  #generation = 0;

  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }

  /** Changes with every write; take it before a read and pass it to {@link fill}. */
  get generation(): number {
    return this.#generation;
  }

  get(key: string): T | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key); // refresh its place in the LRU order
      this.#entries.set(key, value);
    }
    return value;
  }

  /** Caches a value read when the generation was `generation`, unless a write happened since. */
  fill(key: string, value: T, generation: number): void {
    if (this.#max === 0 || generation !== this.#generation) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** Forgets these keys (before a write reaches the engine, and again after). */
  invalidate(keys: Iterable<string>): void {
    this.#generation++;
    for (const key of keys) this.#entries.delete(key);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

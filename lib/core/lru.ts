/**
 * A bounded cache, least recently used first out: at most `maxEntries` values and `maxBytes`
 * bytes (as `bytes` counts them); what falls out is handed to `evict` (e.g. to dispose its
 * tensors). The value just stored is never evicted, so one larger than the bound is kept alone.
 *
 * @example
 * ```ts
 * import { LruCache } from "./lru.ts";
 * import { assertEquals } from "@std/assert";
 * const dropped: string[] = [];
 * const cache = new LruCache<string>({ maxEntries: 2, evict: (v) => dropped.push(v) });
 * cache.set("a", "A");
 * cache.set("b", "B");
 * cache.get("a"); // "a" is now the most recently used
 * cache.set("c", "C"); // evicts "b"
 * assertEquals([...cache.keys()], ["a", "c"]);
 * assertEquals(dropped, ["B"]);
 * ```
 */
export class LruCache<V> {
  readonly #map = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;
  /** The most values it holds. */
  readonly maxEntries: number;
  /** The most bytes it holds (but a single value larger than that is kept). */
  readonly maxBytes: number;
  readonly #evict: (value: V) => void;

  /** An empty cache with the given bounds (`maxBytes` default: none). */
  constructor(
    { maxEntries, maxBytes = Infinity, evict = () => {} }: {
      maxEntries: number;
      maxBytes?: number;
      evict?: (value: V) => void;
    },
  ) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.#evict = evict;
  }

  /** The value under `key`, now the most recently used; undefined if absent. */
  get(key: string): V | undefined {
    const e = this.#map.get(key);
    if (!e) return undefined;
    this.#map.delete(key);
    this.#map.set(key, e);
    return e.value;
  }

  /** Stores `value` (of `bytes` bytes) under `key`, then evicts down to the bounds. */
  set(key: string, value: V, bytes = 0): void {
    const old = this.#map.get(key);
    if (old) {
      this.#map.delete(key);
      this.#bytes -= old.bytes;
      if (old.value !== value) this.#evict(old.value);
    }
    this.#map.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [k, e] of this.#map) {
      if (this.#map.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      if (k === key) continue;
      this.#map.delete(k);
      this.#bytes -= e.bytes;
      this.#evict(e.value);
    }
  }

  /** Empties the cache, handing every value to `evict`. */
  clear(): void {
    const values = [...this.#map.values()];
    this.#map.clear();
    this.#bytes = 0;
    for (const e of values) this.#evict(e.value);
  }

  /** The keys, least recently used first. */
  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  /** The values, least recently used first. */
  values(): IterableIterator<V> {
    return [...this.#map.values()].map((e) => e.value)[Symbol.iterator]();
  }

  /** How many values it holds. */
  get size(): number {
    return this.#map.size;
  }

  /** The bytes it holds, as `set` was told. */
  get bytes(): number {
    return this.#bytes;
  }
}

import { assertEquals } from "@std/assert";
import { LruCache } from "./lru.ts";

Deno.test("LruCache: evicts the least recently used past either bound, never the value just stored", () => {
  const out: number[] = [];
  const c = new LruCache<number>({ maxEntries: 3, maxBytes: 100, evict: (v) => out.push(v) });
  c.set("a", 1, 10);
  c.set("b", 2, 10);
  c.set("c", 3, 10);
  assertEquals(c.get("a"), 1);
  c.set("d", 4, 10); // four entries: "b" is the least recently used
  assertEquals([...c.keys()], ["c", "a", "d"]);
  assertEquals(out, [2]);
  c.set("e", 5, 85); // 115 bytes: "c" and "a" go
  assertEquals([...c.keys()], ["d", "e"]);
  assertEquals(c.bytes, 95);
  c.set("f", 6, 500); // larger than the bound: kept alone
  assertEquals([...c.keys()], ["f"]);
  assertEquals(out, [2, 3, 1, 4, 5]);
  c.set("f", 7, 1); // replaced: the old value is evicted
  assertEquals(out, [2, 3, 1, 4, 5, 6]);
  assertEquals([c.size, c.bytes, c.get("f")], [1, 1, 7]);
});

import { assertEquals, assertNotEquals } from "@std/assert";
import { seededRandom } from "./random.ts";

Deno.test("seededRandom: the same seed gives the same numbers; a saved state replays them", () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  const first = [a(), a(), a()];
  assertEquals([b(), b(), b()], first);
  const saved = a.state;
  const next = [a(), a()];
  assertNotEquals(next[0], next[1]);
  a.state = saved;
  assertEquals([a(), a()], next);
  assertNotEquals(seededRandom(8)(), first[0]);
});

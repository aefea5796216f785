import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { blockCausalMask, levelIndices, scaleOffsets } from "./var_mask.ts";

Deno.test("levelIndices and scaleOffsets follow the patch numbers", () => {
  assertEquals(Array.from(levelIndices([1, 2, 3])), [0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
  assertEquals(scaleOffsets([1, 2, 3, 4, 5, 7]), [[0, 1], [1, 4], [5, 9], [14, 16], [30, 25], [
    55,
    49,
  ]]);
  assertEquals(Array.from(levelIndices([1, 1, 1])), [0, 1, 2]); // a raster order: one token per step
  assertThrows(() => levelIndices([1, 0]), Error, "positive integer");
});

Deno.test("blockCausalMask: a position sees its own and coarser scales only", () => {
  const m = blockCausalMask([1, 2]).arraySync();
  assertEquals(m, [
    [1, 0, 0, 0, 0],
    [1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1],
  ]);
  const bias = blockCausalMask([1, 2], { additive: true }).arraySync();
  assertEquals(bias[0], [0, -Infinity, -Infinity, -Infinity, -Infinity]);
  assertEquals(bias[3], [0, 0, 0, 0, 0]);
  const before = tf.memory().numTensors;
  blockCausalMask([1, 2, 3]).dispose();
  assertEquals(tf.memory().numTensors, before);
});

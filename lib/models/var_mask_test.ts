import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { blockCausalMask, editKeepFlags, levelIndices, scaleOffsets } from "./var_mask.ts";

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

Deno.test("editKeepFlags regenerates only the tokens whose cells lie inside the region", () => {
  const centre = Array.from(
    { length: 28 },
    (_, y) => Array.from({ length: 28 }, (_, x) => y >= 7 && y < 21 && x >= 7 && x < 21),
  );
  const keep = editKeepFlags([1, 2, 7], centre);
  assertEquals(keep[0], [true]); // the 1×1 cell reaches outside the centre: the layout is kept
  assertEquals(keep[1], [true, true, true, true]);
  assertEquals(keep[2].filter((k) => !k).length, 9); // cells 2..4 of 4 pixels (8..19) lie inside 7..20
  assertEquals(keep[2][2 * 7 + 2], false);
  assertEquals(keep[2][1 * 7 + 1], true);
  const everything = editKeepFlags([1, 2], centre.map((row) => row.map(() => true)));
  assertEquals(everything, [[false], [false, false, false, false]]);
  const raster = editKeepFlags(new Array(49).fill(1), centre); // a RasterOrder: one token per step
  assertEquals(raster.map((k) => k[0]), keep[2]);
  assertThrows(() => editKeepFlags([1, 2], [[true], [true, false]]), Error, "H×W");
});

Deno.test("editKeepFlags with VAR's rule: bilinear keep mask above 0.5, the 1×1 token always kept", () => {
  const centre = Array.from(
    { length: 28 },
    (_, y) => Array.from({ length: 28 }, (_, x) => y >= 7 && y < 21 && x >= 7 && x < 21),
  );
  // 28 → 5 bilinear samples rows 2|3, 7|8, 13|14, 19|20, 24|25: the middle three lie inside 7..20,
  // where our rule's 5.6-pixel cells reach outside the region for all but the middle one.
  const vars = editKeepFlags([1, 5], centre, { rule: "var" });
  const ours = editKeepFlags([1, 5], centre);
  assertEquals(vars[1].filter((k) => !k).length, 9);
  assertEquals(ours[1].filter((k) => !k).length, 1);
  assertEquals(vars[1][1 * 5 + 1], false);
  assertEquals(vars[1][0], true);
  const everything = centre.map((row) => row.map(() => true));
  assertEquals(editKeepFlags([1, 2], everything, { rule: "var" }), [[true], [
    false,
    false,
    false,
    false,
  ]]);
  // A raster order has no 1×1 map: every token of the side×side map follows the mask.
  const raster = editKeepFlags(new Array(49).fill(1), everything, { rule: "var" });
  assertEquals(raster.every((k) => !k[0]), true);
  assertThrows(
    () => editKeepFlags([1, 2], centre, { rule: "nope" as "var" }),
    Error,
    'rule must be "whole-cell" or "var"',
  );
});

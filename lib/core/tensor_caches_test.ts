import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "./backend.ts";
import { ClaimError } from "./claim.ts";
import { resize } from "./resize.ts";
import { MultiScaleQuantizer } from "../quant/multiscale.ts";
import { VAR_INPUT_CACHE_MAX_CONFIGS } from "../quant/var_input.ts";
import { cachedTensors, claimNoLeaks, tensorsNow } from "./tensor_caches.ts";

Deno.test("cachedTensors counts what lib's caches keep; claimNoLeaks tells them from a leak", () => {
  const atStart = tensorsNow();
  const before = cachedTensors();
  tf.tidy(() => {
    resize(tf.zeros([1, 3, 3, 1]) as tf.Tensor4D, [11, 13], "bicubic");
  });
  const q = new MultiScaleQuantizer({ vocabSize: 8, cvae: 4, patchNums: [1, 2, 5], seed: 0 });
  const f = tf.zeros([2, 5, 5, 4]) as tf.Tensor4D;
  const idxBl = q.fToIdxBl(f);
  tf.dispose([f, ...idxBl, q.idxBlToVarInput(idxBl)]);
  q.dispose();
  const after = cachedTensors();
  assertEquals(after.byCache["resize matrices"] > before.byCache["resize matrices"], true);
  assertEquals(
    after.byCache["idxBlToVarInput tensors"] - before.byCache["idxBlToVarInput tensors"],
    7,
  );
  assertEquals(tf.memory().numTensors - atStart.tensors, after.total - before.total);
  claimNoLeaks(atStart, "this test"); // passes: only cached tensors are left
  const leaked = tf.ones([1]);
  assertThrows(() => claimNoLeaks(atStart, "this test"), ClaimError, ": 1 leaked");
  leaked.dispose();
});

Deno.test("idxBlToVarInput keeps the tensors of at most VAR_INPUT_CACHE_MAX_CONFIGS scale configurations", () => {
  const atStart = tensorsNow();
  const count = () => cachedTensors().byCache["idxBlToVarInput tensors"];
  const before = count();
  // Twice the bound of configurations, each with 7 kept tensors (5 matrices, 2 index tensors).
  for (let last = 3; last < 3 + 2 * VAR_INPUT_CACHE_MAX_CONFIGS; last++) {
    const q = new MultiScaleQuantizer({ vocabSize: 8, cvae: 4, patchNums: [1, 2, last], seed: 0 });
    const f = tf.zeros([1, last, last, 4]) as tf.Tensor4D;
    const idxBl = q.fToIdxBl(f);
    tf.dispose([f, ...idxBl, q.idxBlToVarInput(idxBl)]);
    q.dispose();
  }
  assertEquals(before <= 7 * VAR_INPUT_CACHE_MAX_CONFIGS, true);
  assertEquals(count(), 7 * VAR_INPUT_CACHE_MAX_CONFIGS);
  claimNoLeaks(atStart, "this test"); // what the caches evicted was disposed
});

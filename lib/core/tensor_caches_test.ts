import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "./backend.ts";
import { ClaimError } from "./claim.ts";
import { resize } from "./resize.ts";
import { MultiScaleQuantizer } from "../quant/multiscale.ts";
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

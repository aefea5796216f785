import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "./backend.ts";
import { type GoldenTensor, toTensor } from "../../testing/golden.ts";
import { interpolationMatrix, resize, type ResizeMode } from "./resize.ts";
import { assertClose } from "../../testing/assert_tensors.ts";
import resizeJson from "../testdata/golden/resize.json" with { type: "json" };

interface ResizeCase {
  mode: ResizeMode;
  from: number;
  to: number;
  x: GoldenTensor;
  y: GoldenTensor;
}
const golden = resizeJson as unknown as { cases: ResizeCase[] };

for (const c of golden.cases) {
  Deno.test(`resize ${c.mode} ${c.from}->${c.to} equals F.interpolate`, () => {
    tf.tidy(() => {
      const y = resize(toTensor<tf.Rank.R4>(c.x), [c.to, c.to], c.mode);
      assertClose(y, c.y, 1e-5, `${c.mode} ${c.from}->${c.to}`);
    });
  });
}

Deno.test("rows of every interpolation matrix sum to one", () => {
  for (const mode of ["bicubic", "area", "bilinear", "nearest"] as const) {
    for (const [i, o] of [[1, 7], [7, 1], [5, 8], [16, 3], [9, 9]]) {
      for (const row of interpolationMatrix(i, o, mode)) {
        assertEquals(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12, true);
      }
    }
  }
});

Deno.test("bilinear and nearest agree with hand-computed PyTorch values", () => {
  // F.interpolate(torch.tensor([[[[0., 1., 2., 3.]]]]), size=(1, 8), mode=...)
  const x = tf.tensor4d([0, 1, 2, 3], [1, 1, 4, 1]);
  const bil = resize(x, [1, 8], "bilinear").dataSync();
  assertEquals(Array.from(bil), [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]);
  const near = resize(x, [1, 2], "nearest").dataSync();
  assertEquals(Array.from(near), [0, 2]);
  x.dispose();
});

Deno.test("resize is differentiable: area down then gradient spreads evenly", () => {
  const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
  const g = tf.grad((t: tf.Tensor) => resize(t as tf.Tensor4D, [2, 2], "area").sum())(x);
  assertClose(g, tf.fill([1, 4, 4, 1], 0.25), 1e-7);
  tf.dispose([x, g]);
});

Deno.test("resize rejects bad input with a clear message", () => {
  const x3 = tf.zeros([2, 3, 3]);
  assertThrows(() => resize(x3 as unknown as tf.Tensor4D, [2, 2], "area"), Error, "rank-4 NHWC");
  const xi = tf.zeros([1, 2, 2, 1], "int32") as tf.Tensor4D;
  assertThrows(() => resize(xi, [4, 4], "bicubic"), Error, "float32");
  const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
  assertThrows(() => resize(x, [0, 4], "bicubic"), Error, "positive integers");
  assertThrows(() => resize(x, [4, 4], "lanczos" as ResizeMode), Error, "mode must be one of");
  tf.dispose([x3, xi, x]);
});

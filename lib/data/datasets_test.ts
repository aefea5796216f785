import { assert, assertAlmostEquals, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { DummyDataset, FASHION_MNIST_CLASSES, loadFashionMnist, loadTwemoji } from "./datasets.ts";

const test = await loadFashionMnist("test");

Deno.test("Fashion-MNIST test set: 10k images 28x28x1, ten classes", () => {
  assertEquals(test.length, 10000);
  assertEquals(test.imageShape, [28, 28, 1]);
  assertEquals(test.classNames, FASHION_MNIST_CLASSES);
  const counts = new Array(10).fill(0);
  for (const l of test.labels) counts[l]++;
  assertEquals(counts, new Array(10).fill(1000)); // the test set is balanced
});

Deno.test("Fashion-MNIST train set: 60k images", async () => {
  const train = await loadFashionMnist("train");
  assertEquals(train.length, 60000);
  assertEquals(train.imageShape, [28, 28, 1]);
});

Deno.test("batches are NHWC float32 in [0, 1] or [-1, 1]", () => {
  const a = test.batch([0, 1, 2]);
  assertEquals(a.xBhwc.shape, [3, 28, 28, 1]);
  assertEquals(a.xBhwc.dtype, "float32");
  assertEquals(a.labels.dtype, "int32");
  const [lo, hi] = [a.xBhwc.min().dataSync()[0], a.xBhwc.max().dataSync()[0]];
  assert(lo >= 0 && hi <= 1 && hi > 0.5);
  const b = test.batch([0, 1, 2], "-11");
  assertAlmostEquals(b.xBhwc.min().dataSync()[0], 2 * lo - 1, 1e-6);
  tf.dispose([a.xBhwc, a.labels, b.xBhwc, b.labels]);
});

Deno.test("images(): the batch's images without a labels tensor to free", () => {
  const before = tf.memory().numTensors;
  const x = test.images([5, 6]);
  const { xBhwc, labels } = test.batch([5, 6]);
  assertEquals(x.dataSync(), xBhwc.dataSync());
  assertEquals(tf.memory().numTensors - before, 3); // x, and the batch's two
  tf.dispose([x, xBhwc, labels]);
  assertThrows(
    () => test.images([10000]),
    InputError,
    "no image at index 10000; indices are integers in [0, 9999]",
  );
});

Deno.test("seeded shuffling is reproducible and covers the set", () => {
  const first = [...test.batchIndices(4000, { seed: 3 })].map((b) => Array.from(b));
  const again = [...test.batchIndices(4000, { seed: 3 })].map((b) => Array.from(b));
  assertEquals(first, again);
  assertEquals(first.map((b) => b.length), [4000, 4000, 2000]);
  assertEquals(new Set(first.flat()).size, 10000);
  const other = Array.from(test.batchIndices(4000, { seed: 4 }).next().value!);
  assert(other.join() !== first[0].join());
  assertEquals([...test.batchIndices(4000, { dropLast: true })].length, 2);
});

Deno.test("DummyDataset is seeded and shaped like the real sets", () => {
  const a = new DummyDataset({ length: 8, height: 16, width: 16, channels: 3, seed: 1 });
  const b = new DummyDataset({ length: 8, height: 16, width: 16, channels: 3, seed: 1 });
  assertEquals(a.imageShape, [16, 16, 3]);
  assertEquals(a.pixels, b.pixels);
  assert(a.pixels.some((v) => v > 0));
});

Deno.test("a missing data folder is a clear error", async () => {
  await assertRejects(
    () =>
      loadFashionMnist(
        "test",
        new URL("../../.cache/no-such-folder/fashion-mnist/", import.meta.url),
      ),
    Error,
    "file not found",
  );
});

Deno.test("Twemoji: 1,906 colour images 32x32x3 in 9 emoji categories", async () => {
  const emoji = await loadTwemoji();
  assertEquals(emoji.length, 1906);
  assertEquals(emoji.imageShape, [32, 32, 3]);
  assertEquals(emoji.classNames.length, 9);
  assertEquals(emoji.classNames[0], "Smileys & Emotion");
  assert(Math.max(...emoji.labels) === 8);
  const { xBhwc, labels } = emoji.batch([0]);
  // Composited onto white: the corner pixel of the first emoji (a round face) is white.
  assertEquals(Array.from(xBhwc.slice([0, 0, 0, 0], [1, 1, 1, 3]).dataSync()), [1, 1, 1]);
  tf.dispose([xBhwc, labels]);
});

Deno.test("split: seeded, disjoint, complete; subset checks its indices", () => {
  const d = new DummyDataset({ length: 50, seed: 1 });
  const [train, test] = d.split(0.2, 3);
  assertEquals([train.length, test.length], [40, 10]);
  const [train2] = d.split(0.2, 3);
  assertEquals(train2.pixels, train.pixels);
  // Every image lands in exactly one part: compare multisets of labels.
  const count = (l: Uint8Array) => Array.from(l).sort().join(",");
  assertEquals(count(new Uint8Array([...train.labels, ...test.labels])), count(d.labels));
  assertThrows(() => d.subset([0, 50]), InputError, "index 50");
  assertThrows(() => d.split(1), InputError, "testShare");
  // Both parts keep at least one image.
  assertEquals(new DummyDataset({ length: 2 }).split(0.9).map((p) => p.length), [1, 1]);
  assertThrows(() => new DummyDataset({ length: 1 }).split(0.1), InputError, "at least 2");
});

import { assert, assertEquals, assertRejects } from "@std/assert";
import { createRequire } from "node:module";
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { loadFashionMnist } from "./datasets.ts";
import { decodeSquare, loadImage } from "./image.ts";
import { encode as encodePng } from "fast-png";
import { RESIZE_CACHE_MAX_BYTES, RESIZE_CACHE_MAX_ENTRIES } from "../core/resize.ts";
import { cachedTensors } from "../core/tensor_caches.ts";

const node = createRequire(import.meta.url)("@tensorflow/tfjs-node").node as {
  encodePng(x: tf.Tensor3D): Promise<Uint8Array>;
  encodeJpeg(x: tf.Tensor3D, format?: string, quality?: number): Promise<Uint8Array>;
  decodeImage(bytes: Uint8Array, channels: number): tf.Tensor3D;
};
const SAMPLE = "data/samples/ankle-boot.png";

Deno.test("loadImage: the shipped sample is Fashion-MNIST's test image 0, pixel for pixel", async () => {
  const test = await loadFashionMnist("test");
  const x = await loadImage(SAMPLE);
  assertEquals(x.shape, [1, 28, 28, 1]);
  const got = x.dataSync();
  x.dispose();
  const want = test.pixels.subarray(0, 784);
  assertEquals(Array.from(got, (v) => Math.round(v * 255)), Array.from(want));
});

Deno.test("loadImage: a dark object on white is inverted to light on dark (auto), bytes too", async () => {
  // 40 × 60 white with a black 20 × 20 square in the middle: its centre square, resized.
  const img = tf.tidy(() => {
    const y = tf.range(0, 40).reshape([40, 1]).tile([1, 60]);
    const xx = tf.range(0, 60).reshape([1, 60]).tile([40, 1]);
    const inside = y.greaterEqual(10).logicalAnd(y.less(30))
      .logicalAnd(xx.greaterEqual(20)).logicalAnd(xx.less(40));
    return tf.where(inside, tf.scalar(0), tf.scalar(255)).toInt().expandDims(2).tile([1, 1, 3]);
  }) as tf.Tensor3D;
  const png = await node.encodePng(img);
  img.dispose();
  for (const [invert, corner, centre] of [["auto", 0, 1], [false, 1, 0]] as const) {
    const x = await loadImage(png, { size: 8, invert });
    const v = x.dataSync();
    x.dispose();
    assertEquals([v[0], v[4 * 8 + 4]], [corner, centre], `invert ${invert}`);
  }
});

Deno.test("loadImage: bad options and undecodable files are InputErrors naming them", async () => {
  await assertRejects(() => loadImage(SAMPLE, { size: 0 }), InputError, "size must be");
  await assertRejects(
    () => loadImage(SAMPLE, { channels: 2 as 1 }),
    InputError,
    "channels must be 1 or 3",
  );
  await assertRejects(() => loadImage("no/such.png"), InputError, "no/such.png: no such file");
  const err = await assertRejects(
    () => loadImage(new TextEncoder().encode("not an image")),
    InputError,
  );
  assert(/not a decodable PNG or JPEG/.test(err.message), err.message);
});

Deno.test("images of 200 distinct sizes decoded and resized: memory stays within the resize cache's bound", () => {
  const before = tf.memory();
  for (let side = 29; side < 229; side++) {
    const data = new Uint8Array(side * side).map((_, i) => (i * 7 + side) % 256);
    const png = encodePng({ width: side, height: side, data, channels: 1, depth: 8 });
    decodeSquare(png, `${side}.png`, 28).dispose();
  }
  const after = tf.memory();
  // 200 sizes make 200 matrices; the cache keeps the latest ones up to its bound.
  assertEquals(cachedTensors().byCache["resize matrices"], RESIZE_CACHE_MAX_ENTRIES);
  assert(
    after.numTensors - before.numTensors <= RESIZE_CACHE_MAX_ENTRIES,
    `${after.numTensors - before.numTensors} tensors more`,
  );
  assert(
    after.numBytes - before.numBytes <= RESIZE_CACHE_MAX_BYTES,
    `${after.numBytes - before.numBytes} bytes more`,
  );
});

// JPEG: jpeg-js and libjpeg upsample the colour planes differently (7 levels at most, 1.9 on
// average on this image of sharp colour edges, 2026-12-06).
Deno.test("decodeSquare decodes in JavaScript what TensorFlow's decoders decode: PNG exactly, JPEG within a few levels; 16-bit PNG as 8-bit", async () => {
  const img = tf.tidy(() =>
    tf.stack([tf.linspace(0, 255, 40 * 40), tf.linspace(255, 0, 40 * 40), tf.fill([1600], 90)], 1)
      .reshape([40, 40, 3]).round().toInt() as tf.Tensor3D
  );
  for (
    const [kind, bytes, maxLevels, meanLevels] of [
      ["PNG", await node.encodePng(img), 0, 0],
      ["JPEG", await node.encodeJpeg(img, "rgb", 95), 8, 2.5],
    ] as const
  ) {
    const ours = decodeSquare(bytes, kind, 40);
    const theirs = tf.tidy(() => {
      const d = node.decodeImage(bytes, 3).toFloat();
      return tf.concat([d, tf.fill([40, 40, 1], 255)], 2);
    });
    const [max, mean] = tf.tidy(() => {
      const d = ours.sub(theirs).abs();
      return [d.max().dataSync()[0], d.mean().dataSync()[0]];
    });
    assert(
      max <= maxLevels && mean <= meanLevels,
      `${kind}: ${max} levels apart, ${mean} on average`,
    );
    tf.dispose([ours, theirs]);
  }
  img.dispose();
  const grey8 = new Uint8Array(36).map((_, i) => i * 7);
  const grey16 = Uint16Array.from(grey8, (v) => v * 257);
  const [a, b] = [
    encodePng({ width: 6, height: 6, data: grey8, channels: 1, depth: 8 }),
    encodePng({ width: 6, height: 6, data: grey16, channels: 1, depth: 16 }),
  ].map((png, i) => decodeSquare(png, `${i}.png`, 6));
  assertEquals(Array.from(a.dataSync()), Array.from(b.dataSync()));
  tf.dispose([a, b]);
});

Deno.test("decodeSquare: an image over 100 megapixels is refused, before decoding, in one line naming it", async () => {
  const small = tf.zeros([8, 8, 3], "int32") as tf.Tensor3D;
  const png = new Uint8Array(await node.encodePng(small));
  const jpeg = new Uint8Array(await node.encodeJpeg(small));
  small.dispose();
  // 20000 × 20000 written into the PNG's header (IHDR) and the JPEG's frame header (SOF).
  new DataView(png.buffer).setUint32(16, 20000);
  new DataView(png.buffer).setUint32(20, 20000);
  const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] >= 0xc0 && jpeg[i + 1] <= 0xc2);
  assert(sof > 0, "no frame header in the JPEG");
  new DataView(jpeg.buffer).setUint16(sof + 5, 20000);
  new DataView(jpeg.buffer).setUint16(sof + 7, 20000);
  for (
    const [name, bytes, size] of [["big.png", png, "20000×20000 pixels"], [
      "big.jpg",
      jpeg,
      "a JPEG",
    ]] as const
  ) {
    try {
      decodeSquare(bytes, name, 28).dispose();
      throw new Error(`${name} was decoded`);
    } catch (err) {
      assert(err instanceof InputError, String(err));
      assertEquals(err.message, `${name}: ${size}, more than the 100 megapixels an image may have`);
    }
  }
});

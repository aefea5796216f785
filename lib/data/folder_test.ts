import { assert, assertEquals, assertRejects } from "@std/assert";
import { createRequire } from "node:module";
import { mkdir, writeFile } from "node:fs/promises";
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { makeTempDir } from "../../testing/temp_dir.ts";
import { loadImageFolder } from "./folder.ts";

const node = createRequire(import.meta.url)("@tensorflow/tfjs-node").node as {
  encodePng(x: tf.Tensor3D): Promise<Uint8Array>;
  encodeJpeg(x: tf.Tensor3D, format?: string, quality?: number): Promise<Uint8Array>;
};

/** An image `[h, w, c]` of one value per channel. */
async function solid(h: number, w: number, values: number[], kind: "png" | "jpeg") {
  const x = tf.tidy(() =>
    tf.tensor1d(values, "int32").reshape([1, 1, values.length]).tile([h, w, 1])
  ) as tf.Tensor3D;
  const bytes = kind === "png" ? await node.encodePng(x) : await node.encodeJpeg(x, "", 100);
  x.dispose();
  return bytes;
}

Deno.test("loadImageFolder: any sizes and channels, centre crop, classes from subfolders", async () => {
  const dir = await makeTempDir();
  await mkdir(`${dir}/cats`);
  await mkdir(`${dir}/dogs`);
  // A wide RGBA PNG: a blue left half, a red right part; half transparent on the far right.
  const wide = tf.tidy(() => {
    const cols = tf.range(0, 40).reshape([1, 40, 1]).tile([20, 1, 1]);
    const left = cols.less(20).cast("int32");
    const farRight = cols.greaterEqual(35).cast("int32");
    const r = tf.scalar(1, "int32").sub(left).mul(255);
    const b = left.mul(255);
    const a = tf.scalar(255, "int32").sub(farRight.mul(128));
    return tf.concat([r, tf.zerosLike(r), b, a], 2);
  }) as tf.Tensor3D;
  await writeFile(`${dir}/cats/wide.png`, await node.encodePng(wide));
  wide.dispose();
  await writeFile(`${dir}/dogs/grey.JPG`, await solid(7, 9, [128], "jpeg"));
  await writeFile(`${dir}/dogs/notes.txt`, "not an image: skipped");
  const d = await loadImageFolder(dir, { size: 8 });
  assertEquals([d.length, d.height, d.width, d.channels], [2, 8, 8, 3]);
  assertEquals(d.classNames, ["cats", "dogs"]);
  assertEquals(Array.from(d.labels), [0, 1]);
  const px = (i: number, y: number, x: number) =>
    Array.from(d.pixels.subarray(((i * 8 + y) * 8 + x) * 3, ((i * 8 + y) * 8 + x) * 3 + 3));
  // The centre 20×20 crop spans columns 10..29: blue on its left half, red on its right.
  assertEquals(px(0, 4, 0), [0, 0, 255]);
  assertEquals(px(0, 4, 7), [255, 0, 0]);
  const grey = px(1, 3, 3);
  assert(grey.every((v) => Math.abs(v - 128) <= 2), `grey JPEG: ${grey}`);

  // Only grey images: one channel.
  const greyDir = await makeTempDir();
  await writeFile(`${greyDir}/a.png`, await solid(5, 5, [200, 200, 200], "png"));
  const g = await loadImageFolder(greyDir, { size: 3 });
  assertEquals([g.channels, g.classNames.length, g.pixels[0]], [1, 1, 200]);
});

Deno.test("loadImageFolder: an empty folder or an undecodable file is an error naming it", async () => {
  const dir = await makeTempDir();
  await assertRejects(() => loadImageFolder(dir), InputError, "no images");
  await assertRejects(() => loadImageFolder(`${dir}/nosuch`), InputError, "no such folder");
  await writeFile(`${dir}/broken.png`, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  await assertRejects(
    () => loadImageFolder(dir),
    InputError,
    `${dir}/broken.png: not a decodable PNG or JPEG image`,
  );
});

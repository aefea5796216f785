/**
 * Builds data/twemoji/ from the npm package emoji-datasource-twitter (Twemoji graphics,
 * CC-BY 4.0): every 64×64 PNG composited onto white, area-downsampled to 32×32 RGB, stored as
 * gzipped uint8 IDX files with the emoji's category as its label.
 *
 *   deno run -A scripts/build/build_twemoji.ts [path/to/emoji-datasource-twitter]
 *
 * Without a path it runs `npm pack emoji-datasource-twitter@16.0.0` into .cache/.
 */
import { backendName, tf } from "../../lib/core/backend.ts";
import { encodeIdx } from "../../lib/data/idx.ts";
import { resize } from "../../lib/core/resize.ts";

const VERSION = "16.0.0";
const root = new URL("../..", import.meta.url).pathname;
let pkg = Deno.args[0];
if (!pkg) {
  const cache = `${root}.cache/twemoji`;
  await Deno.mkdir(cache, { recursive: true });
  const tgz = `${cache}/emoji-datasource-twitter-${VERSION}.tgz`;
  try {
    await Deno.stat(tgz);
  } catch {
    const out = await new Deno.Command("npm", {
      args: ["pack", `emoji-datasource-twitter@${VERSION}`, "--pack-destination", cache],
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error("npm pack emoji-datasource-twitter failed");
  }
  const untar = await new Deno.Command("tar", { args: ["xzf", tgz, "-C", cache] }).output();
  if (!untar.success) throw new Error(`could not unpack ${tgz}`);
  pkg = `${cache}/package`;
}
if (backendName !== "tensorflow") throw new Error("needs the tensorflow backend (PNG decoding)");
const node = await import("@tensorflow/tfjs-node");

interface Emoji {
  short_name: string;
  image: string;
  category: string;
  has_img_twitter: boolean;
  sort_order: number;
}
const emoji = (JSON.parse(await Deno.readTextFile(`${pkg}/emoji.json`)) as Emoji[])
  .filter((e) => e.has_img_twitter && e.category !== "Component")
  .sort((a, b) => a.sort_order - b.sort_order);
const categories = [...new Set(emoji.map((e) => e.category))];
const size = 32;
const pixels = new Uint8Array(emoji.length * size * size * 3);
const labels = new Uint8Array(emoji.length);
for (const [i, e] of emoji.entries()) {
  const png = await Deno.readFile(`${pkg}/img/twitter/64/${e.image}`);
  const rgb = tf.tidy(() => {
    const rgba = node.node.decodePng(png, 4).toFloat().div(255) as tf.Tensor3D;
    const alpha = rgba.slice([0, 0, 3], [-1, -1, 1]);
    const onWhite = rgba.slice([0, 0, 0], [-1, -1, 3]).mul(alpha).add(tf.scalar(1).sub(alpha));
    const small = resize(onWhite.expandDims(0) as tf.Tensor4D, [size, size], "area");
    return small.mul(255).round().clipByValue(0, 255).dataSync();
  });
  pixels.set(rgb, i * size * size * 3);
  labels[i] = categories.indexOf(e.category);
}
const gzip = async (bytes: Uint8Array) =>
  new Uint8Array(
    await new Response(
      new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
const out = `${root}data/twemoji`;
await Deno.mkdir(out, { recursive: true });
await Deno.writeFile(
  `${out}/twemoji-32-images-idx4-ubyte.gz`,
  await gzip(encodeIdx([emoji.length, size, size, 3], pixels)),
);
await Deno.writeFile(
  `${out}/twemoji-32-labels-idx1-ubyte.gz`,
  await gzip(encodeIdx([emoji.length], labels)),
);
await Deno.writeTextFile(
  `${out}/twemoji-32.json`,
  JSON.stringify(
    {
      source: `emoji-datasource-twitter@${VERSION} (npm), img/twitter/64`,
      license: "Twemoji graphics © Twitter, Inc and other contributors, CC-BY 4.0",
      categories,
      names: emoji.map((e) => e.short_name),
    },
    null,
    1,
  ) + "\n",
);
console.log(`${emoji.length} emoji in ${categories.length} categories -> ${out}`);

import { makeTempDir } from "../../testing/temp_dir.ts";
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { encodeIdx, parseIdx, readIdx } from "./idx.ts";

Deno.test("parseIdx reads shape and bytes", () => {
  const bytes = encodeIdx([2, 3], new Uint8Array([1, 2, 3, 4, 5, 6]));
  const a = parseIdx(bytes);
  assertEquals(a.shape, [2, 3]);
  assertEquals(Array.from(a.data), [1, 2, 3, 4, 5, 6]);
});

Deno.test("parseIdx rejects truncated, foreign and mistyped data", () => {
  const good = encodeIdx([2, 3], new Uint8Array(6));
  assertThrows(() => parseIdx(good.subarray(0, good.length - 1), "f"), Error, "truncated");
  assertThrows(() => parseIdx(good.subarray(0, 2), "f"), Error, "truncated");
  assertThrows(() => parseIdx(good.subarray(0, 9), "f"), Error, "truncated or corrupt header");
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
  assertThrows(() => parseIdx(png, "f"), Error, "not an IDX file");
  const floats = good.slice();
  floats[2] = 0x0d;
  assertThrows(() => parseIdx(floats, "f"), Error, "float32");
  const extra = new Uint8Array([...good, 0]);
  assertThrows(() => parseIdx(extra, "f"), Error, "bytes after");
});

Deno.test("readIdx: gzip, a missing file and corrupt gzip", async () => {
  const dir = await makeTempDir();
  try {
    const raw = encodeIdx([4], new Uint8Array([9, 8, 7, 6]));
    const gz = new Uint8Array(
      await new Response(
        new Blob([raw as BlobPart]).stream().pipeThrough(new CompressionStream("gzip")),
      ).arrayBuffer(),
    );
    await Deno.writeFile(`${dir}/a.gz`, gz);
    assertEquals(Array.from((await readIdx(`${dir}/a.gz`)).data), [9, 8, 7, 6]);
    await assertRejects(() => readIdx(`${dir}/missing.gz`), Error, "file not found");
    await Deno.writeFile(`${dir}/cut.gz`, gz.subarray(0, gz.length - 6));
    await assertRejects(() => readIdx(`${dir}/cut.gz`), Error, "cut.gz: corrupt or truncated gzip");
    // Gzip's magic bytes, then junk: corrupt gzip.
    await Deno.writeFile(`${dir}/junk.gz`, new Uint8Array([0x1f, 0x8b, 3, 4, 5]));
    await assertRejects(() => readIdx(`${dir}/junk.gz`), Error, "corrupt or truncated gzip");
    // A .gz a web server already decoded (Content-Encoding: gzip) is read as it is.
    await Deno.writeFile(`${dir}/plain.gz`, encodeIdx([2, 2], new Uint8Array([9, 8, 7, 6])));
    assertEquals(Array.from((await readIdx(`${dir}/plain.gz`)).data), [9, 8, 7, 6]);
    await Deno.writeFile(`${dir}/other.gz`, new Uint8Array([1, 2, 3, 4, 5]));
    await assertRejects(() => readIdx(`${dir}/other.gz`), Error, "not an IDX file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

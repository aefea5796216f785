import { assert, assertAlmostEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { featureStatistics, frechetDistance } from "./fid.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { Classifier } from "../models/classifier.ts";
import type { ClassifierConfig } from "../models/classifier.ts";
import { loadFashionMnist } from "../data/datasets.ts";
import fidJson from "../testdata/golden/fid.json" with { type: "json" };

interface Stored {
  shape: number[];
  data: number[];
}
const golden = fidJson as unknown as {
  cases: { name: string; a: Stored; b: Stored; fid: number }[];
};

for (const c of golden.cases) {
  Deno.test(`frechetDistance equals scipy's sqrtm formula: ${c.name}`, () => {
    const a = tf.tensor2d(c.a.data, c.a.shape as [number, number]);
    const b = tf.tensor2d(c.b.data, c.b.shape as [number, number]);
    const fid = frechetDistance(a, b);
    assertAlmostEquals(fid, c.fid, 1e-9 * Math.max(1, c.fid) + 1e-9, `${fid} vs scipy ${c.fid}`);
    tf.dispose([a, b]);
  });
}

Deno.test("frechetDistance: zero for one set against itself, a mean shift adds its square", () => {
  const rows = [[0, 1], [1, 0], [1, 1], [2, 3]];
  assertAlmostEquals(frechetDistance(rows, rows), 0, 1e-12);
  assertAlmostEquals(frechetDistance(rows, rows.map(([x, y]) => [x + 3, y - 4])), 25, 1e-9);
});

Deno.test("featureStatistics matches numpy.cov (N − 1)", () => {
  const s = featureStatistics([[1, 2], [3, 6], [5, 7]]);
  assertAlmostEquals(s.mean[0], 3, 1e-12);
  assertAlmostEquals(s.cov[0], 4, 1e-12); // var of 1, 3, 5
  assertAlmostEquals(s.cov[1], 5, 1e-12); // cov(x, y) = ((−2)(−3) + 0 + 2·2) / 2
  assert(s.cov[1] === s.cov[2]);
});

Deno.test("frechetDistance refuses mismatched or too few features", () => {
  assertThrows(() => frechetDistance([[1, 2], [3, 4]], [[1], [2]]), InputError, "same length D");
  assertThrows(() => frechetDistance([[1, 2]], [[1, 2], [3, 4]]), InputError, "N ≥ 2");
});

Deno.test("FID in the shipped classifier's features: test vs train small, test vs noise large", async () => {
  const { model: judge } = await loadCheckpoint(
    new URL("../../data/var/fashion-mnist-var/classifier", import.meta.url).pathname,
    (c: ClassifierConfig) => new Classifier(c),
  );
  const features = async (split: "train" | "test") => {
    const { xBhwc, labels } = (await loadFashionMnist(split)).batch(
      Array.from({ length: 1000 }, (_, i) => i),
    );
    const f = judge.features(xBhwc);
    tf.dispose([xBhwc, labels]);
    return f;
  };
  const [test, train] = [await features("test"), await features("train")];
  const noise = tf.tidy(() =>
    judge.features(tf.randomUniform([1000, 28, 28, 1], 0, 1, "float32", 0))
  );
  const real = frechetDistance(test, train), fake = frechetDistance(test, noise);
  assert(real < 0.05 * fake, `FID test/train ${real}, test/noise ${fake}`);
  tf.dispose([test, train, noise]);
  judge.dispose();
});

import { assert, assertEquals } from "@std/assert";
import { tf } from "../core/backend.ts";
import { tensorsNow } from "../core/tensor_caches.ts";
import { DummyDataset } from "../data/datasets.ts";
import { VAR, type VARConfig } from "../models/var.ts";
import { VQVAE } from "../models/vqvae.ts";
import { asMultiScale } from "../quant/multiscale.ts";
import { evaluateVAR, tokenBatch, tokenize, trainVAR, type VARMetrics } from "./var_train.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { assertClose } from "../../testing/assert_tensors.ts";
import { makeTempDir } from "../../testing/temp_dir.ts";

const patchNums = [1, 2, 3, 7];
const tokenizer = new VQVAE({ channels: 8, latentChannels: 4, vocabSize: 16, patchNums, seed: 3 });
const quantizer = asMultiScale(tokenizer.quantizer);
const data = new DummyDataset({ length: 48, seed: 5, classes: 3 });
/** A VAR small enough for a test, on the tokenizer above. */
const tinyVAR = {
  vocabSize: 16,
  cvae: 4,
  patchNums,
  numClasses: 3,
  width: 32,
  depth: 1,
  heads: 2,
  seed: 1,
};

Deno.test("tokenize: every image's token maps, all scales in a row; tokenBatch splits them back", () => {
  const set = tokenize(tokenizer, data, 20); // three batches, the last one short
  const L = 1 + 4 + 9 + 49;
  assertEquals([set.L, set.length, set.tokens.length], [L, 48, 48 * L]);
  assertEquals(set.patchNums, patchNums);
  tf.tidy(() => {
    const direct = tf.concat(tokenizer.imgToIdxBl(data.batch(Int32Array.from([7, 30])).xBhwc), 1);
    const b = tokenBatch(set, [7, 30]);
    assertEquals(Array.from(b.tokBL.dataSync()), Array.from(direct.dataSync()));
    assertEquals(b.idxBl.map((t) => t.shape), patchNums.map((pn) => [2, pn * pn]));
    assertEquals(Array.from(b.labels.dataSync()), [data.labels[7], data.labels[30]]);
  });
});

Deno.test("trainVAR lowers the test loss, reports metrics, leaks nothing; evaluateVAR starts near ln V", async () => {
  const set = tokenize(tokenizer, data);
  const model = new VAR(tinyVAR);
  const untrained = evaluateVAR(model, quantizer, set);
  assert(Math.abs(untrained.loss - Math.log(16)) < 0.5, `untrained loss ${untrained.loss}`);
  const seen: VARMetrics[] = [];
  const before = tensorsNow();
  const r = await trainVAR(model, quantizer, set, set, {
    steps: 40,
    batchSize: 16,
    lr: 1e-2,
    warmupSteps: 5,
    evalEvery: 20,
    log: null,
    onMetrics: (m) => {
      seen.push(m);
    },
  });
  const now = tensorsNow(); // what lib's caches keep (the quantizer's graphs' inputs) is no leak
  assertEquals(now.tensors - before.tensors, now.cached - before.cached);
  assertEquals(r.steps, 40);
  assertEquals(seen.map((m) => m.step), [20, 40]);
  assertEquals(seen[0].trainLossPerScale.length, patchNums.length);
  assert(seen[1].testLoss < untrained.loss - 0.3, `${untrained.loss} -> ${seen[1].testLoss}`);
  model.dispose();
});

Deno.test("trainVAR: interrupted, then resumed from its checkpoint, ends as the run uninterrupted", async () => {
  const dir = await makeTempDir();
  const set = tokenize(tokenizer, data);
  const options = { steps: 9, batchSize: 16, warmupSteps: 2, evalEvery: 3, log: null };
  const straight = new VAR(tinyVAR);
  await trainVAR(straight, quantizer, set, set, options);
  const abort = new AbortController();
  const first = new VAR(tinyVAR);
  const cut = await trainVAR(first, quantizer, set, set, {
    ...options,
    checkpointDir: dir,
    signal: abort.signal,
    onMetrics: (m) => {
      if (m.step === 6) abort.abort();
    },
  });
  first.dispose();
  assertEquals([cut.steps, cut.interrupted], [6, true]);
  const { model: again } = await loadCheckpoint(dir, (c: VARConfig) => new VAR(c));
  const rest = await trainVAR(again, quantizer, set, set, {
    ...options,
    checkpointDir: dir,
    resume: true,
  });
  assertEquals([rest.steps, rest.history.map((m) => m.step)], [9, [3, 6, 9]]);
  for (const [name, v] of straight.variables()) {
    assertClose(again.variables().get(name)!, v, 1e-5, name);
  }
  straight.dispose();
  again.dispose();
});

Deno.test("evaluateVAR: the loss and the last scale's loss are the mean cross-entropy over their tokens", () => {
  const set = tokenize(tokenizer, data);
  const model = new VAR(tinyVAR);
  const e = evaluateVAR(model, quantizer, set, 20, 8); // three batches, the last one short
  const [all, last] = tf.tidy(() => {
    const b = tokenBatch(set, Int32Array.from({ length: 20 }, (_, i) => i));
    const logits = model.forward(b.labels, quantizer.idxBlToVarInput(b.idxBl));
    const nll = tf.neg(tf.logSoftmax(logits).mul(tf.oneHot(b.tokBL, 16)).sum(2)); // [20, L]
    const tail = nll.slice([0, set.L - 49], [-1, 49]);
    tf.dispose([b.tokBL, b.labels, ...b.idxBl]);
    return [nll.mean().dataSync()[0], tail.mean().dataSync()[0]];
  });
  assert(Math.abs(e.loss - all) < 1e-5, `loss ${e.loss} vs ${all}`);
  assert(Math.abs(e.lastScaleLoss - last) < 1e-5, `last scale ${e.lastScaleLoss} vs ${last}`);
  assert(Math.abs(e.lastScaleLoss - e.loss) > 1e-4, "the last scale is not the whole sequence");
  model.dispose();
});

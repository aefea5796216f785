/**
 * Quantizer benchmark (not a test): nearest-code search throughput for N = 16384 vectors,
 * C = 32, V = 4096, and the cost of one training step (forward + backward + Adam) of the
 * single-scale and the multi-scale quantizer, on the backend in use.
 *
 *   deno task bench:quantizer            (VQVAR_BACKEND=cpu|wasm to compare)
 */
import { backendName, tf } from "../lib/core/backend.ts";
import { MultiScaleQuantizer } from "../lib/quant/multiscale.ts";
import { nearestCode } from "../lib/quant/nearest.ts";
import { cachedTensors } from "../lib/core/tensor_caches.ts";
import { VectorQuantizer } from "../lib/quant/vector_quantizer.ts";
import { quantizerStep } from "../testing/quantizer_step.ts";

function timeIt(label: string, reps: number, fn: () => void): number {
  try {
    fn(); // warm-up: kernels, caches, optimizer slots
  } catch (err) {
    console.log(`${label.padEnd(58)} not on ${backendName}: ${(err as Error).message}`);
    return NaN;
  }
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  const ms = (performance.now() - t0) / reps;
  console.log(`${label.padEnd(58)} ${ms.toFixed(2).padStart(9)} ms`);
  return ms;
}

const reps = backendName === "tensorflow" ? 10 : 2;
console.log(`backend: ${backendName}`);

const [n, c, v] = [16384, 32, 4096];
const z = tf.randomNormal([n, c]) as tf.Tensor2D;
const e = tf.randomNormal([v, c]) as tf.Tensor2D;
const ms = timeIt(`nearest code, N=${n} C=${c} V=${v}`, reps, () => {
  nearestCode(z, e).dataSync();
});
console.log(
  `${"  throughput".padEnd(58)} ${(n / ms * 1000 / 1e6).toFixed(2).padStart(9)} M vectors/s`,
);

const before = tf.memory().numTensors;
{
  // Single scale: B=128 feature maps of 7x7x32, V=512 (the notebooks' Fashion-MNIST size).
  const vq = new VectorQuantizer({ vocabSize: 512, cvae: 32 });
  const f = tf.variable(tf.randomNormal([128, 7, 7, 32]));
  const opt = tf.train.adam(1e-3);
  timeIt("VectorQuantizer train step, B=128 7x7x32 V=512", reps, () => {
    opt.minimize(
      () => {
        const o = vq.forward(f as tf.Tensor4D, { training: true });
        return o.fHat.square().mean().add(o.loss) as tf.Scalar;
      },
      false,
      [f, vq.codebook],
    )?.dispose();
    tf.tidy(() => f.sum().dataSync()); // wait for the step to finish
  });
  tf.dispose([f]);
  opt.dispose();
  vq.dispose();
}
{
  const q = new MultiScaleQuantizer({ vocabSize: 512, cvae: 32, patchNums: [1, 2, 3, 5, 7] });
  const f = tf.variable(tf.randomNormal([128, 7, 7, 32]));
  const opt = tf.train.adam(1e-3);
  timeIt("MultiScaleQuantizer train step, B=128 7x7x32 V=512 pn 1..7", reps, () => {
    quantizerStep(q, f, opt);
    tf.tidy(() => f.sum().dataSync());
  });
  tf.dispose([f]);
  opt.dispose();
  q.dispose();
}
tf.dispose([z, e]);
const cached = cachedTensors().total;
const left = tf.memory().numTensors - before - cached;
console.log(`tensors left over (besides ${cached} kept by lib's caches): ${left}`);

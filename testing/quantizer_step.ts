/** One training step of a multi-scale quantizer on a free input, for tests and benchmarks. */
import type { tf } from "../lib/core/backend.ts";
import type { MultiScaleQuantizer } from "../lib/quant/multiscale.ts";

/**
 * One Adam step of `opt` on `mean(f̂²) + loss` with respect to the input `f` and the quantizer's
 * variables: the forward pass with the straight-through output, the VQ loss and φ all trained.
 */
export function quantizerStep(q: MultiScaleQuantizer, f: tf.Variable, opt: tf.Optimizer): void {
  opt.minimize(
    () => {
      const o = q.forward(f as tf.Tensor4D, { training: true });
      return o.fHat.square().mean().add(o.loss) as tf.Scalar;
    },
    false,
    [f, ...q.trainableVariables],
  );
}

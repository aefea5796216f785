/** The codebook checks both quantizers share. */
import type { tf } from "../core/backend.ts";
import { checkTensor } from "../core/validate.ts";
import { InputError } from "../core/errors.ts";

/** Assigns `embedding` to `q.codebook` after checking it is `[vocabSize, cvae]`. */
export function assignCodebook(
  q: { vocabSize: number; cvae: number; codebook: tf.Variable<tf.Rank.R2> },
  embedding: tf.Tensor2D,
): void {
  const layout = `[vocabSize=${q.vocabSize}, cvae=${q.cvae}]`;
  checkTensor(embedding, "embedding", 2, layout);
  if (embedding.shape[0] !== q.vocabSize || embedding.shape[1] !== q.cvae) {
    throw new InputError(`embedding must be ${layout}, got [${embedding.shape}]`);
  }
  q.codebook.assign(embedding);
}

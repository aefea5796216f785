/**
 * `claim`: a notebook's sentence about its own result, checked where the result is computed.
 *
 * A tutorial that says "β = 2 closes the gap most" must not go on saying it after a change makes
 * it false. The cell that measures the gap calls `claim(gapAt2 < gapAt01, "…")`: the sentence is
 * printed with a check mark beside the numbers it rests on, or the cell fails with it, so the
 * notebook test fails too.
 *
 * @module
 */

/** Thrown by {@link claim} when the measured values contradict the sentence. */
export class ClaimError extends Error {
  /** `statement` is the sentence that no longer holds. */
  constructor(readonly statement: string) {
    super(`claim failed: ${statement}`);
    this.name = "ClaimError";
  }
}

/**
 * Checks a statement about measured values: prints `✓ statement` when `holds` is true, throws a
 * {@link ClaimError} naming the statement when it is false.
 *
 * @example
 * ```ts
 * import { claim } from "vqvar";
 * const psnr = { single: 18.2, multi: 19.1 };
 * claim(psnr.multi > psnr.single, `multi-scale reconstructs better: ${psnr.multi} dB > ${psnr.single} dB`);
 * ```
 */
export function claim(holds: boolean, statement: string): void {
  if (!holds) throw new ClaimError(statement);
  console.log(`✓ ${statement}`);
}

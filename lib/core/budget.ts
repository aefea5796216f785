/**
 * One knob for the length of the notebooks' training runs: the environment variable
 * `VQVAR_BUDGET`, a number in (0, 1] (default 1) that scales every training budget (steps and
 * minutes) a notebook asks for through {@link scaledBudget}. The live JupyterLab check of
 * `./vqvar test` sets it (scripts/check/lab_check.ts) to run the notebooks that train quickly
 * under both kernels; those notebooks print it.
 */
import process from "node:process";
import { InputError } from "./errors.ts";

/** The scale of training budgets: `VQVAR_BUDGET`, a number in (0, 1]; 1 when unset. */
export function budgetScale(): number {
  const raw = process.env.VQVAR_BUDGET?.trim();
  if (!raw) return 1;
  const scale = Number(raw);
  if (!(scale > 0 && scale <= 1)) {
    throw new InputError(`VQVAR_BUDGET=${raw} is not a number in (0, 1]; unset it for full runs`);
  }
  return scale;
}

/**
 * A training budget scaled by {@link budgetScale}: `steps` (at least 1) and `minutes`.
 *
 * @example
 * ```ts
 * import { scaledBudget } from "./budget.ts";
 * // { steps: 500, minutes: 1.25 } as asked, or a quarter of it with VQVAR_BUDGET=0.25
 * const { steps, minutes } = scaledBudget({ steps: 500, minutes: 1.25 });
 * ```
 */
export function scaledBudget(budget: { steps: number; minutes: number }): {
  steps: number;
  minutes: number;
} {
  const s = budgetScale();
  return { steps: Math.max(1, Math.round(budget.steps * s)), minutes: budget.minutes * s };
}

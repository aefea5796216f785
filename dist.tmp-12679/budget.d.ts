/** The scale of training budgets: `VQVAR_BUDGET`, a number in (0, 1]; 1 when unset. */
export declare function budgetScale(): number;
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
export declare function scaledBudget(budget: {
    steps: number;
    minutes: number;
}): {
    steps: number;
    minutes: number;
};

/// <reference lib="dom" />
/** Reading a number a learner typed, with a plain-words message when it is not allowed. */

/** What a field allows. */
export interface NumberRule {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer?: boolean;
}

/**
 * The number in `input` if `rule` allows it; else a message naming the field, what it holds and
 * what is allowed (e.g. "Seed must be a whole number from 0 to 4294967295; “1.5” is not."). Marks
 * the field `aria-invalid` accordingly.
 */
export function readNumber(
  input: HTMLInputElement,
  name: string,
  rule: NumberRule,
): number | string {
  const allowed = `${rule.integer ? "a whole number" : "a number"} from ${rule.min} to ${rule.max}`;
  const text = input.value.trim();
  const value = Number(text);
  const problem = input.validity.badInput
    ? "what is typed is not a number"
    : text === ""
    ? "the field is empty"
    : !Number.isFinite(value) || value < rule.min || value > rule.max
    ? `${text} is outside that range`
    : rule.integer && !Number.isInteger(value)
    ? `${text} is not a whole number`
    : undefined;
  input.setAttribute("aria-invalid", String(problem !== undefined));
  return problem ? `${name} must be ${allowed}: ${problem}.` : value;
}

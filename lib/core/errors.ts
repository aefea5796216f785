/**
 * The one error class for bad input from outside the program: a data file that is missing,
 * truncated or of the wrong kind, an image that does not decode, a checkpoint of another model,
 * a bad option value. Command lines print its message as one line and exit 2; any other error
 * is a bug.
 *
 * @example
 * ```ts
 * import { InputError, VQVAE } from "vqvar";
 * import { assertThrows } from "@std/assert";
 * assertThrows(() => new VQVAE({ imageSize: 30 }), InputError, "imageSize 30");
 * ```
 */
export class InputError extends Error {
  /** `message` says what is wrong and what is allowed, in one line. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InputError";
  }
}

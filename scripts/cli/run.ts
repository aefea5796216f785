/**
 * The command lines' one error path and their long-run plumbing:
 *
 * - `runCommand` parses the options (printing `--help`), runs the command, and turns errors
 *   into one line on stderr: bad input (`InputError`) exits 2, a loss that became NaN or
 *   infinite exits 1 with where the last good checkpoint is, anything else (a bug) exits 1.
 *   `--debug` adds the stack trace.
 * - `interruptSignal` turns the first Ctrl-C into an `AbortSignal` the trainers stop at (they
 *   save, the command writes its report, then exits 130); a second Ctrl-C exits at once.
 * - `progressLine` prints step, loss, steps/s and ETA (at most once a second: the trainers'
 *   loop reports no more often).
 */
import process from "node:process";
import { InputError } from "../../lib/core/errors.ts";
import type { LoopProgress } from "../../lib/train/loop.ts";
import { NonFiniteLossError } from "../../lib/train/loop.ts";
import { readCheckpointManifest } from "../../lib/train/checkpoint.ts";
import { type CommandSpec, helpText, parseCommand, type ParsedOptions } from "./options.ts";

/** Where the last good checkpoint of a run whose loss went bad is, for the error line. */
export async function lastGood(checkpointDir: string): Promise<string> {
  try {
    const m = await readCheckpointManifest(checkpointDir);
    return `the last good checkpoint is ${checkpointDir}/ (step ${m.metrics.steps}); ` +
      "try a lower --lr";
  } catch {
    return "no checkpoint was saved before (try a lower --lr)";
  }
}

/** The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells use. */
export const EXIT_INTERRUPTED = 130;
/** The exit code of bad input. */
export const EXIT_USAGE = 2;

/** What a command's body gets. */
export interface CommandContext {
  /** The checked options. */
  options: ParsedOptions;
  /** Aborted on the first Ctrl-C. */
  signal: AbortSignal;
  /** Prints one line on stdout, prefixed with the command's name. */
  say: (line: string) => void;
  /** Shows training progress (see {@link progressPrinter}). */
  progress: (p: LoopProgress) => void;
}

/**
 * Runs `body` as the command `spec` describes; exits with its code (0, or what it returns).
 */
export async function runCommand(
  spec: CommandSpec,
  prefix: string,
  body: (ctx: CommandContext) => Promise<number | void>,
): Promise<never> {
  const args = Deno.args;
  const debug = args.includes("--debug");
  let code: number;
  try {
    const { help, options } = parseCommand(spec, args);
    if (help) {
      console.log(helpText(spec));
      Deno.exit(0);
    }
    const signal = interruptSignal((line) => console.error(`[${prefix}] ${line}`));
    const printer = progressPrinter(prefix);
    code = (await body({ options, signal, say: printer.line, progress: printer.progress })) ?? 0;
  } catch (err) {
    code = report(err, debug);
  }
  Deno.exit(code);
}

function report(err: unknown, debug: boolean): number {
  const e = err instanceof Error ? err : new Error(String(err));
  const first = e.message.split("\n")[0];
  if (e instanceof InputError) {
    console.error(`error: ${first}`);
    if (debug) console.error(e.stack);
    return EXIT_USAGE;
  }
  if (e instanceof NonFiniteLossError) {
    console.error(`error: ${first}${e.cause ? `; ${e.cause}` : ""}`);
    if (debug) console.error(e.stack);
    return 1;
  }
  console.error(`error: ${first}${debug ? "" : " (run with --debug for the stack trace)"}`);
  if (debug) console.error(e.stack);
  return 1;
}

/**
 * An `AbortSignal` that aborts on the first Ctrl-C (SIGINT); a second Ctrl-C exits at once
 * with 130.
 */
export function interruptSignal(say: (line: string) => void): AbortSignal {
  const controller = new AbortController();
  Deno.addSignalListener("SIGINT", () => {
    if (controller.signal.aborted) {
      say("second Ctrl-C: exiting without saving");
      Deno.exit(EXIT_INTERRUPTED);
    }
    say("Ctrl-C: stopping after this step, saving a checkpoint and the report (again to quit)");
    controller.abort();
  });
  return controller.signal;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/** Progress as one line: `step 120 (8 %)  loss 0.0151  7.9 steps/s  ETA 2:31`. */
export function formatProgress(p: LoopProgress): string {
  return `step ${p.step} (${(100 * p.fraction).toFixed(0)} %)  loss ${p.loss.toPrecision(4)}  ${
    p.stepsPerSecond.toFixed(1)
  } steps/s  ETA ${clock(p.etaSeconds)}`;
}

/**
 * A progress printer: on a terminal it rewrites one status line in place (`\r`); otherwise
 * (a log file, a pipe) it prints a line per report. `line` prints other output so that it does
 * not mix with the status line.
 */
export function progressPrinter(prefix: string): {
  progress: (p: LoopProgress) => void;
  line: (text: string) => void;
} {
  const tty = process.stdout.isTTY;
  let open = false;
  return {
    progress: (p) => {
      const text = `[${prefix}] ${formatProgress(p)}`;
      if (tty) {
        process.stdout.write(`\r${text}\x1b[K`);
        open = true;
      } else console.log(text);
    },
    line: (text) => {
      if (open) process.stdout.write("\n");
      open = false;
      console.log(`[${prefix}] ${text}`);
    },
  };
}

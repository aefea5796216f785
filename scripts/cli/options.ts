/**
 * The command lines' one argument parser: a table of options (name, kind, default, help) read
 * by `node:util`'s `parseArgs` (strict), then each value checked against its kind. A bad
 * option or value is an `InputError` whose message says what is wrong and what is allowed;
 * `helpText` prints the same table.
 */
import { parseArgs } from "node:util";
import { InputError } from "../../lib/core/errors.ts";

/** What values an option takes. */
export type OptionKind =
  | { kind: "int"; min: number }
  | { kind: "number"; above: number; min?: undefined }
  | { kind: "number"; min: number; above?: undefined }
  | { kind: "choice"; values: readonly string[] }
  | { kind: "ints" }
  | { kind: "numbers" }
  | { kind: "text"; placeholder: string }
  | { kind: "flag" };

/** One option of a command. */
export type OptionSpec = OptionKind & {
  /** `--name`. */
  name: string;
  /** One line of help. */
  help: string;
  /** The value when not given (none: the option is unset). */
  default?: string;
};

/** A command's name, summary, options and examples. */
export interface CommandSpec {
  /** e.g. `deno task train`. */
  usage: string;
  /** What it does, a paragraph. */
  summary: string;
  /** Every option. `--help` and `--debug` are added. */
  options: OptionSpec[];
  /** Example command lines with a comment each. */
  examples: [string, string][];
}

const COMMON: OptionSpec[] = [
  { name: "debug", kind: "flag", help: "on an error, print its stack trace too" },
  { name: "help", kind: "flag", help: "print this help and exit" },
];

/** The values of a parsed command line, typed by the accessor. */
export class ParsedOptions {
  constructor(private readonly values: Record<string, string | boolean | undefined>) {}

  /** Whether the option has a value (given, or a default). */
  has(name: string): boolean {
    return this.values[name] !== undefined && this.values[name] !== false;
  }
  /** A `text` or `choice` option's value. */
  text(name: string): string {
    return this.values[name] as string;
  }
  /** An `int` or `number` option's value (already checked). */
  num(name: string): number {
    return Number(this.values[name]);
  }
  /** An `ints` option's value. */
  ints(name: string): number[] {
    return String(this.values[name]).split(",").map(Number);
  }
  /** A `numbers` option's value. */
  numbers(name: string): number[] {
    return String(this.values[name]).split(",").map(Number);
  }
  /** A flag. */
  flag(name: string): boolean {
    return this.values[name] === true;
  }
}

function describe(o: OptionSpec): string {
  switch (o.kind) {
    case "int":
      return `an integer ≥ ${o.min}`;
    case "number":
      return o.min !== undefined ? `a number ≥ ${o.min}` : `a number > ${o.above}`;
    case "choice":
      return `one of ${o.values.join(", ")}`;
    case "ints":
      return "integers separated by commas";
    case "numbers":
      return "positive numbers separated by commas";
    case "text":
      return o.placeholder;
    case "flag":
      return "a flag";
  }
}

function check(o: OptionSpec, raw: string): void {
  const bad = () =>
    new InputError(`--${o.name} must be ${describe(o)}, got ${JSON.stringify(raw)}`);
  const isNum = (s: string) => s.trim() !== "" && Number.isFinite(Number(s));
  switch (o.kind) {
    case "int":
      if (!isNum(raw) || !Number.isInteger(Number(raw)) || Number(raw) < o.min) throw bad();
      break;
    case "number":
      if (!isNum(raw) || !(o.min !== undefined ? Number(raw) >= o.min : Number(raw) > o.above!)) {
        throw bad();
      }
      break;
    case "choice":
      if (!o.values.includes(raw)) throw bad();
      break;
    case "ints":
      if (!raw.split(",").every((s) => isNum(s) && Number.isInteger(Number(s)) && +s > 0)) {
        throw bad();
      }
      break;
    case "numbers":
      if (!raw.split(",").every((s) => isNum(s) && +s > 0)) throw bad();
      break;
    case "text":
      if (raw === "") throw bad();
  }
}

/**
 * Parses `args` against `spec`. Returns `help: true` when `--help` was given (nothing else is
 * checked then); otherwise every value is checked, defaults filled in.
 */
export function parseCommand(
  spec: CommandSpec,
  args: string[],
): { help: boolean; options: ParsedOptions } {
  const all = [...spec.options, ...COMMON];
  const config = Object.fromEntries(
    all.map((o) => [o.name, { type: o.kind === "flag" ? "boolean" : "string" }] as const),
  );
  // `--minutes -1`: a value that starts with a dash is the option's value when the option takes
  // one (parseArgs would call it "ambiguous"); the check below then says what is allowed.
  const valued = new Set(all.filter((o) => o.kind !== "flag").map((o) => `--${o.name}`));
  const joined = args.flatMap((a, i) =>
    valued.has(a) && /^-[\d.]/.test(args[i + 1] ?? "")
      ? [`${a}=${args[i + 1]}`]
      : i > 0 && valued.has(args[i - 1]) && /^-[\d.]/.test(a)
      ? []
      : [a]
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: joined,
      options: config,
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    if (args.includes("--help") || args.includes("-h")) {
      return { help: true, options: new ParsedOptions({}) };
    }
    throw new InputError(
      `${parseError(err as Error & { code?: string })}; see ${spec.usage} --help`,
    );
  }
  if (values.help) return { help: true, options: new ParsedOptions(values) };
  for (const o of all) {
    const v = values[o.name];
    if (typeof v === "string") check(o, v);
    else if (v === undefined && o.default !== undefined) values[o.name] = o.default;
  }
  return { help: false, options: new ParsedOptions(values) };
}

/** `parseArgs`'s error as one short clause. */
function parseError(err: Error & { code?: string }): string {
  const m = err.message;
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const name = /'([^']+)'/.exec(m)?.[1] ?? m;
      return `unknown option ${name}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const name = /'(--[\w-]+)/.exec(m)?.[1];
      return name && /argument missing/.test(m)
        ? `${name} needs a value`
        : `${name ?? "an option"}: ${m.split("\n")[0]}`;
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const arg = /'([^']+)'/.exec(m)?.[1] ?? m;
      return `unexpected argument ${JSON.stringify(arg)} (options start with --)`;
    }
    default:
      return m.split("\n")[0];
  }
}

/** The `--help` text: usage, summary, every option with its values and default, examples. */
export function helpText(spec: CommandSpec): string {
  const all = [...spec.options, ...COMMON];
  const placeholder = {
    int: "N",
    number: "X",
    choice: "NAME",
    ints: "LIST",
    numbers: "LIST",
  } as const;
  const left = all.map((o) =>
    o.kind === "flag"
      ? `--${o.name}`
      : `--${o.name} ${o.kind === "text" ? o.placeholder : placeholder[o.kind]}`
  );
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const lines = [`Usage: ${spec.usage} [options]`, "", spec.summary, "", "Options:"];
  all.forEach((o, i) => {
    const values = o.kind === "flag" || o.kind === "text" ? "" : ` (${describe(o)})`;
    const dflt = o.default !== undefined ? ` [default: ${o.default}]` : "";
    lines.push(`  ${left[i].padEnd(width)}${o.help}${values}${dflt}`);
  });
  lines.push("", "Examples:");
  for (const [cmd, what] of spec.examples) lines.push(`  # ${what}`, `  ${cmd}`);
  return lines.join("\n");
}

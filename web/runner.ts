/// <reference lib="dom" />
/**
 * One run at a time on the page. While a job runs, every control is disabled, the body carries
 * `data-busy` (and `data-jobs` counts the jobs that have ended), and the job's section says what
 * is working; a click that arrives meanwhile is
 * ignored (`run`), a call from code waits its turn (`queue`). A job that fails shows its error
 * in its section's status line, in plain words.
 */

/** Where a job reports: a section's status line (an aria-live region). */
export interface StatusLine {
  /** Shows `text`: `working` while a job runs, `error` for a failure, `info` otherwise. */
  say(text: string, kind?: "info" | "working" | "error"): void;
  /** The kind of what it shows now. */
  readonly kind: "info" | "working" | "error";
}

/** A status line on a `<p>` element. */
export function statusLine(el: HTMLElement): StatusLine {
  let shown: StatusLine["kind"] = "info";
  return {
    say(text, kind = "info") {
      el.textContent = text;
      el.className = `status ${kind}`;
      shown = kind;
    },
    get kind() {
      return shown;
    },
  };
}

/** Lets the browser paint and handle input before the next piece of work. */
const nextFrame = (): Promise<void> =>
  new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/** Runs the page's jobs one at a time. */
export class Runner {
  #tail: Promise<unknown> = Promise.resolve();
  #busy = false;
  #finished = 0;

  constructor(private readonly controls: () => Iterable<HTMLElement & { disabled: boolean }>) {}

  /** True while a job runs. */
  get busy(): boolean {
    return this.#busy;
  }

  /**
   * Runs `job` now, unless another is running: then does nothing and resolves `undefined` (a
   * second click on a busy page). Errors are shown on `status`, not thrown.
   */
  run<T>(status: StatusLine, what: string, job: () => Promise<T>): Promise<T | undefined> {
    if (this.#busy) return Promise.resolve(undefined);
    return this.queue(status, what, job).catch(() => undefined);
  }

  /** Runs `job` after the jobs before it; rejects with its error (also shown on `status`). */
  queue<T>(status: StatusLine, what: string, job: () => Promise<T>): Promise<T> {
    const result = this.#tail.catch(() => {}).then(() => this.#exclusive(status, what, job));
    this.#tail = result;
    return result;
  }

  async #exclusive<T>(status: StatusLine, what: string, job: () => Promise<T>): Promise<T> {
    this.#busy = true;
    const focused = document.activeElement as HTMLElement | null;
    const disabled = [...this.controls()].filter((c) => !c.disabled);
    for (const c of disabled) c.disabled = true;
    document.body.dataset.busy = "true";
    status.say(`working: ${what}…`, "working");
    try {
      await nextFrame(); // show the working state before the work starts
      const result = await job();
      if (status.kind === "working") status.say(""); // the job said nothing else
      return result;
    } catch (err) {
      status.say(err instanceof Error ? err.message : String(err), "error");
      throw err;
    } finally {
      for (const c of disabled) c.disabled = false;
      delete document.body.dataset.busy;
      // Disabling the focused control moved focus to the page: give it back.
      if (focused && document.activeElement === document.body) focused.focus();
      this.#busy = false;
      // How many jobs have ended: what a check awaits after an action that starts one.
      document.body.dataset.jobs = String(++this.#finished);
    }
  }
}

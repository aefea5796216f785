/// <reference lib="dom" />
/** The page's side of the model worker: start it, ask it for jobs, hear their progress. */
import type { Ready, Reply, Request, Results } from "./protocol.ts";

/**
 * A scale decided during a generation, the time so far, and the image after it (the first
 * sample's) when the job asked for it.
 */
export interface Progress {
  scale: number;
  pixels?: Float32Array;
  ms: number;
}

interface Pending {
  resolve(result: unknown): void;
  reject(err: Error): void;
  onProgress?: (p: Progress) => void;
}

/** The model worker (`worker.js` beside the page, given the page's query for `?backend=`). */
export class ModelWorker {
  /** Resolves once the models are loaded, with what the page needs to know. */
  readonly ready: Promise<Ready>;
  #worker: Worker;
  #next = 1;
  #pending = new Map<number, Pending>();

  /** `onFatal` hears a failure that stops the worker (models not loaded, a crash). */
  constructor(onFatal: (message: string) => void) {
    this.#worker = new Worker(new URL(`worker.js${location.search}`, location.href), {
      type: "module",
    });
    let started: (r: Ready) => void;
    this.ready = new Promise((r) => (started = r));
    this.#worker.addEventListener("error", (e) => onFatal(e.message || "the model worker failed"));
    this.#worker.addEventListener("message", (e: MessageEvent<Reply>) => {
      const m = e.data;
      if (m.kind === "ready") return started(m);
      if (m.kind === "fatal") return onFatal(m.message);
      const job = this.#pending.get(m.id);
      if (!job) return;
      if (m.kind === "progress") return job.onProgress?.(m);
      this.#pending.delete(m.id);
      if (m.kind === "result") job.resolve(m.result);
      else job.reject(new Error(m.message));
    });
  }

  /** Asks for one job; resolves with its result, rejects with its error in plain words. */
  ask<K extends Request["op"]>(
    request: Extract<Request, { op: K }>,
    onProgress?: (p: Progress) => void,
  ): Promise<Results[K]> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (r: unknown) => void, reject, onProgress });
      this.#worker.postMessage({ id, request });
    });
  }
}

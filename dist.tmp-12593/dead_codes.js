var __vqvarModuleUrl = require("node:url").pathToFileURL(__filename).href;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// lib/dead_codes.ts
var dead_codes_exports = {};
__export(dead_codes_exports, {
  DeadCodeTracker: () => DeadCodeTracker
});
module.exports = __toCommonJS(dead_codes_exports);
var import_backend = require("./backend.js");
var DeadCodeTracker = class {
  constructor(vocabSize, dim, recentSize, rand) {
    this.vocabSize = vocabSize;
    this.dim = dim;
    this.rand = rand;
    this.hits = import_backend.tf.tidy(() => import_backend.tf.variable(import_backend.tf.zeros([vocabSize]), false));
    this.recent = import_backend.tf.tidy(() => import_backend.tf.variable(import_backend.tf.zeros([recentSize, dim]), false));
  }
  vocabSize;
  dim;
  rand;
  /** How often each code was chosen since the last restart: `[V]`. */
  hits;
  /** The most recent vectors seen: `[recentSize, C]`, newest last. */
  recent;
  filled = 0;
  /** Adds code hits (`countsV`, `[V]`, e.g. from `codeCounts`). */
  addHits(countsV) {
    import_backend.tf.tidy(() => this.hits.assign(this.hits.add(countsV)));
  }
  /** Keeps the newest vectors of `zNc` (`[N, C]`; a random `recentSize` of them when more). */
  remember(zNc) {
    import_backend.tf.tidy(() => {
      const r = this.recent.shape[0];
      const n = zNc.shape[0];
      const take = Math.min(n, r);
      let rows = zNc;
      if (take < n) {
        const pick = new Int32Array(take);
        for (let i = 0; i < take; i++) pick[i] = Math.floor(this.rand() * n);
        rows = import_backend.tf.gather(zNc, import_backend.tf.tensor1d(pick, "int32"));
      }
      this.recent.assign(import_backend.tf.concat([this.recent.slice([take, 0], [r - take, this.dim]), rows]));
      this.filled = Math.min(r, this.filled + take);
    });
  }
  /**
   * Moves dead codes of `codebook` onto random recent vectors and resets the counts. `then`
   * receives the dead indices (`int32 [D, 1]`) and their new vectors (`[D, C]`) inside the
   * same tidy scope, for state that must follow (EMA sums). Returns how many were restarted.
   */
  restart(codebook, { minCount = 1, noise = 0 } = {}, then) {
    if (this.filled === 0) return 0;
    const hits = this.hits.dataSync();
    const dead = [];
    for (let i = 0; i < hits.length; i++) if (hits[i] < minCount) dead.push(i);
    import_backend.tf.tidy(() => {
      if (dead.length) {
        const r = this.recent.shape[0];
        const picks = new Int32Array(dead.length);
        for (let i = 0; i < picks.length; i++) {
          picks[i] = r - 1 - Math.floor(this.rand() * this.filled);
        }
        let fresh = import_backend.tf.gather(this.recent, import_backend.tf.tensor1d(picks, "int32"));
        if (noise > 0) fresh = fresh.add(import_backend.tf.randomNormal(fresh.shape, 0, noise));
        const deadIdx = import_backend.tf.tensor2d(dead, [dead.length, 1], "int32");
        codebook.assign(import_backend.tf.tensorScatterUpdate(codebook, deadIdx, fresh));
        then?.(deadIdx, fresh);
      }
      this.hits.assign(import_backend.tf.zerosLike(this.hits));
    });
    return dead.length;
  }
  dispose() {
    import_backend.tf.dispose([this.hits, this.recent]);
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  DeadCodeTracker
});
//# sourceMappingURL=dead_codes.js.map

/**
 * Builds `lib/` for Node as the package `vqvar`, so that the tslab kernel (TypeScript 5.0,
 * Node10 module resolution, CommonJS under Node 20) imports the library with the same bare
 * specifier as Deno does through `deno.json`'s import map: `import { … } from "vqvar"`.
 *
 * - JavaScript: esbuild, one CommonJS file per module of `lib/` (tests left out), in `dist/`
 *   beside `lib/`, so paths a module computes from `import.meta.url` (the shipped `data/`)
 *   stay right. Relative `.ts` imports become `.js` requires; npm packages stay external.
 * - Declarations: `tsc --emitDeclarationOnly` (TypeScript 7), one `.d.ts` per module.
 * - `dist/package.json` names the package (`main`, `types`), and `node_modules/vqvar` links
 *   to `dist/`, where `require("vqvar")` and TypeScript's Node10 resolution look from
 *   `notebooks/`.
 *
 * Cached: a content hash of `lib/` (and of this script and the lock file) is stamped into
 * `dist/`; nothing is rebuilt while it matches. Setup and the tslab kernel's launcher run
 * this, so an edit to `lib/` is seen by the next tslab kernel start.
 *
 * Usage: deno run -A scripts/build/build_node.ts [--force] [--quiet]
 */
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const libDir = join(root, "lib");
const outDir = join(root, "dist");
const link = join(root, "node_modules", "vqvar");
const force = Deno.args.includes("--force");
const quiet = Deno.args.includes("--quiet");

/** The library's modules: every `.ts` under lib/ but tests and test data. */
function libraryFiles(dir = libDir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== "testdata") out.push(...libraryFiles(p));
    else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) out.push(p);
  }
  return out.sort();
}

const files = libraryFiles();
const hash = createHash("sha256");
for (const f of [...files, fileURLToPath(import.meta.url), join(root, "package-lock.json")]) {
  hash.update(relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
}
const digest = hash.digest("hex").slice(0, 16);
const stampFile = join(outDir, ".stamp");

function linkPackage(): void {
  // node_modules/vqvar -> ../dist (npm ci removes it with the rest of node_modules).
  let ok = false;
  try {
    ok = lstatSync(link).isSymbolicLink() && existsSync(join(link, "package.json"));
  } catch { /* missing */ }
  if (!ok) {
    rmSync(link, { recursive: true, force: true });
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), outDir), link, "dir");
  }
}

if (!force && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === digest) {
  linkPackage();
  Deno.exit(0);
}

const t0 = performance.now();
const staging = `${outDir}.tmp-${Deno.pid}`;
rmSync(staging, { recursive: true, force: true });
// A failed build leaves no half-written folder behind (and the last good dist/ in place).
globalThis.addEventListener("unload", () => rmSync(staging, { recursive: true, force: true }));

// Every relative import stays a separate module: `./x.ts` -> require("./x.js").
const keepModulesApart: esbuild.Plugin = {
  name: "keep-modules-apart",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\//, namespace: "file" }, (args) => {
      if (args.kind === "entry-point") return undefined;
      return { path: args.path.replace(/\.ts$/, ".js"), external: true };
    });
  },
};

await esbuild.build({
  entryPoints: files,
  outdir: staging,
  outbase: libDir,
  bundle: true,
  packages: "external",
  plugins: [keepModulesApart],
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: "linked",
  sourcesContent: false,
  logLevel: "warning",
  // CommonJS has no import.meta: give each module its own file URL, as ESM would.
  define: { "import.meta.url": "__vqvarModuleUrl" },
  banner: { js: 'var __vqvarModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
await esbuild.stop();

const tsconfig = join(staging, "tsconfig.json");
writeFileSync(
  tsconfig,
  JSON.stringify({
    compilerOptions: {
      target: "es2022",
      module: "preserve",
      moduleResolution: "bundler",
      declaration: true,
      emitDeclarationOnly: true,
      allowImportingTsExtensions: true,
      noCheck: true,
      skipLibCheck: true,
      strict: true,
      types: ["node"],
      typeRoots: [join(root, "node_modules", "@types")],
      rootDir: libDir,
      outDir: staging,
    },
    files,
  }),
);
// Not node_modules/.bin/tsc: tslab's own TypeScript 5.0 also installs a `tsc` there.
const tsc = await new Deno.Command(join(root, "node_modules", "typescript", "bin", "tsc"), {
  args: ["-p", tsconfig],
  stdout: "inherit",
  stderr: "inherit",
}).output();
if (!tsc.success) {
  console.error("[build] tsc failed to write the declarations of lib/");
  Deno.exit(1);
}
rmSync(tsconfig);

writeFileSync(
  join(staging, "package.json"),
  JSON.stringify(
    {
      name: "vqvar",
      private: true,
      description: "vqvar's lib/ built for Node (CommonJS + declarations); do not edit",
      main: "mod.js",
      types: "mod.d.ts",
    },
    null,
    2,
  ) + "\n",
);
writeFileSync(join(staging, ".stamp"), digest + "\n");
rmSync(outDir, { recursive: true, force: true });
renameSync(staging, outDir);
linkPackage();
if (!quiet) {
  console.error(
    `[build] lib/ -> dist/ for Node (${files.length} modules) in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s`,
  );
}

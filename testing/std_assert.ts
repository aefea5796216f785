/**
 * `@std/assert` for this project. JSR (where Deno's standard library lives) cannot be reached
 * from every machine this project is set up on, while the npm registry can: the npm package
 * `deno-std` (pinned in package.json) ships the same @std modules compiled to JavaScript,
 * without type declarations. This module gives them @std/assert's published signatures.
 * With JSR reachable, point "@std/assert" in deno.json at "jsr:@std/assert@^1" instead.
 */
// @ts-types="./std_assert.d.ts"
export * from "../node_modules/deno-std/assert/mod.js";

/**
 * The project's own lint rules, run by `deno lint` (deno.json `lint.plugins`):
 *
 * - `vqvar/max-function-lines`: a function (declaration, expression, arrow or method) in `lib/`
 *   or `scripts/` spans at most 60 lines, from its first token to its closing brace. A longer one
 *   is split into named steps.
 */

/** Longest function allowed, in lines. */
export const MAX_FUNCTION_LINES = 60;

const plugin: Deno.lint.Plugin = {
  name: "vqvar",
  rules: {
    "max-function-lines": {
      create(context) {
        if (!/\/(lib|scripts)\//.test(context.filename)) return {};
        const text = context.sourceCode.text;
        const check = (node: Deno.lint.Node) => {
          const [start, end] = node.range;
          const lines = text.slice(start, end).split("\n").length;
          if (lines > MAX_FUNCTION_LINES) {
            context.report({
              node,
              message: `a function of ${lines} lines (at most ${MAX_FUNCTION_LINES})`,
              hint: "split it into named steps",
            });
          }
        };
        return {
          FunctionDeclaration: check,
          FunctionExpression: check,
          ArrowFunctionExpression: check,
        };
      },
    },
  },
};
export default plugin;

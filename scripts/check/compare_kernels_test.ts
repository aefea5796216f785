/** compare_kernels' summary: a figure's place and kind, errors and stderr. */
import { assertEquals, assertNotEquals } from "@std/assert";
import { summarize } from "./compare_kernels.ts";

const figure = (mimes: string[], types: string[]) => ({
  output_type: "display_data",
  data: Object.fromEntries(
    mimes.map((m) =>
      m === "application/vnd.plotly.v1+json"
        ? [m, { data: types.map((type) => ({ type })) }]
        : [m, ""]
    ),
  ),
});
const PLOTLY = "application/vnd.plotly.v1+json";

Deno.test("summarize: a figure's kind is its MIME types (PNG aside) and trace types", () => {
  const deno = summarize({
    cells: [{ outputs: [figure([PLOTLY, "text/html", "text/plain", "image/png"], ["heatmap"])] }],
  });
  const tslab = summarize({
    cells: [{ outputs: [figure([PLOTLY, "text/html", "text/plain"], ["heatmap"])] }],
  });
  assertEquals(deno.kinds, tslab.kinds);
  assertEquals(deno.kinds, [
    "application/vnd.plotly.v1+json + text/html + text/plain; traces heatmap",
  ]);
  const plotlyOnly = summarize({ cells: [{ outputs: [figure([PLOTLY], ["heatmap"])] }] });
  assertNotEquals(plotlyOnly.kinds, deno.kinds);
  const stderr = summarize({
    cells: [{ outputs: [{ output_type: "stream", name: "stderr", text: "TS2304" }] }],
  });
  assertEquals(stderr.problems, ["cell 0 (stderr): TS2304"]);
});

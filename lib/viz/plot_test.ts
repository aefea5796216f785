import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { decode as decodePng } from "fast-png";
import { Buffer } from "node:buffer";
import { tf } from "../core/backend.ts";
import * as plot from "./plot.ts";
import { displayTarget } from "./display.ts";

Deno.test("lineChart: one trace per series, x defaults to the step, second axis on request", () => {
  const fig = plot.lineChart(
    [{ name: "loss", y: [3, 2, 1] }, { name: "usage", y: tf.tensor1d([0.1, 0.5, 0.9]), y2: true }],
    { title: "t", xTitle: "step", y2Title: "usage" },
  );
  assertEquals(fig.data.length, 2);
  assertEquals(fig.data[0].x, [0, 1, 2]);
  const y = fig.data[1].y as number[];
  assertEquals(y.map((v) => Math.round(v * 10)), [1, 5, 9]);
  assertEquals(fig.data[1].yaxis, "y2");
  assert(fig.layout?.yaxis2);
  assertEquals(
    plot.describeFigure(fig),
    '[plotly figure "t": scatter "loss" (3 points), scatter "usage" (3 points)]',
  );
});

Deno.test("lineChart: logX and logY put that axis on a log scale, and only that one", () => {
  const axes = (o: { logX?: boolean; logY?: boolean }) => {
    const l = plot.lineChart([{ x: [1, 10], y: [1, 2] }], { ...o, xTitle: "N" }).layout!;
    return [(l.xaxis as { type?: string }).type, (l.yaxis as { type?: string }).type];
  };
  assertEquals(axes({ logX: true, logY: true }), ["log", "log"]);
  assertEquals(axes({ logX: true }), ["log", undefined]);
  assertEquals(axes({}), [undefined, undefined]);
});

Deno.test("heatmap takes tensors and arrays; text shows values", () => {
  const fig = plot.heatmap(tf.tensor2d([[1, 2], [3, 4]]), { text: true });
  assertEquals(fig.data[0].z, [[1, 2], [3, 4]]);
  assertEquals(fig.data[0].text, [["1", "2"], ["3", "4"]]);
  assertThrows(() => plot.heatmap(tf.zeros([2, 2, 2])), Error, "2-D tensor");
  assertEquals(plot.bars(["a", "b"], [1, 2]).data[0].y, [1, 2]);
  assertEquals((plot.histogram(tf.tensor1d([1, 2, 2])).data[0].x as number[]).length, 3);
});

Deno.test("imageGrid tiles images into one PNG of the right size and colours", () => {
  // Two 4x4 grey images: black and white, two per row, pad 1, a 3-pixel caption band (14 screen
  // pixels at scale 6) -> 11 x 9 pixels.
  const x = tf.concat([tf.zeros([1, 4, 4, 1]), tf.ones([1, 4, 4, 1])]) as tf.Tensor4D;
  const fig = plot.imageGrid(x, { cols: 2, pad: 1, labels: ["black", "white"] });
  const source = String(fig.data[0].source);
  assert(source.startsWith("data:image/png;base64,"), source.slice(0, 40));
  const img = decodePng(Buffer.from(source.slice("data:image/png;base64,".length), "base64"));
  assertEquals([img.width, img.height, img.channels], [11, 9, 3]);
  const at = (px: number, py: number) =>
    Array.from(img.data.slice((py * 11 + px) * 3, (py * 11 + px) * 3 + 3));
  assertEquals(at(0, 0), [255, 255, 255]); // gap
  assertEquals(at(1, 1), [0, 0, 0]); // first image
  assertEquals(at(6, 1), [255, 255, 255]); // second image
  assertEquals(at(1, 6), [255, 255, 255]); // caption band under the first
  assertEquals((fig.layout?.annotations as unknown[]).length, 2);
  // No PNG in the output bundle: JupyterLab's plotly renderer would plot.show it instead of the
  // figure (without title and captions) until the mouse passes over it.
  const bundle = plot.figureBundle(fig);
  assert(!("image/png" in bundle));
  assert("application/vnd.plotly.v1+json" in bundle);
  assertThrows(
    () => plot.imageGrid(tf.zeros([2, 4, 4, 2]) as tf.Tensor4D),
    Error,
    "[B, H, W, 1 | 3]",
  );
  tf.dispose(x);
});

Deno.test("voronoi colours every grid cell by its nearest code", () => {
  const codes = tf.tensor2d([[-1, 0], [1, 0]]);
  const points = tf.tensor2d([[-1, 0.5], [0.9, -0.2], [-0.3, 0]]);
  const assign = (z: tf.Tensor2D) =>
    tf.tidy(() =>
      z.expandDims(1).sub(codes.expandDims(0)).square().sum(2).argMin(1)
    ) as tf.Tensor1D;
  const before = tf.memory().numTensors;
  const fig = plot.voronoi(points, codes, assign, { extent: [-2, 2, -1, 1], resolution: 5 });
  assertEquals(tf.memory().numTensors, before);
  const z = fig.data[0].z as number[][];
  // Columns at x = -2, -1 belong to code 0, x = 1, 2 to code 1.
  assertEquals(z[2], [0, 0, 0, 1, 1]);
  const codesTrace = fig.data[2];
  assertEquals(codesTrace.text, ["code 0", "code 1"]);
  const unused = plot.voronoi(tf.tensor2d([[-1, 0]]), codes, assign, { extent: [-2, 2, -1, 1] });
  assertEquals(unused.data[2].text, ["code 0", "code 1 (unused)"]);
  // By default the axes span the points and codes (+10 %), kept at equal scale by shrinking
  // the plot area, not by widening the range.
  const auto = plot.voronoi(points, codes, assign, { resolution: 5 });
  const xaxis = auto.layout?.xaxis as { range: number[]; constrain: string };
  assertEquals(xaxis.range.map((v) => +v.toFixed(2)), [-1.2, 1.2]);
  assertEquals(xaxis.constrain, "domain");
});

Deno.test("subplots give every figure its own axes and keep titles", () => {
  const a = plot.lineChart([{ y: [1, 2] }], { title: "A" });
  const b = plot.heatmap([[1]], { title: "B", square: true });
  const fig = plot.subplots([a, b], { cols: 2 });
  assertEquals(fig.data.map((t) => [t.xaxis, t.yaxis]), [["x", "y"], ["x2", "y2"]]);
  assertEquals((fig.layout?.yaxis2 as Record<string, unknown>).scaleanchor, "x2");
  const titles = (fig.layout?.annotations as { text: string }[]).map((t) => t.text);
  assertEquals(titles, ["<b>A</b>", "<b>B</b>"]);
  const dx = (fig.layout?.xaxis as { domain: number[] }).domain;
  const dx2 = (fig.layout?.xaxis2 as { domain: number[] }).domain;
  assert(dx[1] < dx2[0]);
});

Deno.test("subplots: a shared legend goes below the x-axis titles, not over them", () => {
  const titled = plot.lineChart([{ name: "a", y: [1, 2] }], { xTitle: "step" });
  const bare = plot.lineChart([{ name: "a", y: [1, 2] }]);
  const legendY = (f: plot.Figure) => (f.layout?.legend as { y: number }).y;
  const low = plot.subplots([titled, bare], { legend: true, height: 340 });
  // 55 px below the axes of a 340 − 50 − 90 = 200 px plot area, with room in the margin.
  assertEquals([legendY(low), (low.layout?.margin as { b: number }).b], [-55 / 200, 90]);
  assertEquals(legendY(plot.subplots([bare, bare], { legend: true })), -0.12);
});

Deno.test("figureBundle: plotly JSON, HTML that cannot close its script early, text", () => {
  const fig = plot.lineChart([{ name: "</script>", y: [1] }]);
  const bundle = plot.figureBundle(fig, "div1");
  assert(bundle["application/vnd.plotly.v1+json"]);
  const html = String(bundle["text/html"]);
  assertStringIncludes(html, 'id="div1"');
  assertEquals(html.split("</script>").length, 2); // only the real closing tag
  assertStringIncludes(String(bundle["text/plain"]), "plotly figure");
});

Deno.test("outside a kernel, plot.show and plot.LiveFigure print a summary instead of throwing", async () => {
  assertEquals(displayTarget(), "console");
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    await plot.show(plot.lineChart([{ y: [1, 2] }], { title: "shown" }));
    const live = new plot.LiveFigure(plot.lineChart([{ y: [1] }], { title: "live" }), 0);
    await live.show();
    await live.update(plot.lineChart([{ y: [1, 2, 3] }], { title: "live" }));
    await live.close();
  } finally {
    console.log = log;
  }
  assertStringIncludes(lines[0], '"shown"');
  assertStringIncludes(lines[1], '"live"');
  assertEquals(lines.length, 2); // updates do not print again
});

"""Executes notebooks headless through a Jupyter kernel and exports them.

For each notebook: run every cell in order (nbclient), write the executed copy and an
offline HTML page (plotly.js inlined once, no CDN scripts) to the output folder. Exits
non-zero when any cell of any notebook fails.

Deno's kernel can publish a cell's output after it has reported `idle`, which stock
nbclient/nbconvert then drops (it reads IOPub only until `idle` and discards messages of
other cells). This runner keeps them, in two ways:
- after every cell it sends a `kernel_info_request` as a barrier and keeps reading IOPub
  until the barrier's own `idle` arrives, collecting the cell's late outputs; after the
  last cell it also waits for IOPub to fall quiet;
- an output that arrives later still, while another cell runs, is put into the cell it
  belongs to (by its parent message id) instead of being discarded.

Usage: run_notebooks.py [--kernel NAME] [--out DIR] [--timeout S] [--no-html] NOTEBOOK|DIR...
       run_notebooks.py --export-only [--scripts DIR] NOTEBOOK|DIR...   (already executed
       notebooks: only the offline HTML page, written beside each)
(a folder stands for its *.ipynb files in name order)
"""

from __future__ import annotations

import argparse
import functools
import os
import queue
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
PLOTLY_JS = ROOT / "node_modules" / "plotly.js-dist-min" / "plotly.min.js"
# MathJax 3's single-file TeX-to-SVG build (fonts included), so formulas render offline.
MATHJAX_JS = ROOT / "node_modules" / "mathjax" / "es5" / "tex-svg-full.js"
MATHJAX_CONFIG_JS = """window.MathJax = {
  tex: { inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], displayMath: [["$$", "$$"], ["\\\\[", "\\\\]"]],
         processEscapes: true },
  svg: { fontCache: "global" }
};"""
BARRIER_TIMEOUT = 10.0
QUIET_AFTER_LAST = 0.5  # seconds of IOPub silence that end the last cell


class DrainingClient(NotebookClient):
    """nbclient that collects outputs a kernel publishes after its `idle` status."""

    def __init__(self, nb, progress: bool = True, **kw):
        super().__init__(nb, **kw)
        self.on_cell_executed = self._drain_late_outputs
        self.on_cell_start = self._cell_started
        self.progress = progress
        self.late_outputs = 0
        self._t0 = 0.0
        self._cells_by_parent: dict[str, tuple] = {}
        self._last_code_index = max(
            (i for i, c in enumerate(nb.cells) if c.cell_type == "code"), default=-1
        )

    def _cell_started(self, cell, cell_index):
        self._t0 = time.monotonic()

    def _route_late(self, msg) -> bool:
        """Puts an output of an earlier cell into that cell; False if it is no such output."""
        owner = self._cells_by_parent.get(msg["parent_header"].get("msg_id"))
        if owner is None or msg["msg_type"] == "status":
            return False
        self.late_outputs += 1
        try:
            self.process_message(msg, *owner)
        except CellExecutionComplete:
            pass
        return True

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        # nbclient's loop, except that messages of earlier cells are kept, not dropped.
        while True:
            msg = await self.kc.iopub_channel.get_msg(timeout=None)
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    return
            else:
                self._route_late(msg)

    async def _drain_late_outputs(self, cell, cell_index, execute_reply):
        parent = execute_reply["parent_header"].get("msg_id")
        self._cells_by_parent[parent] = (cell, cell_index)
        barrier = self.kc.kernel_info()
        deadline = time.monotonic() + BARRIER_TIMEOUT
        while time.monotonic() < deadline:
            try:
                msg = await self.kc.iopub_channel.get_msg(timeout=0.2)
            except queue.Empty:
                continue
            pid = msg["parent_header"].get("msg_id")
            if pid == barrier:
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
            else:
                self._route_late(msg)
        if cell_index == self._last_code_index:
            while True:
                try:
                    msg = await self.kc.iopub_channel.get_msg(timeout=QUIET_AFTER_LAST)
                except queue.Empty:
                    break
                self._route_late(msg)
        # The barrier's reply arrives on the shell channel; take it off so it is not left over.
        try:
            await self.kc.shell_channel.get_msg(timeout=BARRIER_TIMEOUT)
        except queue.Empty:
            pass
        if self.progress and cell.cell_type == "code":
            took = time.monotonic() - self._t0
            status = execute_reply["content"].get("status", "?")
            print(f"    cell {cell_index:3d}  {took:6.2f} s  {status}", file=sys.stderr, flush=True)


CDN_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*', re.I)
MATHJAX_CONFIG = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->\s*", re.S | re.I
)


def offline_html(body: str, plotly_js: str | None, mathjax_js: str | None = None,
                 scripts_url: str | None = None) -> str:
    """Removes CDN script tags (require.js, MathJax) and inlines plotly.js and MathJax once,
    or, with `scripts_url`, loads both from that folder (plotly.min.js, tex-svg-full.js)."""
    body = MATHJAX_CONFIG.sub("", body)
    body = CDN_SCRIPT.sub("", body)
    tags = ""
    if plotly_js and "vqvar-plotly" in body:
        if scripts_url:
            tags += f'<script type="text/javascript" src="{scripts_url}/{PLOTLY_JS.name}"></script>\n'
        else:
            tags += f'<script type="text/javascript">/* plotly.js, inlined once */\n{plotly_js}\n</script>\n'
    if mathjax_js and "$" in body:
        tags += f'<script type="text/javascript">{MATHJAX_CONFIG_JS}</script>\n'
        if scripts_url:
            tags += f'<script type="text/javascript" src="{scripts_url}/{MATHJAX_JS.name}"></script>\n'
        else:
            tags += f'<script type="text/javascript">/* MathJax, inlined once */\n{mathjax_js}\n</script>\n'
    if tags:
        body = body.replace("</head>", tags + "</head>", 1)
    return body


def export_html(nb, plotly_js: str | None, mathjax_js: str | None = None,
                scripts_url: str | None = None) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb)
    return offline_html(body, plotly_js, mathjax_js, scripts_url)


def run_one(path: Path, args) -> tuple[bool, int]:
    nb = nbformat.read(path, as_version=4)
    kernel = args.kernel or nb.metadata.get("kernelspec", {}).get("name", "vqvar-deno")
    client = DrainingClient(
        nb,
        progress=not args.quiet,
        kernel_name=kernel,
        timeout=args.timeout,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    ok = True
    t0 = time.monotonic()
    print(f"[notebooks] {path.name} on kernel {kernel}", file=sys.stderr, flush=True)
    try:
        client.execute()
    except CellExecutionError as err:
        ok = False
        print(f"[notebooks] FAILED {path.name}:\n{err}", file=sys.stderr)
    except Exception as err:  # kernel died, timeout, missing kernelspec
        ok = False
        print(f"[notebooks] FAILED {path.name}: {type(err).__name__}: {err}", file=sys.stderr)
    outputs = sum(len(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out / path.name)
    if not args.no_html:
        write_html(nb, out / path.with_suffix(".html").name)
    print(
        f"[notebooks] {path.name}: {'ok' if ok else 'FAILED'} in {time.monotonic() - t0:.1f} s, "
        f"{outputs} outputs ({client.late_outputs} arrived after idle) -> {out / path.name}",
        file=sys.stderr,
        flush=True,
    )
    return ok, outputs


@functools.cache
def read_script(path: Path) -> str | None:
    """A script's text (plotly.js, MathJax), read once; None when it is not installed."""
    return path.read_text() if path.exists() else None


def write_html(nb, path: Path, scripts: Path | None = None) -> None:
    """The offline page of an executed notebook, with plotly.js and MathJax inlined, or loaded
    from the folder `scripts` (copied there) by a relative path."""
    plotly_js, mathjax_js = read_script(PLOTLY_JS), read_script(MATHJAX_JS)
    scripts_url = None
    if scripts:
        scripts.mkdir(parents=True, exist_ok=True)
        for js in (PLOTLY_JS, MATHJAX_JS):
            if js.exists() and not (scripts / js.name).exists():
                shutil.copyfile(js, scripts / js.name)
        scripts_url = os.path.relpath(scripts.resolve(), path.parent.resolve())
    path.write_text(export_html(nb, plotly_js, mathjax_js, scripts_url))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="+", type=Path)
    ap.add_argument("--kernel", help="kernelspec name (default: each notebook's own)")
    ap.add_argument("--out", default=str(ROOT / "out" / "notebooks"))
    ap.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    ap.add_argument("--no-html", action="store_true")
    ap.add_argument("--quiet", action="store_true", help="no per-cell progress")
    ap.add_argument("--count-outputs", action="store_true", help="print output counts on stdout")
    ap.add_argument("--export-only", action="store_true", help="only write each notebook's page")
    ap.add_argument("--scripts", type=Path,
                    help="with --export-only: pages load plotly.js and MathJax from this folder "
                    "(copied there) instead of inlining them: smaller pages, which a browser "
                    "loads much faster one after another")
    args = ap.parse_args(argv)
    paths = []
    for p in args.notebooks:
        paths += sorted(p.glob("*.ipynb")) if p.is_dir() else [p]
    if args.export_only:
        for path in paths:
            write_html(nbformat.read(path, as_version=4), path.with_suffix(".html"), args.scripts)
        print(f"[notebooks] {len(paths)} pages exported", file=sys.stderr)
        return 0
    failed = []
    for path in paths:
        ok, outputs = run_one(path, args)
        if args.count_outputs:
            print(f"{path.name}\t{outputs}")
        if not ok:
            failed.append(path.name)
    if failed:
        print(f"[notebooks] {len(failed)} failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

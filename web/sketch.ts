/// <reference lib="dom" />
/**
 * Painting on a small grid (28 × 28) through a canvas shown larger, by pointer (mouse, pen,
 * finger) or keyboard: arrows move the pen (Shift: 4 cells), Space or Enter puts it down or lifts
 * it, Escape lifts it. The input canvas and the mask canvas both use it.
 */

/** What a sketch pad does with the strokes it reads. */
export interface SketchTarget {
  /** Paints the brush at (x, y), in grid cells (fractional: the pointer's exact spot). */
  paint(x: number, y: number): void;
  /** Redraws the canvas; `cursor` is the keyboard pen's cell while the canvas has focus. */
  redraw(cursor?: [number, number]): void;
  /** A stroke ended (pointer released, pen lifted). */
  strokeEnd(): void;
  /** False while strokes must be ignored (a job is running). */
  enabled(): boolean;
}

/** Makes `canvas` a sketch pad over a `side` × `side` grid. */
export function sketchPad(canvas: HTMLCanvasElement, side: number, target: SketchTarget): void {
  let last: [number, number] | undefined;
  let pointerDown = false;
  let cursor: [number, number] = [side / 2, side / 2];
  let penDown = false;

  /** Paints from the last point to (x, y), densely enough to leave no gaps. */
  const strokeTo = (x: number, y: number) => {
    const [x0, y0] = last ?? [x, y];
    const steps = Math.max(1, Math.ceil(Math.hypot(x - x0, y - y0) * 2));
    for (let s = 0; s <= steps; s++) {
      target.paint(x0 + (x - x0) * s / steps, y0 + (y - y0) * s / steps);
    }
    last = [x, y];
  };
  const atPointer = (e: PointerEvent): [number, number] => {
    const rect = canvas.getBoundingClientRect();
    return [
      (e.clientX - rect.left) / rect.width * side,
      (e.clientY - rect.top) / rect.height * side,
    ];
  };

  canvas.addEventListener("pointerdown", (e) => {
    if (!target.enabled()) return;
    pointerDown = true;
    canvas.setPointerCapture(e.pointerId);
    last = undefined;
    strokeTo(...atPointer(e));
    target.redraw();
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!pointerDown) return;
    strokeTo(...atPointer(e));
    target.redraw();
  });
  const release = () => {
    if (!pointerDown) return;
    pointerDown = false;
    target.strokeEnd();
  };
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", release);

  const lift = () => {
    if (!penDown) return;
    penDown = false;
    target.strokeEnd();
  };
  canvas.addEventListener("keydown", (e) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const centre = (c: [number, number]): [number, number] => [c[0] + 0.5, c[1] + 0.5];
    if (e.key in moves) {
      const step = e.shiftKey ? 4 : 1;
      const [dx, dy] = moves[e.key];
      const clamp = (v: number) => Math.min(side - 1, Math.max(0, v));
      cursor = [clamp(Math.floor(cursor[0]) + dx * step), clamp(Math.floor(cursor[1]) + dy * step)];
      if (penDown && target.enabled()) strokeTo(...centre(cursor));
    } else if (e.key === " " || e.key === "Enter") {
      if (penDown) lift();
      else if (target.enabled()) {
        penDown = true;
        cursor = [Math.floor(cursor[0]), Math.floor(cursor[1])];
        last = undefined;
        strokeTo(...centre(cursor));
      }
    } else if (e.key === "Escape") lift();
    else return;
    e.preventDefault(); // arrows and Space would scroll the page
    target.redraw(cursor);
  });
  canvas.addEventListener("focus", () => target.redraw(cursor));
  canvas.addEventListener("blur", () => {
    lift();
    target.redraw();
  });
}

/** MIME type → content, as in Jupyter's `display_data` messages. */
export type MimeBundle = Record<string, unknown>;
/** Where output goes. */
export type DisplayTarget = "deno-jupyter" | "tslab" | "console";
/** The output target of this process. */
export declare function displayTarget(): DisplayTarget;
/**
 * Shows a MIME bundle. With `displayId`, a later call with the same id and `update: true`
 * replaces the earlier output in place (both kernels).
 *
 * @example
 * ```ts
 * import { display } from "./display.ts";
 * await display({ "text/html": "<b>bold</b>", "text/plain": "bold" });
 * ```
 */
export declare function display(bundle: MimeBundle, options?: {
    displayId?: string;
    update?: boolean;
}): Promise<void>;
/** A plotly trace: `{ type: "scatter", x, y, ... }`. Layout and config are plotly's too. */
export type Trace = Record<string, unknown>;
export type Layout = Record<string, unknown>;
export interface Figure {
    data: Trace[];
    layout?: Layout;
    config?: Record<string, unknown>;
}
/** A short description of a figure for consoles and `text/plain`. */
export declare function describeFigure(fig: Figure): string;
/** The MIME bundle of a figure. `divId` names the HTML element (unique by default). */
export declare function figureBundle(fig: Figure, divId?: string): MimeBundle;
/** Shows a figure inline (see the module comment for where it draws). */
export declare function show(fig: Figure): Promise<void>;
/**
 * A figure that redraws in place: `await live.show()` once, then `await live.update(fig)` as
 * often as you like (redraws are throttled to `minIntervalMs`); `await live.close()` draws
 * the last state. In a terminal only the final figure's summary is printed.
 *
 * How it redraws: every redraw replaces the output (Jupyter's `update_display_data`, under
 * both kernels). JupyterLab's plotly renderer draws a figure once and ignores later data for
 * the same output, but it is replaced by a new renderer when the output's MIME type changes;
 * so a redraw is two updates: a blank of the figure's height (HTML), then the new figure.
 * The saved notebook, the exported HTML and the headless runner keep the last figure.
 *
 * @example
 * ```ts
 * import { LiveFigure } from "./display.ts";
 * const live = new LiveFigure({ data: [{ type: "scatter", y: [] }] });
 * await live.show();
 * for (let step = 1; step <= 3; step++) {
 *   await live.update({ data: [{ type: "scatter", y: [3, 2, 1].slice(0, step) }] });
 * }
 * await live.close();
 * ```
 */
export declare class LiveFigure {
    readonly minIntervalMs: number;
    /** The id that ties the redraws to the first output. */
    readonly displayId: string;
    private fig;
    private lastDraw;
    private pending;
    private shown;
    /** A live figure starting as `fig`; redraws come at most every `minIntervalMs`. */
    constructor(fig: Figure, minIntervalMs?: number);
    /** Draws the figure for the first time. */
    show(): Promise<void>;
    /** Replaces the figure; redraws now unless the last redraw was too recent. */
    update(fig: Figure): Promise<void>;
    /** Draws the latest figure if an update is still pending. */
    close(): Promise<void>;
    private redraw;
}

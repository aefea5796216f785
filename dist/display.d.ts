export type MimeBundle = Record<string, unknown>;
/** Where output goes. */
export type DisplayTarget = "deno-jupyter" | "tslab" | "console";
/** The output target of this process. */
export declare function displayTarget(): DisplayTarget;
/**
 * Shows a MIME bundle. With `displayId`, a later call with the same id and `update: true`
 * replaces the earlier output in place (Deno kernel; tslab shows a new output instead).
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
    /** A PNG of the figure (base64), the fallback for viewers that run no scripts. */
    png?: string;
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
 */
export declare class LiveFigure {
    readonly minIntervalMs: number;
    readonly displayId: string;
    private fig;
    private lastDraw;
    private pending;
    private shown;
    constructor(fig: Figure, minIntervalMs?: number);
    /** Draws the figure for the first time. */
    show(): Promise<void>;
    /** Replaces the figure; redraws now unless the last redraw was too recent. */
    update(fig: Figure): Promise<void>;
    /** Draws the latest figure if an update is still pending. */
    close(): Promise<void>;
    private redraw;
}

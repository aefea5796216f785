export interface IdxArray {
    /** e.g. `[60000, 28, 28]` for images, `[60000]` for labels. */
    shape: number[];
    /** The values, row-major (only unsigned bytes, the type MNIST-like sets use). */
    data: Uint8Array;
}
/** Parses IDX bytes; `source` names the file in errors. */
export declare function parseIdx(bytes: Uint8Array, source?: string): IdxArray;
/** Reads an IDX file (gzipped when its name ends in `.gz`). */
export declare function readIdx(path: string | URL): Promise<IdxArray>;
/** Encodes a uint8 IDX file (for tests and for datasets this project builds). */
export declare function encodeIdx(shape: number[], data: Uint8Array): Uint8Array;

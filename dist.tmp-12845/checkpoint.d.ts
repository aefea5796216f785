import { tf } from "./backend.ts";
import { type VQModel, type VQVAEConfig } from "./vqvae.ts";
export declare const CHECKPOINT_FORMAT = "vqvar-checkpoint";
export declare const CHECKPOINT_VERSION = 1;
/** Anything with a config and named variables: VQ-VAE models, VAR, the classifier. */
export interface Checkpointable<C = unknown> {
    readonly config: C;
    variables(): Map<string, tf.Variable>;
}
export interface CheckpointManifest<C = VQVAEConfig> {
    format: typeof CHECKPOINT_FORMAT;
    version: number;
    config: C;
    metrics: Record<string, unknown>;
    /** TF.js weights manifest: one group, one file. */
    weightsManifest: {
        paths: string[];
        weights: tf.io.WeightsManifestEntry[];
    }[];
}
/** Writes `model` (and `metrics`) to the folder `dir`, atomically. */
export declare function saveCheckpoint(dir: string, model: Checkpointable, metrics?: Record<string, unknown>, 
/** Test hook: runs after the new files are written, before the commit (the rename). */
{ beforeCommit }?: {
    beforeCommit?: () => void | Promise<void>;
}): Promise<void>;
/** Reads a checkpoint's manifest, with clear errors for a missing or foreign folder. */
export declare function readCheckpointManifest<C = VQVAEConfig>(dir: string): Promise<CheckpointManifest<C>>;
/** Loads the checkpoint's weights into `model`; its variables must match by name and shape. */
export declare function loadWeightsInto<C>(dir: string, model: Checkpointable<C>): Promise<CheckpointManifest<C>>;
/** A fresh model built from the checkpoint's config, with its weights. */
export declare function loadCheckpoint(dir: string): Promise<{
    model: VQModel;
    manifest: CheckpointManifest;
}>;

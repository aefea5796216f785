/**
 * The `--data` option of the command lines: the datasets shipped in data/, a seeded dummy set,
 * or any folder of images (`folder:PATH`), as a train and a test set.
 */
import { InputError } from "../../lib/core/errors.ts";
import {
  DummyDataset,
  type ImageDataset,
  loadFashionMnist,
  loadTwemoji,
} from "../../lib/data/datasets.ts";
import { loadImageFolder } from "../../lib/data/folder.ts";
import type { OptionSpec } from "./options.ts";

/** What `--data` accepts. */
export const DATA_SOURCES = "fashion-mnist, twemoji, dummy, folder:PATH";

/** The options every command that reads images has. */
export const DATA_OPTIONS: OptionSpec[] = [
  {
    name: "data",
    kind: "text",
    placeholder: "SOURCE",
    default: "fashion-mnist",
    help: `images to train on: ${DATA_SOURCES} (a folder of PNG/JPEG files, subfolders = classes)`,
  },
  {
    name: "data-dir",
    kind: "text",
    placeholder: "DIR",
    help: "read fashion-mnist or twemoji from DIR instead of data/<name>/",
  },
  {
    name: "image-size",
    kind: "int",
    min: 4,
    default: "32",
    help: "side of the images of a folder: centre-cropped, then resized to it",
  },
];

/** `[train, test]` of a `--data` source; a folder keeps a seeded 10 % (at least one) as test. */
export async function loadData(
  source: string,
  { dataDir, imageSize, seed }: { dataDir?: string; imageSize: number; seed: number },
): Promise<[ImageDataset, ImageDataset]> {
  if (source === "fashion-mnist") {
    return await Promise.all([
      loadFashionMnist("train", dataDir),
      loadFashionMnist("test", dataDir),
    ]);
  }
  if (source === "twemoji") return (await loadTwemoji(dataDir)).split(0.1, seed);
  if (source === "dummy") {
    return [
      new DummyDataset({ length: 2048, seed }),
      new DummyDataset({ length: 512, seed: seed + 1 }),
    ];
  }
  if (source.startsWith("folder:") && source.length > "folder:".length) {
    const all = await loadImageFolder(source.slice("folder:".length), { size: imageSize });
    if (all.length < 2) {
      throw new InputError(`${source}: one image; a folder needs at least 2 (train and test)`);
    }
    return all.split(0.1, seed);
  }
  throw new InputError(`--data must be one of ${DATA_SOURCES}, got ${JSON.stringify(source)}`);
}

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { storeFiles } from '../cache/file-store.js';
import { imageKey } from '../cache/keys.js';
import { runInProcess } from '../concurrency.js';
import { contentError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { HashedFile } from '../load/public-hashes.js';
import { encodeVersions, type Encoded, type VersionJob } from './encode-version.js';
import { EXTENSION, type ImageVariant } from './image-set.js';

/** A photo of public/ as the encoder needs it: its file, its `public/…` path and the hash of its bytes. */
export type SourceImage = HashedFile;

/** Photos that sharp could not read, each with the reason it gave. */
class UnreadableImages extends Error {
  constructor(readonly images: readonly { image: SourceImage; reason: string }[]) {
    super(images.map(({ image }) => `image illisible : ${image.path}`).join('\n'));
  }
}

/**
 * Makes the versions of photos a site shows (images/image-set.ts) in `folder`
 * (`.cache/agora/images/`, shared by agora build and agora dev), each kept under its key
 * (the photo's bytes and the encoding, cache/keys.ts): an essay edit encodes nothing, a photo
 * changed encodes that photo's versions only. Encodings run on every core (sharp's threads).
 * A photo sharp cannot read is a diagnostic naming it, and nothing is written.
 */
export async function prepareImages(variants: readonly ImageVariant[], sources: ReadonlyMap<string, SourceImage>, folder: string, options: { prune?: boolean } = {}): Promise<{ files: HashedFile[]; encoded: number; diagnostics: Diagnostic[] }> {
  const known = variants.filter((variant) => sources.has(variant.image));
  try {
    const stored = await storeFiles(folder,
      known.map((variant) => ({ key: imageKey(variant, sources.get(variant.image)!.hash), extension: EXTENSION[variant.format] })),
      // All encoded before any is kept: with a photo that cannot be read, nothing is written.
      async (missing, keep) => (await encodeAll(missing.map((i) => known[i]!), sources)).forEach((bytes, n) => keep(n, bytes)), options);
    return { files: stored.files.map((file, i) => ({ path: `public${known[i]!.url}`, ...file })), encoded: stored.made, diagnostics: [] };
  } catch (error) {
    if (!(error instanceof UnreadableImages)) throw error;
    return {
      files: [], encoded: 0,
      diagnostics: error.images.map(({ image, reason }) => contentError(image.path, undefined, 'image/unreadable', `L'image ${image.path} ne peut pas être lue pour en faire des versions plus légères (${reason}).`,
        'Ouvrez-la et enregistrez-la de nouveau en JPEG, PNG, WebP ou AVIF, ou désactivez les versions avec « images: false » dans content/site.yml.')),
    };
  }
}

/** The encoder's module, compiled beside this one; absent when Agora runs from its TypeScript sources (tests), which then encode here. */
const ENCODER = new URL('./encoder-process.js', import.meta.url);
const CAN_FORK = existsSync(fileURLToPath(ENCODER));

/**
 * Encodes versions on every core (sharp's threads), each photo read once, in a process of its own
 * (images/encoder-process.ts says why) when Agora runs compiled. Every photo that cannot be read
 * is told (UnreadableImages), not only the first.
 */
async function encodeAll(variants: readonly ImageVariant[], sources: ReadonlyMap<string, SourceImage>): Promise<Uint8Array[]> {
  const jobs: VersionJob[] = variants.map((variant) => ({ source: sources.get(variant.image)!.source, width: variant.width, format: variant.format, quality: variant.quality }));
  if (!jobs.length) return [];
  const results: Encoded[] = new Array(jobs.length);
  if (CAN_FORK) await runInProcess<{ index: number; result: Encoded }>(ENCODER, { jobs }, jobs.length, ({ index, result }) => { results[index] = result; }, 'encode les versions des images');
  else await encodeVersions(jobs, availableParallelism(), (file) => readFile(file), (index, result) => { results[index] = result; });
  const unreadable = new Map<string, { image: SourceImage; reason: string }>();
  results.forEach((result, i) => {
    const image = sources.get(variants[i]!.image)!;
    if ('unreadable' in result && !unreadable.has(image.path)) unreadable.set(image.path, { image, reason: result.unreadable });
  });
  if (unreadable.size) throw new UnreadableImages([...unreadable.values()].sort((a, b) => (a.image.path < b.image.path ? -1 : 1)));
  return results as Uint8Array[];
}

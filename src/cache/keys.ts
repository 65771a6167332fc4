import { createHash } from 'node:crypto';
import type { SourceFile } from '../records.js';
import { CODE_KEY } from './code-key.js';
import { sourceHash } from './source-hash.js';

/**
 * Every key that outlives a build is made here, and every one holds Agora's code key (the
 * contents of its modules and the exact versions of its libraries, cache/code-key.ts): a
 * change to Agora, of any file, misses every cache at once. The caches:
 * - the build record (`construction.json`): `buildKey`, all the inputs of a build;
 * - the validation store (`validation/`) and the Markdown store (`markdown/`): their files'
 *   `cacheFileKey`, and for Markdown `markdownOptionsKey` in each entry's key;
 * - the manifest (`sortie.json`): `pageKeyPrefix` in each page's key;
 * - the compiled templates (`gabarits.json`): `cacheFileKey`, and each template by its text;
 * - the hashes of public files (`publics.v8`): keyed by what `stat` says, checked by content;
 * - the social cards (`cartes/`): `cardKey`, what each card shows;
 * - the versions of photos (`images/`): `imageKey`, the photo's bytes and how it is encoded.
 */
export { CODE_KEY };

/** The key a cache file is written under: Agora's code and the layout of that file. */
export function cacheFileKey(layout: string): string {
  return `${layout}:${CODE_KEY}`;
}

/** What rendered HTML depends on besides the text: Agora's code (with its libraries) and the pipeline's options. */
export function markdownOptionsKey(options: unknown, code = CODE_KEY): string {
  return createHash('sha256').update(code).update('\0').update(JSON.stringify(options)).digest('base64url');
}

/** The key of one body's rendering: the pipeline's options key, the body's kind, where it starts, whether a cover is above it, and its text. */
export function markdownKey(job: { kind: string; bodyLine: number; body: string; belowCover?: boolean }, optionsKey: string): string {
  return createHash('sha256').update(`${optionsKey}\0${job.kind}\0${job.bodyLine}\0${job.belowCover ? 'cover' : ''}\0${job.body}`).digest('base64url');
}

/** What every page's key holds besides the page: Agora's code, the settings and the templates. */
export function pageKeyPrefix(config: unknown, templates: readonly SourceFile[]): string {
  const hash = createHash('sha1').update(CODE_KEY).update(JSON.stringify(config));
  for (const file of templates) hash.update(`\0${file.path}\0${file.text}`);
  return hash.digest('base64url');
}

/** A page's key: the prefix and the key of the data it shows (render/data-key.ts). */
export function pageKey(prefix: string, dataKey: string): string {
  return createHash('sha1').update(prefix).update(dataKey).digest('base64url');
}

/**
 * The key of a build's inputs: Agora's code, the options, every source file's path and text, and
 * every public file's path and content hash. Equal keys give the same site, until the next
 * scheduled essay is due.
 */
export function buildKey(sources: { files: readonly SourceFile[]; publicFiles: readonly { path: string; hash: string }[] }, options: unknown): string {
  const hash = createHash('sha256').update(CODE_KEY).update(JSON.stringify(options));
  for (const file of sources.files) hash.update(`\0${file.path}\0${file.unreadBytes ?? ''}\0${sourceHash(file)}`);
  for (const file of sources.publicFiles) hash.update(`\0${file.path}\0${file.hash}`);
  return hash.digest('base64url');
}

/** The key of a social card: what it shows, and Agora's code (the layout, and the fonts' versions in the lock file). */
export function cardKey(view: unknown): string {
  return createHash('sha256').update(CODE_KEY).update('\0card\0').update(JSON.stringify(view)).digest('base64url');
}

/** The key of a version of a photo: the photo's bytes (their hash), its width, format and quality, and Agora's code (with sharp's version). */
export function imageKey(variant: { width: number; format: string; quality: number | null }, sourceHash: string): string {
  return createHash('sha256').update(CODE_KEY).update(`\0image\0${sourceHash}\0${variant.width}\0${variant.format}\0${variant.quality ?? ''}`).digest('base64url');
}

import type { SourceFile } from './records.js';

/**
 * The stages after load, imported only when a build has work to do: a build with nothing to do
 * never pays for remark, Handlebars, Pagefind or the card renderer.
 */
export async function loadStages() {
  const [compile, validationStore, store, templates, render, write, search, cards, cardFiles, images, markdownWorkers] = await Promise.all([
    import('./compile.js'), import('./validate/validation-store.js'), import('./markdown/markdown-store.js'), import('./render/compiled-templates.js'), import('./render/render-pages.js'),
    import('./write/write-site.js'), import('./write/search-index.js'), import('./graph/cards.js'), import('./write/card-files.js'), import('./images/encode-images.js'), import('./markdown/worker-pool.js'),
  ]);
  return {
    startMarkdownWorker: markdownWorkers.startWorkerEarly, startSearchService: search.startSearchService, compile: compile.compile, letTextsGo: compile.letTextsGo, rereadBody: compile.rereadBody, openValidationStore: validationStore.openValidationStore, MarkdownStore: store.MarkdownStore, warmTemplates: templates.warmTemplates,
    renderPages: render.renderPages, renderAll: render.renderAll, RenderFailures: render.RenderFailures, writeSite: write.writeSite, readManifest: write.readManifest,
    socialCards: cards.socialCards, prepareCards: cardFiles.prepareCards, prepareImages: images.prepareImages,
  };
}

/** The stages, as loadStages gives them. */
export type Stages = Awaited<ReturnType<typeof loadStages>>;

/**
 * The persistent stores of a build (`.cache/agora/validation/` and `markdown/`, or in memory
 * with no cache folder), the compiled templates (`gabarits.json`), and the way to save them.
 */
export async function openCaches(stages: Stages, cacheDir: string | null, root: string, templates: readonly SourceFile[]) {
  const [validation, markdown, compiledTemplates] = await Promise.all([
    cacheDir ? stages.openValidationStore(`${cacheDir}/validation`) : null,
    stages.MarkdownStore.open(cacheDir),
    stages.warmTemplates(templates.map((file) => file.text), cacheDir && `${cacheDir}/gabarits.json`),
  ]);
  // A build lets the Markdown texts go after its Markdown stage (letTextsGo): a damaged HTML file's body is read again.
  markdown.rereadBodiesWith(stages.rereadBody(root));
  return {
    stores: { validation: validation?.cache, markdown },
    save: async () => { await Promise.all([markdown.save(), validation?.save(), compiledTemplates.save()]); },
  };
}

import Handlebars from 'handlebars';
import { contentError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { HtmlPage, Page } from '../graph/pages.js';
import type { SiteConfig, SourceFile } from '../records.js';
import type { HeadView } from './head.js';
import { compileTemplate } from './compiled-templates.js';
import { createHelpers } from './helpers.js';

type Template = (context: unknown) => string;

/** Turns pages into HTML with one isolated Handlebars environment. */
export interface Renderer {
  /** Renders a page; a template problem comes back as a diagnostic naming the template and the page. */
  render(page: HtmlPage, site: Record<string, unknown>, head: HeadView): { html: string } | { diagnostic: Diagnostic };
}

/** An error raised inside a template, tagged with the innermost template it came from. */
interface TaggedError extends Error {
  agoraTemplate?: string;
  lineNumber?: number;
  column?: number;
}

const LAYOUT = 'base';

/**
 * Compiles every template once (strict mode: a misspelled field is an error, not an empty
 * string). `templates/<name>.hbs` are page templates, `templates/partials/<name>.hbs` partials,
 * `templates/layouts/<name>.hbs` layouts.
 */
export function createRenderer(files: readonly SourceFile[], config: SiteConfig): { renderer: Renderer; diagnostics: Diagnostic[] } {
  const env = Handlebars.create();
  const diagnostics: Diagnostic[] = [];
  const pages = new Map<string, Template>();
  const layouts = new Map<string, Template>();
  env.registerHelper(createHelpers(config));

  for (const file of files) {
    const match = /^(?:.*\/)?templates\/(?:(partials|layouts)\/)?([\w-]+)\.hbs$/.exec(file.path);
    if (!match) continue;
    const [, folder, name] = match as unknown as [string, string | undefined, string];
    let compiled: Template;
    try {
      compiled = tagErrors(compileTemplate(env, file.text) as Template, file.path);
    } catch (error) {
      const message = (error as Error).message;
      const line = Number(/line (\d+)/.exec(message)?.[1] ?? 1);
      diagnostics.push(contentError(file.path, { line, column: 1 }, 'template/syntax',
        `Erreur de syntaxe Handlebars : ${message.split('\n').slice(-1)[0]}`,
        'Vérifiez que chaque « {{#bloc}} » est fermé par « {{/bloc}} » et que les accolades sont appariées.'));
      continue;
    }
    if (folder === 'partials') env.registerPartial(name, compiled as Handlebars.Template);
    else if (folder === 'layouts') layouts.set(name, compiled);
    else pages.set(name, compiled);
  }
  if (!layouts.has(LAYOUT) && diagnostics.length === 0) {
    diagnostics.push(contentError(`templates/layouts/${LAYOUT}.hbs`, undefined, 'template/missing-layout',
      'La mise en page commune est introuvable.', `Créez templates/layouts/${LAYOUT}.hbs avec {{{content}}} à l'endroit du contenu.`));
  }

  const renderer: Renderer = {
    render(page, site, head) {
      const template = pages.get(page.template);
      const layout = layouts.get(LAYOUT);
      if (!template || !layout) {
        return { diagnostic: contentError(`templates/${page.template}.hbs`, undefined, 'template/missing',
          `Le gabarit « ${page.template} » est introuvable (page ${page.url}).`, `Créez templates/${page.template}.hbs.`) };
      }
      const context = { site, page: { url: page.url, title: page.title, description: page.description, template: page.template, head }, ...page.data };
      try {
        const content = template(context);
        return { html: layout({ ...context, content }) };
      } catch (error) {
        return { diagnostic: templateDiagnostic(error as TaggedError, page) };
      }
    },
  };
  return { renderer, diagnostics };
}

/** Wraps a template so that an error thrown inside it remembers the innermost template's file. */
function tagErrors(template: Template, file: string): Template {
  return (context: unknown, ...rest: unknown[]) => {
    try {
      return (template as (...args: unknown[]) => string)(context, ...rest);
    } catch (error) {
      if (error instanceof Error) (error as TaggedError).agoraTemplate ??= file;
      throw error;
    }
  };
}

function templateDiagnostic(error: TaggedError, page: Page): Diagnostic {
  const file = error.agoraTemplate ?? `templates/${page.template}.hbs`;
  const position = error.lineNumber ? { line: error.lineNumber, column: (error.column ?? 0) + 1 } : undefined;
  const partial = /The partial (.+) could not be found/.exec(error.message);
  if (partial) {
    return contentError(file, position, 'template/unknown-partial',
      `Partiel « ${partial[1]} » introuvable (page ${page.url}).`,
      `Créez templates/partials/${partial[1]}.hbs ou corrigez le nom dans {{> ${partial[1]}}}.`);
  }
  const field = /^"([^"]+)" not defined in/.exec(error.message);
  if (field) {
    return contentError(file, position, 'template/unknown-field',
      `Champ « ${field[1]} » inconnu dans ce gabarit (page ${page.url}).`,
      'Vérifiez l\'orthographe du champ ; pour un champ facultatif, entourez-le de {{#if …}}.');
  }
  return contentError(file, position, 'template/error', `Erreur du gabarit (page ${page.url}) : ${error.message}`,
    'Corrigez le gabarit indiqué.');
}

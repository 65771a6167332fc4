import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { readJsonCache, writeJsonCache } from '../cache/cache-file.js';
import { cacheFileKey } from '../cache/keys.js';

/**
 * Handlebars templates compiled once per text. Parsing and compiling a template costs more than
 * rendering it (120 to 150 ms for the shipped templates in a fresh process, against 4 ms to
 * evaluate the compiled code), and every build, `agora dev`, the comment server and the tests
 * use templates that rarely change. What is kept is Handlebars' precompiled code (what
 * `handlebars --precompile` writes, as a string): it belongs to no environment, and each build
 * binds it to its own (its helpers, its partials) with `env.template()`, as Handlebars' runtime
 * does with a precompiled template. Kept in this process, and between builds in
 * `.cache/agora/gabarits.json` (warmTemplates), sealed and keyed with Agora's code, so
 * Handlebars' version (cache/keys.ts). Like webpack's or Babel's caches, that file holds code
 * that runs: `.cache/` is trusted as much as the checkout it sits in (docs/vitesse.md).
 */

type Options = { strict: true; preventIndent: true };
type Spec = ReturnType<typeof Handlebars.precompile>;
type Env = typeof Handlebars;

/** The options every template is compiled with (strict mode: a misspelled field is an error, not an empty string). */
export const TEMPLATE_OPTIONS: Options = { strict: true, preventIndent: true };
// Handlebars.compile() adds `data: true` unless told otherwise.
const FULL = { data: true, ...TEMPLATE_OPTIONS };

/** At most this many texts are kept in a process (a long `agora dev` session edits templates many times). */
const KEPT = 200;
/** Compiled code and its evaluated specification, by template text. */
const compiled = new Map<string, { code: string; spec: Spec }>();

/** The key of a text in the cache file (the options are part of the file's key). */
const textKey = (text: string) => createHash('sha256').update(text).digest('base64url');

function keep(text: string, code: string): Spec {
  // The code is Handlebars' own output (or read back from a sealed cache file that held it): an object literal.
  const spec = new Function(`return ${code};`)() as Spec;
  if (compiled.size >= KEPT) compiled.delete(compiled.keys().next().value!);
  compiled.set(text, { code, spec });
  return spec;
}

/** Handlebars' compiled code for a text; throws a syntax error as Handlebars throws it. */
function precompile(env: Env, text: string): string {
  return env.precompile(env.parse(text), FULL) as unknown as string;
}

/**
 * The template of `text`, ready to render in `env`. A syntax error is thrown as Handlebars
 * throws it. A text that parses but does not compile is left to Handlebars' lazy `compile()`,
 * so that its error comes, as before, from the first page rendered with it.
 */
export function compileTemplate(env: Env, text: string): Handlebars.TemplateDelegate {
  const known = compiled.get(text);
  if (known) return env.template(known.spec);
  const ast = env.parse(text);
  let code: string;
  try {
    code = env.precompile(ast, FULL) as unknown as string;
  } catch {
    return env.compile(ast, TEMPLATE_OPTIONS);
  }
  return env.template(keep(text, code));
}

/** `gabarits.json`: the compiled code of the templates of the last build, by text key. */
interface TemplateCache {
  key: string;
  code: Record<string, string>;
}

const FILE_KEY = cacheFileKey(`gabarits-1:${JSON.stringify(FULL)}`);

function isTemplateCache(value: unknown): value is TemplateCache {
  if (!value || typeof value !== 'object') return false;
  const { key, code } = value as Partial<TemplateCache>;
  return key === FILE_KEY && !!code && typeof code === 'object' && Object.values(code).every((entry) => typeof entry === 'string');
}

/**
 * Compiles the templates of a build ahead of rendering, taking the code from `file` (the cache,
 * when there is one) for the texts it holds; returns how to save the code of these texts there.
 * A template that does not compile is left for the renderer, which reports it.
 */
export async function warmTemplates(texts: readonly string[], file: string | null): Promise<{ save(): Promise<void> }> {
  const cached = file ? (await readJsonCache(file, isTemplateCache))?.code ?? {} : {};
  const env = Handlebars.create();
  const code: Record<string, string> = {};
  let changed = Object.keys(cached).length !== new Set(texts).size;
  for (const text of texts) {
    const key = textKey(text);
    const known = compiled.get(text)?.code ?? cached[key];
    if (known !== undefined) {
      if (!compiled.has(text)) keep(text, known);
      code[key] = known;
      if (cached[key] !== known) changed = true;
      continue;
    }
    try {
      code[key] = precompile(env, text);
      keep(text, code[key]!);
      changed = true;
    } catch {
      // A syntax or compile error: the renderer reports it, with the template's line.
    }
  }
  return { save: async () => { if (file && changed) await writeJsonCache(file, { key: FILE_KEY, code } satisfies TemplateCache); } };
}

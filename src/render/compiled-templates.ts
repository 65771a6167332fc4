import Handlebars from 'handlebars';

/**
 * Handlebars templates compiled once per process and text. Parsing and compiling a template
 * costs more than rendering it (83 ms for the shipped templates in a fresh process), and
 * `agora dev`, the comment server and the tests build many times with templates that rarely
 * change. What is kept is the compiled specification, which belongs to no environment: each
 * build binds it to its own (its helpers, its partials) with `env.template()`, as Handlebars
 * does with a precompiled template. These are the steps of Handlebars' own `compile()`, done at
 * once instead of at the first page.
 */

type Options = { strict: true; preventIndent: true };
type Spec = ReturnType<typeof Handlebars.precompile>;
type Env = typeof Handlebars;
interface Compilers {
  Compiler: new () => { compile(ast: hbs.AST.Program, options: object): unknown };
  JavaScriptCompiler: new () => { compile(environment: unknown, options: object, context: undefined, asObject: true): Spec };
}

/** At most this many texts are kept (a long `agora dev` session edits templates many times). */
const KEPT = 200;
const specs = new Map<string, Spec>();

/**
 * The template of `text`, ready to render in `env`. A syntax error is thrown as Handlebars
 * throws it. A text that parses but does not compile is left to Handlebars' lazy `compile()`,
 * so that its error comes, as before, from the first page rendered with it.
 */
export function compileTemplate(env: Env, text: string, options: Options): Handlebars.TemplateDelegate {
  let spec = specs.get(text);
  if (!spec) {
    const ast = env.parse(text);
    // Handlebars.compile() adds `data: true` unless told otherwise.
    const full = { data: true, ...options };
    const { Compiler, JavaScriptCompiler } = env as unknown as Compilers;
    try {
      spec = new JavaScriptCompiler().compile(new Compiler().compile(ast, full), full, undefined, true);
    } catch {
      return env.compile(ast, options);
    }
    if (specs.size >= KEPT) specs.delete(specs.keys().next().value!);
    specs.set(text, spec);
  }
  return env.template(spec);
}

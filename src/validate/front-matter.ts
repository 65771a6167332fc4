import matter from 'gray-matter';
import { LineCounter, parseDocument, isMap, isScalar, visit, type Document } from 'yaml';
import { contentError, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../records.js';

/** Front matter of a file, with the position of each key for precise messages. */
export interface FrontMatter {
  file: string;
  data: Record<string, unknown>;
  body: string;
  /** Line of the file on which the body starts. */
  bodyLine: number;
  /** Position of a top-level key's value (or of the key when the value is empty). */
  positionOf(key: string): Position;
}

/** Result of reading front matter: the data, or the diagnostics that prevented it. */
export type FrontMatterResult =
  | { ok: true; frontMatter: FrontMatter }
  | { ok: false; diagnostics: Diagnostic[] };

const START = /^---([^\n]*)\n/;

/**
 * Splits a Markdown file into YAML front matter and body with gray-matter, parsing the YAML
 * with the `yaml` package so that dates stay strings and errors carry exact positions. The
 * checks before it are not a second parser: they give the French messages gray-matter has no
 * words for (no header, a header never closed, which it would take as the whole file), and
 * they refuse any header language but YAML before gray-matter sees it, since gray-matter runs
 * a `---js` or `---javascript` header through eval (checked: its engine is called).
 */
export function parseFrontMatter(source: SourceFile): FrontMatterResult {
  const text = normalizeNewlines(source.text);
  const start = START.exec(text);
  if (!start) {
    return fail(source.path, { line: 1, column: 1 }, 'front-matter/missing',
      'Le fichier ne commence pas par un en-tête YAML (« --- »).',
      'Commencez le fichier par une ligne « --- », les champs (title, date…), puis une autre ligne « --- ».');
  }
  const language = (start[1] ?? '').trim();
  if (language !== '' && language !== 'yaml') {
    return fail(source.path, { line: 1, column: 4 }, 'front-matter/language',
      `L'en-tête « ---${language} » n'est pas accepté : seul le YAML l'est, et aucun code n'est jamais exécuté.`,
      'Remplacez la première ligne par « --- » et écrivez les champs en YAML.');
  }
  if (!/\n---[ \t]*(\n|$)/.test(text.slice(start[0].length - 1))) {
    return fail(source.path, { line: 1, column: 1 }, 'front-matter/unclosed',
      "L'en-tête YAML ouvert à la ligne 1 n'est jamais fermé.",
      "Ajoutez une ligne « --- » seule après le dernier champ de l'en-tête.");
  }

  let yamlText: string | null = null;
  const parsed = matter(text, {
    language: 'yaml',
    engines: {
      yaml: (raw: string) => {
        yamlText = raw;
        return {};
      },
    },
  });
  // gray-matter skips the engine for an empty header ("---\n---").
  const map = parseYamlMap(source.path, yamlText ?? '');
  if (!map.ok) return map;
  return succeed(source.path, map.data, parsed.content, text, map.positionOf);
}

/** A YAML mapping with the position of each top-level key. */
export type YamlMapResult =
  | { ok: true; data: Record<string, unknown>; positionOf(key: string): Position }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Parses YAML that must be a mapping. `yamlText` is expected to start on line 1 of `file`
 * (gray-matter hands the header over from the end of the opening `---` line).
 */
export function parseYamlMap(file: string, yamlText: string): YamlMapResult {
  const lines = new LineCounter();
  const doc: Document = parseDocument(yamlText, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    // Later YAML errors are usually cascades of the first: report the one that is actionable.
    return { ok: false, diagnostics: [yamlDiagnostic(file, doc.errors[0]!, yamlText)] };
  }
  let data: unknown;
  try {
    // A copy: the values `yaml` gives are slices of the file's text, and V8 keeps a whole text
    // alive for as long as one slice of it is (an author id, a title): the site's records then
    // held every file read. structuredClone makes strings of their own.
    data = structuredClone(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
  } catch (error) {
    // `yaml` refuses alias bombs with a plain ReferenceError, without code or position.
    if (!(error instanceof ReferenceError)) throw error;
    return { ok: false, diagnostics: [contentError(file, firstAliasPosition(doc, lines), 'front-matter/yaml-aliases',
      `YAML refusé : ses alias (*nom) se déploient en trop de valeurs (plus de ${MAX_ALIAS_COUNT}).`,
      'Écrivez les valeurs en toutes lettres au lieu de les répéter par des ancres (&nom) et des alias (*nom).')] };
  }
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    return {
      ok: false,
      diagnostics: [contentError(file, { line: 1, column: 1 }, 'front-matter/not-a-map',
        'Le YAML doit être une liste de champs « nom: valeur ».',
        'Écrivez un champ par ligne, par exemple « title: Mon essai ».')],
    };
  }
  /** Where a field's value starts: `images`, or a field inside a map, `images.widths`. */
  const positionOf = (key: string): Position => {
    const find = (node: unknown, path: readonly string[]): { range?: [number, number, number] } | null => {
      if (!isMap(node)) return null;
      for (let take = path.length; take >= 1; take--) {
        const name = path.slice(0, take).join('.');
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === name);
        if (!pair) continue;
        const value = pair.value as { range?: [number, number, number] } | null;
        if (take === path.length) return value?.range ? value : (pair.key as { range?: [number, number, number] });
        return find(pair.value, path.slice(take)) ?? value;
      }
      return null;
    };
    const range = find(doc.contents, key.split('.'))?.range;
    if (!range) return { line: 1, column: 1 };
    const pos = lines.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  };
  return { ok: true, data: (data ?? {}) as Record<string, unknown>, positionOf };
}

/** Most values that aliases may expand to: real front matter needs a handful, a "billion laughs" needs billions. */
const MAX_ALIAS_COUNT = 100;

function firstAliasPosition(doc: Document, lines: LineCounter): Position {
  let offset: number | undefined;
  visit(doc, { Alias(_key, node) {
    offset = node.range?.[0];
    return visit.BREAK;
  } });
  if (offset === undefined) return { line: 1, column: 1 };
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function succeed(
  file: string,
  data: Record<string, unknown>,
  body: string,
  text: string,
  positionOf: (key: string) => Position,
): FrontMatterResult {
  const header = text.slice(0, text.length - body.length);
  const bodyLine = header.split('\n').length;
  return { ok: true, frontMatter: { file, data, body, bodyLine, positionOf } };
}

function fail(file: string, position: Position, code: string, message: string, hint: string): FrontMatterResult {
  return { ok: false, diagnostics: [contentError(file, position, code, message, hint)] };
}

interface YamlErrorLike {
  code: string;
  message: string;
  linePos?: [{ line: number; col: number }, ...{ line: number; col: number }[]];
}

/** Turns a YAML parse error into a diagnostic, with a hint for the common French-title case. */
function yamlDiagnostic(file: string, error: YamlErrorLike, text: string): Diagnostic {
  const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
  const lineText = text.split('\n')[pos.line - 1] ?? '';
  const reason = error.message.split(' at line ')[0] ?? error.message;
  const keyMatch = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(lineText);
  if (keyMatch && / :/.test(keyMatch[2] ?? '') && error.code === 'BLOCK_AS_IMPLICIT_KEY') {
    return contentError(file, { line: pos.line, column: pos.col }, 'front-matter/yaml',
      `YAML invalide : la valeur de « ${keyMatch[1]} » contient « : », que YAML lit comme un nouveau champ.`,
      `Mettez la valeur entre guillemets : ${keyMatch[1]}: "${(keyMatch[2] ?? '').replace(/"/g, '\\"')}"`);
  }
  if (error.code === 'DUPLICATE_KEY') {
    return contentError(file, { line: pos.line, column: pos.col }, 'front-matter/duplicate-key',
      `Ce champ apparaît deux fois dans l'en-tête : ${lineText.trim()}`,
      'Gardez une seule ligne pour ce champ.');
  }
  return contentError(file, { line: pos.line, column: pos.col }, 'front-matter/yaml',
    `YAML invalide : ${reason}.`,
    'Vérifiez l\'indentation et mettez entre guillemets les valeurs qui contiennent « : », « # » ou commencent par un caractère spécial.');
}

/** Converts CRLF and CR line endings to LF, so values and line numbers are the same on every OS. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

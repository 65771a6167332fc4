import * as v from 'valibot';
import { contentError, contentWarning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FrontMatter } from './front-matter.js';

/** What Agora tells of a refused value: the French message, how to fix it, and a code when not `bad-<field>`. */
export interface Explanation {
  message: string;
  hint: string;
  code?: string;
}

/** A refused value, as a fault explains it: the field's dotted name (`cover.src`), its last segment, the value, the field's example. */
export interface Refused {
  key: string;
  leaf: string;
  input: unknown;
  example: string;
}

const FAULTS: Array<(refused: Refused) => Explanation> = [];
const FAULT_ID = /^agora-fault:(\d+)$/;

/**
 * The message a schema carries for a refused value: a reference to its French explanation,
 * which `readFields` calls with the field's name and example. Valibot keeps messages as
 * strings, computed before the field's path is known; the explanation needs both. Call it
 * where schemas are defined (module level), once per rule.
 */
export function fault(explain: (refused: Refused) => Explanation): string {
  FAULTS.push(explain);
  return `agora-fault:${FAULTS.length - 1}`;
}

/** Every field a kind of file knows, each with its schema; a schema wrapped in `v.optional` may be left out. */
export type FieldSchemas = Record<string, v.GenericSchema>;

/** A field's value once read: its schema's output, its default when it is optional with one, else null when absent or refused. */
type FieldValue<S> = S extends v.OptionalSchema<infer W, infer D>
  ? [D] extends [undefined] ? Exclude<v.InferOutput<W>, undefined> | null : Exclude<v.InferOutput<W>, undefined>
  : S extends v.GenericSchema ? v.InferOutput<S> | null : never;

export interface ReadFields<S extends FieldSchemas> {
  values: { [K in keyof S]: FieldValue<S[K]> };
  /** The fields whose value was refused. */
  refused: Set<keyof S & string>;
  diagnostics: Diagnostic[];
}

/**
 * Reads a file's fields with their schemas (valibot): each field alone, so that one refused
 * value leaves the others usable (and a list its good items); absent (missing, null or empty) means the default, or a
 * `missing-<field>` error when the field is required. Every issue becomes a diagnostic at the
 * line of the field it concerns, nested ones included (`cover.src`), with the French
 * explanation its schema refers to. Fields nobody knows get a warning (usually a typo).
 * `examples` gives what a field looks like, for the messages.
 */
export function readFields<S extends FieldSchemas>(
  fm: FrontMatter, kind: string, schemas: S, examples: Partial<Record<string, string>> = {},
): ReadFields<S> {
  const diagnostics: Diagnostic[] = [];
  const refused = new Set<keyof S & string>();
  const values: Record<string, unknown> = {};
  warnUnknownFields(fm, kind, schemas, fm.data, '', diagnostics);
  for (const [key, schema] of Object.entries(schemas)) {
    const input = fm.data[key];
    // An optional field's default goes through its schema, as valibot does inside a map.
    const fallback = () => (schema.type === 'optional' ? v.safeParse(schema, undefined).output ?? null : null);
    if (input === undefined || input === null || input === '') {
      if (schema.type === 'optional') values[key] = fallback();
      else {
        values[key] = null;
        const example = examples[key] ?? '…';
        diagnostics.push(contentError(fm.file, { line: 1, column: 1 }, `${kind}/missing-${key}`,
          `Le champ « ${key} » est obligatoire.`, `Ajoutez dans l'en-tête une ligne « ${key}: ${example} ».`));
      }
      continue;
    }
    const result = v.safeParse(schema, input);
    if (result.success) {
      values[key] = result.output ?? null;
      continue;
    }
    refused.add(key as keyof S & string);
    values[key] = acceptedItems(schema, input, result.issues) ?? fallback();
    const said = new Set<string>();
    for (const { issue, path } of result.issues.flatMap((issue) => named(issue, [key]))) {
      const dotted = path.join('.');
      const explanation = explain(issue, { key: dotted, leaf: path[path.length - 1]!, input: issue.input, example: examples[dotted] ?? examples[key] ?? '…' });
      if (said.has(dotted + explanation.message)) continue;
      said.add(dotted + explanation.message);
      diagnostics.push(contentError(fm.file, fm.positionOf(dotted), `${kind}/${explanation.code ?? `bad-${key}`}`, explanation.message, explanation.hint));
    }
  }
  return { values: values as ReadFields<S>['values'], refused, diagnostics };
}

/** An error about a field found by a rule of the kind's own (two fields together, the file's name): at the field's line. */
export function fieldError(fm: FrontMatter, kind: string, key: string, code: string, message: string, hint?: string): Diagnostic {
  return contentError(fm.file, fm.positionOf(key), `${kind}/${code}`, message, hint);
}

/** A list refused for some of its items only keeps the others (`aliases: [/ok/, /?p=12]` keeps /ok/), as long as they pass. */
function acceptedItems(schema: v.GenericSchema, input: unknown, issues: readonly v.BaseIssue<unknown>[]): unknown {
  const items = Array.isArray(input) ? input : [input];
  const refused = new Set(issues.map((issue) => (issue.path?.[0]?.type === 'array' ? issue.path[0].key : null)));
  if (refused.has(null)) return undefined;
  const again = v.safeParse(schema, items.filter((_, index) => !refused.has(index)));
  return again.success ? again.output : undefined;
}

/**
 * An issue with the names of the fields it is in. A union refused inside one of its options
 * (`cards: { background: rouge }`, where `cards` may also be true or false) is told by what
 * that option found, not by the union.
 */
function named(issue: v.BaseIssue<unknown>, prefix: string[]): Array<{ issue: v.BaseIssue<unknown>; path: string[] }> {
  const path = [...prefix, ...(issue.path ?? []).map((item) => item.key).filter((name): name is string => typeof name === 'string')];
  const inner = issue.type === 'union' ? (issue.issues ?? []).filter((sub) => sub.path?.length) : [];
  return inner.length ? inner.flatMap((sub) => named(sub, path)) : [{ issue, path }];
}

function explain(issue: v.BaseIssue<unknown>, refused: Refused): Explanation {
  const id = FAULT_ID.exec(issue.message);
  if (id) return FAULTS[Number(id[1])]!(refused);
  // A schema without an explanation of ours: still French, still the field's line.
  return { message: `« ${refused.key} » a une valeur refusée (reçu : ${JSON.stringify(refused.input)}).`, hint: 'Voir docs/contenu.md pour les valeurs possibles.' };
}

/**
 * Warns about every field, at the top or inside a map (`cover`, `limits`), that its schema
 * does not name. A strict map (`v.strictObject`) refuses such fields itself, as an error.
 */
function warnUnknownFields(fm: FrontMatter, kind: string, schemas: FieldSchemas, data: unknown, prefix: string, diagnostics: Diagnostic[]): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return;
  const known = Object.keys(schemas);
  for (const [key, value] of Object.entries(data)) {
    const schema = schemas[key];
    if (!schema) {
      diagnostics.push(contentWarning(fm.file, fm.positionOf(prefix + key), `${kind}/unknown-field`,
        `Champ inconnu « ${prefix}${key} » : il est ignoré.`, `Champs possibles${prefix ? ` sous « ${prefix.slice(0, -1)} »` : ''} : ${known.join(', ')}.`));
      continue;
    }
    const entries = objectEntries(schema);
    if (entries) warnUnknownFields(fm, kind, entries, value, `${prefix}${key}.`, diagnostics);
  }
}

/** The fields of a map schema (a pipe keeps its first schema's type and entries), through `optional`; null for a strict map or anything else. */
function objectEntries(schema: v.GenericSchema): FieldSchemas | null {
  const node = schema as v.GenericSchema & { wrapped?: v.GenericSchema; entries?: FieldSchemas };
  if (node.type === 'optional' && node.wrapped) return objectEntries(node.wrapped);
  return node.type === 'object' && node.entries ? node.entries : null;
}

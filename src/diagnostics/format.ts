import type { Diagnostic } from './diagnostic.js';
import { printable } from './printable.js';

const SEVERITY_LABEL = { error: 'erreur', warning: 'avertissement' } as const;

/** Formats one diagnostic as `file:line:column  erreur  message  [code]` plus an indented hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.line, d.line !== undefined ? d.column : undefined]
    .filter((part) => part !== undefined)
    .join(':');
  const head = `${where}  ${SEVERITY_LABEL[d.severity]}  ${d.message}  [${d.code}]`;
  return printable(d.hint ? `${head}\n    → ${d.hint}` : head);
}

/** Formats a list of diagnostics followed by a French summary line. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const lines = diagnostics.map(formatDiagnostic);
  const parts = [];
  if (errors) parts.push(`${errors} erreur${errors > 1 ? 's' : ''}`);
  if (warnings) parts.push(`${warnings} avertissement${warnings > 1 ? 's' : ''}`);
  if (parts.length) lines.push('', parts.join(', '));
  return lines.join('\n');
}

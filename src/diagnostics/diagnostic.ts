/** Severity of a diagnostic: errors stop the build, warnings do not. */
export type Severity = 'error' | 'warning';

/** A problem found in a source file, reported to the author rather than thrown. */
export interface Diagnostic {
  /** Path relative to the project root, with forward slashes. */
  file: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** 1-based column in the file, when known. */
  column?: number;
  severity: Severity;
  /** Stable identifier such as `post/bad-date`. */
  code: string;
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** A position in a file. */
export interface Position {
  line: number;
  column: number;
}

/** Builds an error diagnostic. */
export function contentError(
  file: string,
  position: Position | undefined,
  code: string,
  message: string,
  hint?: string,
): Diagnostic {
  return { file, ...position, severity: 'error', code, message, ...(hint ? { hint } : {}) };
}

/** Builds a warning diagnostic. */
export function contentWarning(
  file: string,
  position: Position | undefined,
  code: string,
  message: string,
  hint?: string,
): Diagnostic {
  return { ...contentError(file, position, code, message, hint), severity: 'warning' };
}

/** True when at least one diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, line and column, so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compareText(a.code, b.code),
  );
}

/** Locale-independent string comparison (deterministic across machines). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where Markdown nests lists and quotes deeper than allowed, or too often. */
export interface DeepNesting {
  /** 1-based line of the text. */
  line: number;
  depth: number;
  /** `depth`: one line nests deeper than the limit; `volume`: too many deeply nested lines in all. */
  kind: 'depth' | 'volume';
}

/**
 * micromark's time grows with the square of the number of nested lines (measured here: 8 000
 * lines of `- - x` 23 s, 16 000 lines 87 s, 10 600 lines 45 s; 1 000 lines 32 deep 7 s),
 * whatever the file's size. The sum of the depths of lines nested two levels or more is
 * bounded: at this budget the worst case measured takes about 2.3 s, while an essay has a few
 * dozen such lines at most.
 */
export const NESTED_VOLUME_BUDGET = 4_000;

const MARKER = /^ {0,3}(?:>[ \t]?|(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$))/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Finds the first line whose lists and block quotes nest deeper than `max`, in one linear pass,
 * before micromark sees the text: micromark recurses once per level and overflows its stack
 * after 30–40 s on `- ` × 10 000, `> ` × 10 000 or a list nested 1000 levels (issue 11). The
 * scan follows the containers as CommonMark opens them (markers, content columns, lazy
 * continuation lines, fenced and indented code), leaning towards counting more, never less.
 */
export function findDeepNesting(text: string, max: number): DeepNesting | null {
  /** Content columns of the list items open at the end of the previous line. */
  const items: number[] = [];
  let fence: string | null = null;
  let previousBlank = true;
  let volume = 0;
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line += 1;
    const raw = text.slice(start, end);
    start = end + 1;
    const { columns, rest } = expandIndent(raw);
    if (rest.trim() === '') {
      previousBlank = true;
      continue;
    }
    const hasMarker = MARKER.test(rest) && columns - (items.at(-1) ?? 0) < 4;
    // A dedented line closes the items it falls out of, unless it may be a lazy continuation.
    if (hasMarker || previousBlank) while (items.length && items.at(-1)! > columns) items.pop();
    const inner = items.at(-1) ?? 0;
    if (fence) {
      if (rest.trimStart().startsWith(fence)) fence = null;
      previousBlank = false;
      continue;
    }
    let depth = items.length;
    let column = columns;
    let remainder = rest;
    if (column - inner < 4) {
      for (let match = MARKER.exec(remainder); match; match = MARKER.exec(remainder)) {
        const width = match[0].length;
        depth += 1;
        if (!match[0].trimStart().startsWith('>')) items.push(column + width);
        column += width;
        remainder = remainder.slice(width);
        if (depth > max) return { line, depth, kind: 'depth' };
      }
      const opened = FENCE.exec(remainder);
      if (opened) fence = opened[1]!;
    }
    if (depth > max) return { line, depth, kind: 'depth' };
    if (depth >= 2) volume += depth;
    if (volume > NESTED_VOLUME_BUDGET) return { line, depth, kind: 'volume' };
    previousBlank = false;
  }
  return null;
}

/** The indentation of a line in columns (tabs to the next multiple of 4) and what follows it. */
function expandIndent(raw: string): { columns: number; rest: string } {
  let columns = 0;
  let i = 0;
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 32) columns += 1;
    else if (c === 9) columns += 4 - (columns % 4);
    else break;
  }
  return { columns, rest: raw.slice(i) };
}

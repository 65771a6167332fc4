/** One page of a paginated list, with links to its neighbours. */
export interface Pagination {
  current: number;
  total: number;
  previousUrl: string | null;
  nextUrl: string | null;
  /**
   * The pages to link: the first, the last, and WINDOW on each side of the current one, as
   * Hugo's and most blogs' paginations do (a list of 1000 pages linking all the others from each
   * of them made every page heavy and the build quadratic). `gapBefore`: pages are left out
   * between this one and the one before (shown as « … »).
   */
  pages: { number: number; url: string; current: boolean; gapBefore: boolean }[];
}

/** Pages linked on each side of the current one. */
export const WINDOW = 2;

/** A slice of items and where it sits in the list. */
export interface PageSlice<T> {
  items: T[];
  pagination: Pagination;
}

/** Splits items into pages of `size`; an empty list still has one (empty) page. */
export function paginate<T>(items: readonly T[], size: number, urlOf: (page: number) => string): PageSlice<T>[] {
  const total = Math.max(1, Math.ceil(items.length / size));
  return Array.from({ length: total }, (_, i) => {
    const current = i + 1;
    const shown = [...new Set([1, ...Array.from({ length: 2 * WINDOW + 1 }, (_, k) => current - WINDOW + k), total])]
      .filter((number) => number >= 1 && number <= total)
      .sort((a, b) => a - b);
    return {
      items: items.slice(i * size, (i + 1) * size),
      pagination: {
        current,
        total,
        previousUrl: i > 0 ? urlOf(i) : null,
        nextUrl: current < total ? urlOf(current + 1) : null,
        pages: shown.map((number, k) => ({ number, url: urlOf(number), current: number === current, gapBefore: k > 0 && number - shown[k - 1]! > 1 })),
      },
    };
  });
}

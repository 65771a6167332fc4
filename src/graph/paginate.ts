/** One page of a paginated list, with links to its neighbours. */
export interface Pagination {
  current: number;
  total: number;
  previousUrl: string | null;
  nextUrl: string | null;
  pages: { number: number; url: string; current: boolean }[];
}

/** A slice of items and where it sits in the list. */
export interface PageSlice<T> {
  items: T[];
  pagination: Pagination;
}

/** Splits items into pages of `size`; an empty list still has one (empty) page. */
export function paginate<T>(items: readonly T[], size: number, urlOf: (page: number) => string): PageSlice<T>[] {
  const total = Math.max(1, Math.ceil(items.length / size));
  const pages = Array.from({ length: total }, (_, i) => ({ number: i + 1, url: urlOf(i + 1), current: false }));
  return pages.map((_, i) => ({
    items: items.slice(i * size, (i + 1) * size),
    pagination: {
      current: i + 1,
      total,
      previousUrl: i > 0 ? urlOf(i) : null,
      nextUrl: i + 1 < total ? urlOf(i + 2) : null,
      pages: pages.map((p) => ({ ...p, current: p.number === i + 1 })),
    },
  }));
}

/**
 * Maps over items with at most `limit` operations under way: a site of 10 000 essays has tens of
 * thousands of files, and opening them all at once fails with EMFILE (too many open files).
 * Results keep the order of the items.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, map: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** How many files are read or written at once. */
export const FILE_CONCURRENCY = 64;

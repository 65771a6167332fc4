/**
 * Maps over items with at most `limit` operations under way: a site of 10 000 essays has tens of
 * thousands of files, and opening them all at once fails with EMFILE (too many open files).
 * Results keep the order of the items. After a failure no new item is started, and the first
 * error is thrown only once every operation under way has ended: nothing keeps writing after
 * the caller was told the work failed.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, map: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await map(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  const failure = lanes.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}

/** How many files are read or written at once. */
export const FILE_CONCURRENCY = 64;

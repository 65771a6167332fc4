/** A per-address limit: at most `limit` requests in any window of `windowMs`. */
export interface RateLimiter {
  /** Records a request; returns 0 when allowed, or the seconds to wait before retrying. */
  hit(address: string, now: number): number;
}

/** A sliding-window limiter kept in memory; old entries are forgotten as time passes. */
export function createRateLimiter(limit: number, windowMs: number): RateLimiter {
  const hits = new Map<string, number[]>();
  let lastSweep = 0;
  return {
    hit(address, now) {
      if (now - lastSweep > windowMs) {
        for (const [key, times] of hits) if (times[times.length - 1]! <= now - windowMs) hits.delete(key);
        lastSweep = now;
      }
      const recent = (hits.get(address) ?? []).filter((time) => time > now - windowMs);
      if (recent.length >= limit) {
        hits.set(address, recent);
        return Math.max(1, Math.ceil((recent[0]! + windowMs - now) / 1000));
      }
      recent.push(now);
      hits.set(address, recent);
      return 0;
    },
  };
}

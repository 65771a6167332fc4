/** A per-address limit: at most `limit` requests in any window of `windowMs`. */
export interface RateLimiter {
  /** Records a request; returns 0 when allowed, or the seconds to wait before retrying. */
  hit(address: string, now: number): number;
  /** The seconds to wait before the next request is allowed (0: allowed now), recording nothing. */
  wait(address: string, now: number): number;
}

/** A sliding-window limiter kept in memory; old entries are forgotten as time passes. */
export function createRateLimiter(limit: number, windowMs: number): RateLimiter {
  const hits = new Map<string, number[]>();
  let lastSweep = 0;
  const recentOf = (address: string, now: number) => {
    if (now - lastSweep > windowMs) {
      for (const [key, times] of hits) if (times[times.length - 1]! <= now - windowMs) hits.delete(key);
      lastSweep = now;
    }
    return (hits.get(address) ?? []).filter((time) => time > now - windowMs);
  };
  const waitFor = (recent: number[], now: number) => (recent.length >= limit ? Math.max(1, Math.ceil((recent[0]! + windowMs - now) / 1000)) : 0);
  return {
    hit(address, now) {
      const recent = recentOf(address, now);
      const wait = waitFor(recent, now);
      if (!wait) recent.push(now);
      hits.set(address, recent);
      return wait;
    },
    wait(address, now) {
      return waitFor(recentOf(address, now), now);
    },
  };
}

/** Reconnect delays: exponential, capped, with "equal jitter" so a crowd of clients spreads out. */
export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 500, maxMs: 5000 };

/** Delay before reconnect attempt `attempt` (0 = first retry): within [cap / 2, cap], cap = min(max, base * 2^attempt). */
export function backoffDelay(attempt: number, s: BackoffSettings = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const cap = Math.min(s.maxMs, s.baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return cap / 2 + random() * (cap / 2);
}

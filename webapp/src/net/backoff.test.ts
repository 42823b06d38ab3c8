import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { afterClose } from './closePolicy';

const s = { baseMs: 500, maxMs: 5000 };

describe('backoffDelay', () => {
  it('stays within [cap/2, cap] with cap doubling from the base', () => {
    for (const [attempt, cap] of [[0, 500], [1, 1000], [2, 2000], [3, 4000]] as const) {
      expect(backoffDelay(attempt, s, () => 0)).toBe(cap / 2);
      expect(backoffDelay(attempt, s, () => 0.999999)).toBeLessThanOrEqual(cap);
      expect(backoffDelay(attempt, s, () => 0.999999)).toBeGreaterThan(cap * 0.99);
    }
  });

  it('never exceeds the maximum, however many attempts', () => {
    for (const attempt of [4, 10, 100, 5000]) {
      const d = backoffDelay(attempt, s, () => 1);
      expect(d).toBeLessThanOrEqual(5000);
      expect(backoffDelay(attempt, s, () => 0)).toBe(2500);
    }
  });

  it('jitters: different random draws give different delays', () => {
    const draws = new Set(Array.from({ length: 20 }, () => backoffDelay(3, s)));
    expect(draws.size).toBeGreaterThan(1);
  });
});

describe('afterClose', () => {
  it('backs off on a plain drop, growing with the attempt', () => {
    const first = afterClose(undefined, 0, s, () => 0);
    const later = afterClose(undefined, 5, s, () => 0);
    expect(first).toEqual({ action: 'reconnect', delayMs: 250, resetAttempts: false });
    expect(later).toEqual({ action: 'reconnect', delayMs: 2500, resetAttempts: false });
  });

  it('reconnects soon after draining, slow_consumer and idle', () => {
    for (const reason of ['draining', 'slow_consumer', 'idle']) {
      const a = afterClose(reason, 7, s, () => 0.5);
      expect(a.action).toBe('reconnect');
      if (a.action === 'reconnect') {
        expect(a.delayMs).toBeLessThanOrEqual(500);
        expect(a.resetAttempts).toBe(true);
      }
    }
  });

  it('signs out on token_expired and stops on client bugs', () => {
    expect(afterClose('token_expired', 0, s).action).toBe('signOut');
    expect(afterClose('binary_frame', 0, s).action).toBe('stop');
    expect(afterClose('too_large', 0, s).action).toBe('stop');
  });
});

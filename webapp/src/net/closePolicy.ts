import { backoffDelay, type BackoffSettings, DEFAULT_BACKOFF } from './backoff';

/** What the client does after its socket closed, by the `closing` reason that came first (PROTOCOL.md section 5). */
export type AfterClose =
  | { action: 'reconnect'; delayMs: number; resetAttempts: boolean }
  | { action: 'signOut'; message: string }
  | { action: 'stop'; message: string };

/**
 * `reason` is the last `closing` frame's, or undefined when the socket just dropped (a crash, a
 * network cut, 1011). `attempt` counts failed tries since the last socket that opened.
 */
export function afterClose(reason: string | undefined, attempt: number, s: BackoffSettings = DEFAULT_BACKOFF,
  random: () => number = Math.random): AfterClose {
  switch (reason) {
    case 'draining':
      // the node is going away on purpose: come back at once (elsewhere), spread over a short window
      return { action: 'reconnect', delayMs: random() * s.baseMs, resetAttempts: true };
    case 'slow_consumer':
    case 'idle':
      return { action: 'reconnect', delayMs: backoffDelay(0, s, random), resetAttempts: true };
    case 'token_expired':
      return { action: 'signOut', message: 'Your session expired. Sign in again.' };
    case 'binary_frame':
    case 'too_large':
      // a client bug: reconnecting would repeat it
      return { action: 'stop', message: `The server closed the connection (${reason}).` };
    default:
      return { action: 'reconnect', delayMs: backoffDelay(attempt, s, random), resetAttempts: false };
  }
}

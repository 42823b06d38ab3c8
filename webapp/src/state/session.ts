import type { Session } from '../net/rest';

// The token lives for the browser session (sessionStorage: per tab, gone when it closes) and is
// never put in a URL; sockets open with one-time tickets instead.
const KEY = 'pekkochat.session';
const INVITE_KEY = 'pekkochat.invite';

export function loadSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    return s && typeof s.token === 'string' && typeof s.user === 'string' ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

/** An invite code from /invite/{code}, kept until the user has signed in and it was accepted. */
export function takeInviteFromUrl(): void {
  const m = /^\/invite\/([^/]+)\/?$/.exec(location.pathname);
  if (m) {
    sessionStorage.setItem(INVITE_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', '/');
  }
}

export function pendingInvite(): string | null {
  return sessionStorage.getItem(INVITE_KEY);
}

export function clearInvite(): void {
  sessionStorage.removeItem(INVITE_KEY);
}

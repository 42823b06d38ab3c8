import type { Room, Member, TimelineEvent, Presence } from '../protocol/types';

/** A REST error: PROTOCOL.md's `{"error":{"code","message"}}` with its HTTP status. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface Session {
  token: string;
  user: string;
}

export type RoomDetail = Room & { members: Member[] };

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'unavailable', 'The server cannot be reached.');
  }
  if (res.status === 204) return undefined as T;
  const json = await res.json().catch(() => null);
  if (!res.ok) {
    const err = json?.error;
    throw new ApiError(res.status, err?.code ?? 'unavailable', err?.message ?? `HTTP ${res.status}`);
  }
  return json as T;
}

async function authenticate(path: string, username: string, password: string): Promise<Session> {
  const r = await call<{ token: string; user: { name: string } }>('POST', path, null, { username, password });
  return { token: r.token, user: r.user.name };
}

export const signIn = (username: string, password: string) => authenticate('/api/login', username, password);
export const signUp = (username: string, password: string) => authenticate('/api/register', username, password);

/** The calls that need a signed-in user; `onUnauthorized` runs when the token stops working. */
export class Api {
  constructor(private readonly token: string, private readonly onUnauthorized: () => void) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await call<T>(method, path, this.token, body);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.onUnauthorized();
      throw e;
    }
  }

  rooms = () => this.call<{ rooms: Room[] }>('GET', '/api/rooms').then((r) => r.rooms);
  room = (id: string) => this.call<RoomDetail>('GET', `/api/rooms/${enc(id)}`);
  createRoom = (name: string, visibility: 'public' | 'private') => this.call<Room>('POST', '/api/rooms', { name, visibility });
  history = (id: string, before: number | undefined, limit: number) =>
    this.call<{ events: TimelineEvent[] }>('GET', `/api/rooms/${enc(id)}/messages?limit=${limit}${before ? `&before=${before}` : ''}`)
      .then((r) => r.events);
  createInvite = (id: string) => this.call<{ code: string; url: string; expiresAt: number }>('POST', `/api/rooms/${enc(id)}/invites`, {});
  acceptInvite = (code: string) => this.call<Room>('POST', `/api/invites/${enc(code)}/accept`);
  setRole = (id: string, user: string, role: 'admin' | 'member') => this.call<unknown>('PUT', `/api/rooms/${enc(id)}/members/${enc(user)}`, { role });
  removeMember = (id: string, user: string) => this.call<void>('DELETE', `/api/rooms/${enc(id)}/members/${enc(user)}`);
  presence = (users: string[]) => this.call<Record<string, Presence>>('GET', `/api/presence?users=${users.map(enc).join(',')}`);
  wsTicket = () => this.call<{ ticket: string; expiresAt: number }>('POST', '/api/ws-ticket').then((r) => r.ticket);
}

const enc = encodeURIComponent;

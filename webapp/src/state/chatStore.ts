import type { ClientFrame, Presence, Room, ServerFrame } from '../protocol/types';
import { Connection, type ConnectionState } from '../net/connection';
import { newClientId, PendingSends } from '../net/pendingSends';
import { Api, type Session } from '../net/rest';
import { Inbound } from './inbound';
import { RoomState } from './roomState';

const OLDER_PAGE = 50;
/** New public rooms are not pushed to clients: the list is fetched again this often. */
const ROOM_LIST_REFRESH_MS = 15_000;
/** The server passes one `typing` a second per user and room; a little slower keeps every one useful. */
const TYPING_SEND_EVERY_MS = 1500;
const READ_SEND_DELAY_MS = 300;

/** The signed-in client: rooms, their timelines, presence, pending sends, and the socket. React reads it through `version`. */
export class ChatStore {
  readonly api: Api;
  readonly me: string;
  rooms = new Map<string, Room>();
  readonly states = new Map<string, RoomState>();
  readonly presence = new Map<string, Presence>();
  readonly pending = new PendingSends();
  conn: ConnectionState = { status: 'connecting', attempt: 0 };
  active: string | null = null;
  away = false;
  notice: string | null = null;
  version = 0;
  private readonly listeners = new Set<() => void>();
  private readonly connection: Connection;
  private readonly inbound = new Inbound(this);
  private listGeneration = 0;
  private refreshTimer: ReturnType<typeof setInterval> | undefined;
  private readonly readTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(session: Session, onSignOut: (message: string) => void) {
    this.me = session.user;
    this.api = new Api(session.token, () => onSignOut('Sign in again.'));
    this.connection = new Connection({
      ticket: () => this.api.wsTicket(),
      onOpen: () => this.onOpen(),
      onFrame: (f) => this.onFrame(f),
      onState: (s) => this.onConnState(s),
      onSignOut: (m) => onSignOut(m),
    });
  }

  start(): void {
    void this.refreshRooms();
    this.connection.start();
    this.refreshTimer = setInterval(() => void this.refreshRooms(), ROOM_LIST_REFRESH_MS);
  }

  stop(): void {
    clearInterval(this.refreshTimer);
    this.connection.stop();
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getVersion = (): number => this.version;

  emit(): void {
    this.version++;
    this.listeners.forEach((l) => l());
  }

  retryNow(): void {
    this.connection.retryNow();
  }

  // ---- rooms ----------------------------------------------------------------

  async refreshRooms(): Promise<void> {
    // a listing asked for before a room was created or an invite accepted would drop that room: only the newest counts
    const generation = ++this.listGeneration;
    try {
      const list = await this.api.rooms();
      if (generation !== this.listGeneration) return;
      this.rooms = new Map(list.map((r) => [r.id, r]));
      for (const r of list) if (r.role) this.ensureJoined(r.id);
      this.emit();
    } catch {
      // offline: the banner says so; the next refresh or reconnect tries again
    }
  }

  /** Opens a room; a public room the user is not in yet is joined (which makes them a member). */
  open(id: string | null): void {
    this.active = id;
    if (id) this.ensureJoined(id);
    this.emit();
  }

  async createRoom(name: string, priv: boolean): Promise<void> {
    const room = await this.api.createRoom(name, priv ? 'private' : 'public');
    this.rooms.set(room.id, room);
    this.open(room.id);
    void this.refreshRooms();
  }

  async acceptInvite(code: string): Promise<void> {
    const room = await this.api.acceptInvite(code);
    this.rooms.set(room.id, room);
    this.open(room.id);
    void this.refreshRooms();
  }

  async leave(id: string): Promise<void> {
    await this.api.removeMember(id, this.me);
    this.send({ type: 'leave', room: id });
    this.states.delete(id);
    if (this.active === id) this.active = null;
    await this.refreshRooms();
  }

  unread(id: string): number {
    const rs = this.states.get(id);
    const room = this.rooms.get(id);
    if (!rs || !room || !rs.joined) return 0;
    return Math.max(0, rs.head(room.seq) - (rs.reads[this.me] ?? 0));
  }

  ensureJoined(id: string): RoomState {
    let rs = this.states.get(id);
    if (!rs) {
      rs = new RoomState(id);
      this.states.set(id, rs);
    }
    if (!rs.joined && !rs.joining) this.join(rs);
    return rs;
  }

  /** Sends a join (resuming from the room's lastSeq once it has one). */
  join(rs: RoomState): void {
    rs.joining = this.send({ type: 'join', room: rs.id, lastSeq: rs.resumeFrom, ref: `join:${rs.id}` });
  }

  // ---- the timeline ---------------------------------------------------------

  sendMessage(room: string, text: string): void {
    this.pending.add(room, text, newClientId());
    // the message ends this bout of typing: the next keystroke announces a new one at once
    const rs = this.states.get(room);
    if (rs) rs.lastTypingSent = 0;
    this.flush(room);
    this.emit();
  }

  edit(room: string, target: number, text: string): void {
    this.send({ type: 'edit', room, target, text });
  }

  remove(room: string, target: number): void {
    this.send({ type: 'delete', room, target });
  }

  retrySend(clientId: string): void {
    const p = this.pending.get(clientId);
    this.pending.retry(clientId);
    if (p) this.flush(p.room);
    this.emit();
  }

  discardSend(clientId: string): void {
    this.pending.discard(clientId);
    this.emit();
  }

  typing(room: string): void {
    const rs = this.states.get(room);
    const now = Date.now();
    if (!rs?.joined || now - rs.lastTypingSent < TYPING_SEND_EVERY_MS) return;
    rs.lastTypingSent = now;
    this.send({ type: 'typing', room });
  }

  /** A message came into view: the read mark moves forward (sent after a short pause, highest seq only). */
  seen(room: string, seq: number): void {
    const rs = this.states.get(room);
    if (!rs?.joined || seq <= Math.max(rs.readSent, rs.reads[this.me] ?? 0)) return;
    rs.readSent = seq;
    if (this.readTimers.has(room)) return;
    this.readTimers.set(room, setTimeout(() => {
      this.readTimers.delete(room);
      if (this.send({ type: 'read', room, seq: rs.readSent })) rs.markRead(this.me, rs.readSent);
      else rs.readSent = 0;
      this.emit();
    }, READ_SEND_DELAY_MS));
  }

  async loadOlder(room: string): Promise<void> {
    const rs = this.states.get(room);
    if (!rs || rs.loadingOlder || !rs.timeline.hasOlder) return;
    rs.loadingOlder = true;
    this.emit();
    try {
      const events = await this.api.history(room, rs.timeline.oldestSeq, OLDER_PAGE);
      events.forEach((e) => rs.timeline.apply(e));
      if (events.length < OLDER_PAGE) rs.timeline.startsAt(1);
    } finally {
      rs.loadingOlder = false;
      this.emit();
    }
  }

  setAway(away: boolean): void {
    this.away = away;
    this.send({ type: 'presence', status: away ? 'away' : 'online' });
    this.presence.set(this.me, away ? 'away' : 'online');
    this.emit();
  }

  async setRole(room: string, user: string, role: 'admin' | 'member'): Promise<void> {
    await this.api.setRole(room, user, role);
  }

  async removeMember(room: string, user: string): Promise<void> {
    await this.api.removeMember(room, user);
  }

  dismissNotice(): void {
    this.notice = null;
    this.emit();
  }

  // ---- the socket -----------------------------------------------------------

  private send(f: ClientFrame): boolean {
    return this.connection.send(f);
  }

  /** Writes a room's queued sends, once the socket has joined it. */
  flush(room: string): void {
    if (!this.states.get(room)?.joined) return;
    for (const p of this.pending.queued(room)) {
      if (!this.send({ type: 'send', room, clientId: p.clientId, text: p.text, ref: p.clientId })) return;
      this.pending.markSent(p.clientId);
    }
  }

  private onOpen(): void {
    for (const rs of this.states.values()) this.join(rs);
    if (this.away) this.send({ type: 'presence', status: 'away' });
    void this.refreshRooms();
  }

  private onConnState(s: ConnectionState): void {
    this.conn = s;
    if (s.status !== 'open') {
      for (const rs of this.states.values()) {
        rs.joined = false;
        rs.joining = false;
      }
      this.pending.onDisconnect();
    }
    this.emit();
  }

  private onFrame(f: ServerFrame): void {
    if (this.inbound.handle(f)) this.emit();
  }
}

import { fetchGap, planResume, type Gap } from '../protocol/seqBuffer';
import { isTimelineEvent, type Ack, type ErrorFrame, type Joined, type ServerFrame, type TimelineEvent } from '../protocol/types';
import type { ChatStore } from './chatStore';
import { type RoomState, TYPING_SHOWN_MS } from './roomState';

/** A cut catch-up longer than this is not paged in: the timeline restarts (older history by scrolling up). */
const MAX_FILL = 2000;
const PAGE = 200;
const RETRY_SEND_MS = 1000;

/**
 * What the client does with each server frame: `joined` positions a room (resume, REST fill or
 * restart), timeline events go through the room's SeqBuffer, acks and errors settle pending sends.
 */
export class Inbound {
  constructor(private readonly s: ChatStore) {}

  /** Applies one server frame; answers whether the view may have changed. */
  handle(f: ServerFrame): boolean {
    if (isTimelineEvent(f)) this.onEvent(f);
    else if (f.type === 'joined') this.onJoined(f);
    else if (f.type === 'ack') this.onAck(f);
    else if (f.type === 'error') this.onError(f);
    else if (f.type === 'typing') this.onTyping(f.room, f.user);
    else if (f.type === 'read') this.s.states.get(f.room)?.markRead(f.user, f.seq);
    else if (f.type === 'presence') this.s.presence.set(f.user, f.status);
    else return false;
    return true;
  }

  private onJoined(j: Joined): void {
    const rs = this.s.states.get(j.room);
    if (!rs) return;
    const plan = planResume(rs.resumeFrom, j.firstSeq, MAX_FILL);
    rs.setJoined(j, this.s.presence);
    const room = this.s.rooms.get(j.room);
    if (room && !room.role) this.s.rooms.set(j.room, { ...room, role: 'member' });
    if (plan.kind === 'restart') rs.restartAt(j.firstSeq);
    if (plan.kind === 'fill') void this.fill(rs, plan.gap);
    this.s.flush(j.room);
  }

  private async fill(rs: RoomState, gap: Gap): Promise<void> {
    rs.filling = true;
    try {
      const events = await fetchGap(gap, (before, limit) => this.s.api.history(rs.id, before, limit), PAGE);
      for (const e of events) this.onEvent(e);
    } catch {
      // REST failed: resuming from lastSeq on the socket covers the rest
    } finally {
      rs.filling = false;
      if (rs.buffer.gap() && rs.joined) this.s.join(rs);
      this.s.emit();
    }
  }

  private onEvent(e: TimelineEvent): void {
    const rs = this.s.states.get(e.room);
    if (!rs) return;
    const newcomers: string[] = [];
    for (const a of rs.buffer.offer(e)) {
      rs.applyInOrder(a);
      if (a.type === 'member' && a.action === 'joined' && !this.s.presence.has(a.target)) newcomers.push(a.target);
      if (a.type === 'message' && a.user === this.s.me) this.s.pending.onDelivered(a.clientId);
      if (a.type === 'member' && a.target === this.s.me && (a.action === 'left' || a.action === 'removed')) this.lostRoom(a.room);
    }
    // presence is pushed on changes only: a member who was online before joining is asked for once
    if (newcomers.length > 0) void this.fetchPresence(newcomers);
    // a hole on a live socket: resume from the last seq in order (not while a REST fill is expected to close it)
    if (rs.buffer.gap() && !rs.filling && rs.joined) {
      rs.joined = false;
      this.s.join(rs);
    }
  }

  private async fetchPresence(users: string[]): Promise<void> {
    try {
      const got = await this.s.api.presence(users);
      for (const [u, p] of Object.entries(got)) if (!this.s.presence.has(u)) this.s.presence.set(u, p);
      this.s.emit();
    } catch {
      // shown as offline until the next presence frame
    }
  }

  private lostRoom(id: string): void {
    this.s.states.delete(id);
    const room = this.s.rooms.get(id);
    if (room?.visibility === 'private') this.s.rooms.delete(id);
    else if (room) this.s.rooms.set(id, { ...room, role: null });
    if (this.s.active === id) {
      this.s.active = null;
      this.s.notice = `You are no longer a member of ${room?.name ?? 'the room'}.`;
    }
  }

  private onAck(a: Ack): void {
    if (!a.clientId) return;
    this.s.pending.onAck(a.clientId, a.seq);
    if (this.s.states.get(a.room)?.timeline.hasMessage(this.s.me, a.clientId)) this.s.pending.onDelivered(a.clientId);
  }

  private onError(e: ErrorFrame): void {
    const p = e.ref ? this.s.pending.get(e.ref) : undefined;
    if (p) {
      if (this.s.pending.onError(p.clientId, e.code, e.message)) setTimeout(() => this.s.flush(p.room), RETRY_SEND_MS);
      return;
    }
    if (e.ref?.startsWith('join:')) {
      const rs = this.s.states.get(e.ref.slice(5));
      if (rs) {
        rs.joining = false;
        rs.error = e.message;
        if (e.code === 'unavailable') setTimeout(() => this.s.ensureJoined(rs.id), RETRY_SEND_MS);
      }
      return;
    }
    this.s.notice = e.message;
  }

  private onTyping(room: string, user: string): void {
    const rs = this.s.states.get(room);
    if (!rs) return;
    rs.typing.set(user, Date.now() + TYPING_SHOWN_MS);
    setTimeout(() => this.s.emit(), TYPING_SHOWN_MS + 50);
  }
}

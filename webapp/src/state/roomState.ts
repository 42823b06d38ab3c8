import { SeqBuffer } from '../protocol/seqBuffer';
import type { Joined, Presence, Role, TimelineEvent } from '../protocol/types';
import { Timeline } from './timeline';

/** How long "x is typing…" shows after the last `typing` frame (the server passes at most one a second). */
export const TYPING_SHOWN_MS = 4000;

/** What the client holds for one room it is a member of, or has open. */
export class RoomState {
  readonly buffer = new SeqBuffer<TimelineEvent>(0);
  readonly timeline = new Timeline();
  readonly members = new Map<string, Role>();
  reads: Record<string, number> = {};
  readonly typing = new Map<string, number>();
  /** the current socket has joined it (its `joined` came) */
  joined = false;
  /** a join is on its way on the current socket */
  joining = false;
  /** the buffer holds a position, so a join resumes from lastSeq */
  positioned = false;
  /** a REST fill of a cut catch-up is running: held events are expected meanwhile */
  filling = false;
  loadingOlder = false;
  /** the highest read mark this client sent */
  readSent = 0;
  lastTypingSent = 0;
  error: string | undefined;

  constructor(readonly id: string) {}

  /** The seq a resuming join sends, or undefined for a first join (the last 50 events). */
  get resumeFrom(): number | undefined {
    return this.positioned ? this.buffer.lastSeq : undefined;
  }

  setJoined(j: Joined, presence: Map<string, Presence>): void {
    this.members.clear();
    for (const m of j.members) {
      this.members.set(m.user, m.role);
      if (m.presence) presence.set(m.user, m.presence);
    }
    this.reads = { ...j.reads };
    this.joined = true;
    this.joining = false;
    this.positioned = true;
    this.error = undefined;
  }

  /** Restarts the timeline at a catch-up that begins at `firstSeq`. */
  restartAt(firstSeq: number): void {
    if (this.positioned) this.timeline.clear();
    this.buffer.reset(firstSeq - 1).forEach((e) => this.applyInOrder(e));
    this.timeline.startsAt(firstSeq);
  }

  /** Applies one event that the buffer released in seq order. */
  applyInOrder(e: TimelineEvent): void {
    this.timeline.apply(e);
    if (e.type === 'message') this.typing.delete(e.user);
    if (e.type !== 'member') return;
    if (e.action === 'joined' || e.action === 'role') this.members.set(e.target, e.role ?? this.members.get(e.target) ?? 'member');
    else this.members.delete(e.target);
  }

  markRead(user: string, seq: number): void {
    if (seq > (this.reads[user] ?? 0)) this.reads = { ...this.reads, [user]: seq };
  }

  /** Users (other than `me`) typing now. */
  typists(me: string, now: number): string[] {
    return [...this.typing].filter(([u, until]) => u !== me && until > now).map(([u]) => u).sort();
  }

  /** The head this client knows: what the listing said or the newest event it applied. */
  head(listed: number): number {
    return Math.max(listed, this.buffer.lastSeq);
  }
}

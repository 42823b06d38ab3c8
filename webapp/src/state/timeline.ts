import type { Role, TimelineEvent } from '../protocol/types';

/** One line of a room's timeline as shown: a message (edits and deletes applied in place) or a membership change. */
export type Item =
  | { kind: 'message'; seq: number; ts: number; user: string; text: string; clientId: string; edited: boolean; deleted: boolean }
  | { kind: 'member'; seq: number; ts: number; user: string; target: string; action: string; role?: Role };

/**
 * The events of one room that the client holds, live ones (in seq order, through the room's
 * SeqBuffer) and older pages loaded by scrolling up. Edits and deletes are kept by target, so one
 * that arrives before its message (an older page loaded later) still applies.
 */
export class Timeline {
  private readonly items = new Map<number, Item>();
  private readonly edits = new Map<number, { seq: number; text: string }>();
  private readonly deletes = new Set<number>();
  private cache: Item[] | null = null;
  /** lowest seq the client has (or the catch-up start), for paging older history */
  private oldest = Infinity;

  apply(e: TimelineEvent): void {
    this.oldest = Math.min(this.oldest, e.seq);
    this.cache = null;
    switch (e.type) {
      case 'message':
        this.items.set(e.seq, { kind: 'message', seq: e.seq, ts: e.ts, user: e.user, text: e.text, clientId: e.clientId, edited: false, deleted: false });
        break;
      case 'edited': {
        const prev = this.edits.get(e.target);
        if (!prev || prev.seq < e.seq) this.edits.set(e.target, { seq: e.seq, text: e.text });
        break;
      }
      case 'deleted':
        this.deletes.add(e.target);
        break;
      case 'member':
        this.items.set(e.seq, { kind: 'member', seq: e.seq, ts: e.ts, user: e.user, target: e.target, action: e.action, role: e.role });
        break;
    }
  }

  /** Where the timeline begins when nothing older has been loaded yet (a join's `firstSeq`). */
  startsAt(seq: number): void {
    this.oldest = Math.min(this.oldest, seq);
  }

  /** Drops everything (a gap too long to fill): the timeline starts again at the catch-up. */
  clear(): void {
    this.items.clear();
    this.edits.clear();
    this.deletes.clear();
    this.oldest = Infinity;
    this.cache = null;
  }

  get oldestSeq(): number {
    return this.oldest;
  }

  get hasOlder(): boolean {
    return this.oldest > 1 && this.oldest !== Infinity;
  }

  hasMessage(user: string, clientId: string): boolean {
    for (const it of this.items.values()) if (it.kind === 'message' && it.user === user && it.clientId === clientId) return true;
    return false;
  }

  list(): Item[] {
    if (!this.cache) {
      this.cache = [...this.items.values()].sort((a, b) => a.seq - b.seq).map((it) => {
        if (it.kind !== 'message') return it;
        const edit = this.edits.get(it.seq);
        return { ...it, text: edit ? edit.text : it.text, edited: !!edit, deleted: this.deletes.has(it.seq) };
      });
    }
    return this.cache;
  }
}

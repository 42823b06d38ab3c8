/**
 * Orders one room's timeline events by seq: applies each seq once, holds events that arrive
 * ahead of a missing one, and says which range is missing. `lastSeq` is the highest seq up to
 * which everything has been applied; it is what a resuming `join` sends.
 */
export interface Sequenced { seq: number }

export interface Gap { from: number; to: number }

export class SeqBuffer<E extends Sequenced> {
  private last: number;
  private readonly held = new Map<number, E>();

  /** @param maxHeld how many events may wait behind a gap before the caller must resync */
  constructor(lastSeq = 0, private readonly maxHeld = 2000) {
    this.last = lastSeq;
  }

  get lastSeq(): number {
    return this.last;
  }

  get heldCount(): number {
    return this.held.size;
  }

  /** True when more events wait behind a gap than the bound allows. */
  get overflowing(): boolean {
    return this.held.size > this.maxHeld;
  }

  /** Starts over after `lastSeq` (a fresh join, or a gap too large to fill); held events after it stay. */
  reset(lastSeq: number): E[] {
    this.last = lastSeq;
    for (const seq of [...this.held.keys()]) if (seq <= lastSeq) this.held.delete(seq);
    return this.drain();
  }

  /** Offers one event; answers the events that are now in order (none for a duplicate or a held one). */
  offer(event: E): E[] {
    if (event.seq <= this.last || this.held.has(event.seq)) return [];
    this.held.set(event.seq, event);
    return this.drain();
  }

  /** The missing range before the first held event, or null when nothing waits. */
  gap(): Gap | null {
    if (this.held.size === 0) return null;
    return { from: this.last + 1, to: Math.min(...this.held.keys()) - 1 };
  }

  private drain(): E[] {
    const out: E[] = [];
    for (let next = this.held.get(this.last + 1); next; next = this.held.get(this.last + 1)) {
      this.held.delete(next.seq);
      this.last = next.seq;
      out.push(next);
    }
    return out;
  }
}

/** What a `joined` answer to a resuming join means for a room whose buffer is at `lastSeq`. */
export type ResumePlan =
  | { kind: 'continue' }
  | { kind: 'fill'; gap: Gap }
  | { kind: 'restart'; lastSeq: number };

/**
 * A catch-up starts at `firstSeq`. With no `lastSeq` (a first join) the timeline starts there.
 * If it starts past `lastSeq + 1` the server cut the catch-up: the missing range is paged over
 * REST, unless it is longer than `maxFill`, when the timeline restarts at the catch-up and older
 * history comes back by scrolling up.
 */
export function planResume(lastSeq: number | undefined, firstSeq: number, maxFill: number): ResumePlan {
  if (lastSeq === undefined) return { kind: 'restart', lastSeq: firstSeq - 1 };
  if (firstSeq <= lastSeq + 1) return { kind: 'continue' };
  const gap = { from: lastSeq + 1, to: firstSeq - 1 };
  return gap.to - gap.from + 1 > maxFill ? { kind: 'restart', lastSeq: firstSeq - 1 } : { kind: 'fill', gap };
}

/** A REST history page: up to `limit` events with seq < before, ascending. */
export type PageFetcher<E> = (before: number, limit: number) => Promise<E[]>;

/** Pages backwards from `gap.to + 1` until the gap is covered; answers its events ascending. */
export async function fetchGap<E extends Sequenced>(gap: Gap, fetchPage: PageFetcher<E>, pageSize: number): Promise<E[]> {
  const pages: E[][] = [];
  let before = gap.to + 1;
  while (before > gap.from) {
    const page = (await fetchPage(before, Math.min(pageSize, before - gap.from))).filter((e) => e.seq >= gap.from && e.seq < before);
    if (page.length === 0) break;
    pages.unshift(page);
    before = page[0].seq;
  }
  return pages.flat();
}

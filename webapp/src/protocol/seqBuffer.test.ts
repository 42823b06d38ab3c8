import { describe, expect, it } from 'vitest';
import { fetchGap, planResume, SeqBuffer } from './seqBuffer';

const ev = (seq: number) => ({ seq, text: `m${seq}` });
const seqs = (es: { seq: number }[]) => es.map((e) => e.seq);

describe('SeqBuffer', () => {
  it('applies in-order events at once', () => {
    const b = new SeqBuffer(0);
    expect(seqs(b.offer(ev(1)))).toEqual([1]);
    expect(seqs(b.offer(ev(2)))).toEqual([2]);
    expect(b.lastSeq).toBe(2);
    expect(b.gap()).toBeNull();
  });

  it('orders out-of-order input and releases it when the hole is filled', () => {
    const b = new SeqBuffer(10);
    expect(b.offer(ev(13))).toEqual([]);
    expect(b.offer(ev(12))).toEqual([]);
    expect(b.gap()).toEqual({ from: 11, to: 11 });
    expect(seqs(b.offer(ev(11)))).toEqual([11, 12, 13]);
    expect(b.lastSeq).toBe(13);
    expect(b.heldCount).toBe(0);
  });

  it('drops duplicates, applied or held', () => {
    const b = new SeqBuffer(0);
    b.offer(ev(1));
    expect(b.offer(ev(1))).toEqual([]);
    b.offer(ev(3));
    expect(b.offer(ev(3))).toEqual([]);
    expect(b.heldCount).toBe(1);
    expect(seqs(b.offer(ev(2)))).toEqual([2, 3]);
    expect(b.offer(ev(2))).toEqual([]);
  });

  it('reports a gap and overflows past its bound', () => {
    const b = new SeqBuffer(5, 2);
    b.offer(ev(9));
    b.offer(ev(8));
    expect(b.gap()).toEqual({ from: 6, to: 7 });
    expect(b.overflowing).toBe(false);
    b.offer(ev(10));
    expect(b.overflowing).toBe(true);
  });

  it('restarts after a new lastSeq and keeps held events past it', () => {
    const b = new SeqBuffer(1);
    b.offer(ev(50));
    b.offer(ev(51));
    expect(seqs(b.reset(49))).toEqual([50, 51]);
    expect(b.lastSeq).toBe(51);
  });
});

describe('planResume', () => {
  it('starts a first join at the catch-up', () => {
    expect(planResume(undefined, 7, 1000)).toEqual({ kind: 'restart', lastSeq: 6 });
  });

  it('continues when the catch-up starts right after lastSeq, or earlier', () => {
    expect(planResume(10, 11, 1000)).toEqual({ kind: 'continue' });
    expect(planResume(10, 5, 1000)).toEqual({ kind: 'continue' });
  });

  it('fills over REST when firstSeq is past lastSeq + 1', () => {
    expect(planResume(10, 1500, 2000)).toEqual({ kind: 'fill', gap: { from: 11, to: 1499 } });
  });

  it('restarts when the gap is longer than it may fill', () => {
    expect(planResume(10, 5000, 1000)).toEqual({ kind: 'restart', lastSeq: 4999 });
  });
});

describe('fetchGap', () => {
  // a room's stored history, 1..3000, answered as PROTOCOL.md's history pages
  const history = Array.from({ length: 3000 }, (_, i) => ev(i + 1));
  const page = async (before: number, limit: number) => history.filter((e) => e.seq < before).slice(-Math.min(limit, 200));

  it('pages backwards until the gap is covered, ascending', async () => {
    const got = await fetchGap({ from: 11, to: 1499 }, page, 200);
    expect(seqs(got)).toEqual(Array.from({ length: 1489 }, (_, i) => i + 11));
  });

  it('fills the buffer so the held catch-up follows in order', async () => {
    const b = new SeqBuffer(10);
    const catchUp = [1500, 1501, 1502].map(ev);
    catchUp.forEach((e) => b.offer(e));
    const filled = (await fetchGap(b.gap()!, page, 200)).flatMap((e) => b.offer(e));
    expect(filled.length).toBe(1492);
    expect(b.lastSeq).toBe(1502);
    expect(b.gap()).toBeNull();
  });

  it('stops when the server has nothing older', async () => {
    const empty = async () => [];
    expect(await fetchGap({ from: 1, to: 5 }, empty, 50)).toEqual([]);
  });
});

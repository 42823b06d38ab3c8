import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Room } from '../protocol/types';
import type { ChatStore } from '../state/chatStore';
import type { Item } from '../state/timeline';
import { MessageLine, PendingLine } from './MessageLine';

/** Within this many pixels of the bottom the view follows new messages; near the top it loads older ones. */
const STICK_PX = 80;
const LOAD_OLDER_PX = 40;

export function TimelineView({ store, room }: { store: ChatStore; room: Room }) {
  const rs = store.states.get(room.id);
  const items = rs?.timeline.list() ?? [];
  const pending = store.pending.inRoom(room.id).filter((p) => !rs?.timeline.hasMessage(store.me, p.clientId));
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const prevHeight = useRef<{ first: number | undefined; height: number }>({ first: undefined, height: 0 });
  const myRole = rs?.members.get(store.me) ?? room.role;

  // keep the view where the reader is: at the bottom for new messages, in place when older ones are prepended
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const first = items[0]?.seq;
    const prev = prevHeight.current;
    if (prev.first !== undefined && first !== undefined && first < prev.first) el.scrollTop += el.scrollHeight - prev.height;
    else if (stick.current) el.scrollTop = el.scrollHeight;
    prevHeight.current = { first, height: el.scrollHeight };
  });

  // read marks: a message counts as read once it has been on screen
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => {
      if (document.visibilityState !== 'visible') return;
      for (const en of entries) if (en.isIntersecting) store.seen(room.id, Number((en.target as HTMLElement).dataset.seq));
    }, { root: el, threshold: 0.5 });
    el.querySelectorAll('[data-seq]').forEach((n) => io.observe(n));
    return () => io.disconnect();
  });

  function onScroll() {
    const el = ref.current!;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    if (el.scrollTop < LOAD_OLDER_PX && rs?.timeline.hasOlder) void store.loadOlder(room.id);
  }

  const seenBy = lastMessageSeenBy(items, rs?.reads ?? {}, store.me);
  return (
    <div className="timeline" ref={ref} onScroll={onScroll} role="log" aria-label="Messages" tabIndex={0}>
      {rs?.timeline.hasOlder && (
        <button type="button" className="link older" onClick={() => void store.loadOlder(room.id)} disabled={rs.loadingOlder}>
          {rs.loadingOlder ? 'Loading…' : 'Load older messages'}
        </button>
      )}
      {!rs?.joined && items.length === 0 && <p className="muted center">Loading…</p>}
      {items.map((it) => (
        <MessageLine key={it.seq} item={it} store={store} room={room} myRole={myRole} />
      ))}
      {pending.map((p) => <PendingLine key={p.clientId} pending={p} store={store} />)}
      {seenBy.length > 0 && <p className="seen-by">Seen by {seenBy.join(', ')}</p>}
    </div>
  );
}

/** Who (besides me and the author) has read up to the newest message. */
function lastMessageSeenBy(items: Item[], reads: Record<string, number>, me: string): string[] {
  const last = [...items].reverse().find((i) => i.kind === 'message');
  if (!last) return [];
  return Object.entries(reads).filter(([u, s]) => u !== me && u !== last.user && s >= last.seq).map(([u]) => u).sort();
}

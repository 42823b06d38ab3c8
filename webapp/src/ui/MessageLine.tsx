import { useState, type KeyboardEvent } from 'react';
import type { Role, Room } from '../protocol/types';
import type { PendingSend } from '../net/pendingSends';
import type { ChatStore } from '../state/chatStore';
import type { Item } from '../state/timeline';

const time = (ts: number) => new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function Avatar({ user }: { user: string }) {
  let h = 0;
  for (const c of user) h = (h * 31 + c.charCodeAt(0)) % 360;
  return <span className="avatar" aria-hidden="true" style={{ background: `hsl(${h} 55% 45%)` }}>{user[0]?.toUpperCase()}</span>;
}

export function MessageLine({ item, store, room, myRole }: { item: Item; store: ChatStore; room: Room; myRole: Role | null }) {
  const [editing, setEditing] = useState(false);
  if (item.kind === 'member') {
    const what = { joined: 'joined', left: 'left', removed: `was removed by ${item.user}`, role: `is now ${item.role}` }[item.action] ?? item.action;
    return (
      <div className="event" data-seq={item.seq}>
        <span className="author">{item.target}</span> {what} <time>{time(item.ts)}</time>
      </div>
    );
  }
  const mine = item.user === store.me;
  const canDelete = !item.deleted && (mine || myRole === 'owner' || myRole === 'admin');
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') setEditing(false);
    if (e.key === 'Enter' && e.currentTarget.value.trim()) {
      store.edit(room.id, item.seq, e.currentTarget.value.trim());
      setEditing(false);
    }
  };
  return (
    <article className={`msg ${mine ? 'mine' : ''}`} data-seq={item.seq} aria-label={`${item.user}: ${item.deleted ? 'message deleted' : item.text}`}>
      <Avatar user={item.user} />
      <div className="msg-body">
        <div className="msg-meta">
          <span className="author">{item.user}</span> <time dateTime={new Date(item.ts).toISOString()}>{time(item.ts)}</time>
          {item.edited && !item.deleted && <span className="muted"> (edited)</span>}
        </div>
        {item.deleted ? <p className="text deleted">message deleted</p>
          : editing ? <input className="edit" aria-label="Edit message" defaultValue={item.text} autoFocus onKeyDown={onKey} onBlur={() => setEditing(false)} />
          : <p className="text">{item.text}</p>}
      </div>
      {!editing && (mine || canDelete) && !item.deleted && (
        <div className="msg-actions">
          {mine && <button type="button" className="link small-text" onClick={() => setEditing(true)}>Edit</button>}
          {canDelete && <button type="button" className="link small-text danger" onClick={() => store.remove(room.id, item.seq)}>Delete</button>}
        </div>
      )}
    </article>
  );
}

export function PendingLine({ pending, store }: { pending: PendingSend; store: ChatStore }) {
  const failed = pending.state === 'failed';
  return (
    <article className={`msg mine pending ${failed ? 'failed' : ''}`} aria-label={`${store.me}: ${pending.text}`}>
      <Avatar user={store.me} />
      <div className="msg-body">
        <div className="msg-meta">
          <span className="author">{store.me}</span>{' '}
          <span className="muted">{failed ? `not sent: ${pending.error}` : pending.state === 'acked' ? 'sent' : 'sending…'}</span>
        </div>
        <p className="text">{pending.text}</p>
      </div>
      {failed && (
        <div className="msg-actions">
          <button type="button" className="link small-text" onClick={() => store.retrySend(pending.clientId)}>Retry</button>
          <button type="button" className="link small-text" onClick={() => store.discardSend(pending.clientId)}>Discard</button>
        </div>
      )}
    </article>
  );
}

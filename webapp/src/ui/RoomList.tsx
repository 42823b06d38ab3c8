import { useState } from 'react';
import type { Room } from '../protocol/types';
import type { ChatStore } from '../state/chatStore';
import { NewRoomForm } from './NewRoomForm';
import { RoomIcon } from './icons';

export function RoomList({ store }: { store: ChatStore }) {
  const [creating, setCreating] = useState(false);
  const all = [...store.rooms.values()].sort((a, b) => a.name.localeCompare(b.name));
  const mine = all.filter((r) => r.role);
  const others = all.filter((r) => !r.role);
  return (
    <nav className="rooms" aria-label="Rooms">
      <div className="rooms-head">
        <h2>Rooms</h2>
        <button type="button" className="primary small" onClick={() => setCreating(!creating)} aria-expanded={creating}>
          New room
        </button>
      </div>
      {creating && <NewRoomForm store={store} onDone={() => setCreating(false)} />}
      <Section title="Your rooms" rooms={mine} store={store} empty="You are in no room yet." />
      {others.length > 0 && <Section title="Public rooms" rooms={others} store={store} />}
    </nav>
  );
}

function Section({ title, rooms, store, empty }: { title: string; rooms: Room[]; store: ChatStore; empty?: string }) {
  return (
    <section>
      <h3>{title}</h3>
      {rooms.length === 0 && empty && <p className="muted small-text">{empty}</p>}
      <ul>
        {rooms.map((r) => {
          const unread = store.unread(r.id);
          const current = store.active === r.id;
          return (
            <li key={r.id} className={current ? 'current' : ''}>
              <RoomIcon visibility={r.visibility} />
              <button type="button" className="room-link" aria-current={current ? 'page' : undefined}
                onClick={() => store.open(r.id)}>{r.name}</button>
              {unread > 0 && !current && <span className="badge" aria-label={`${unread} unread`}>{unread > 99 ? '99+' : unread}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

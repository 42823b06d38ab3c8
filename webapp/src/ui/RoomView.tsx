import { useState } from 'react';
import type { Room } from '../protocol/types';
import type { ChatStore } from '../state/chatStore';
import { Composer } from './Composer';
import { InvitePanel } from './InvitePanel';
import { RoomIcon } from './icons';
import { MemberList } from './MemberList';
import { TimelineView } from './TimelineView';

export function RoomView({ store, room }: { store: ChatStore; room: Room }) {
  const [showMembers, setShowMembers] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rs = store.states.get(room.id);
  const myRole = rs?.members.get(store.me) ?? room.role;
  const canInvite = myRole === 'owner' || myRole === 'admin';
  const typists = rs ? rs.typists(store.me, Date.now()) : [];

  async function leave() {
    setError(null);
    try {
      await store.leave(room.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not leave the room.');
    }
  }

  return (
    <main className="room" aria-labelledby="room-title">
      <header className="room-head">
        <button type="button" className="ghost back" onClick={() => store.open(null)} aria-label="Back to rooms">‹</button>
        <h2 id="room-title">
          <RoomIcon visibility={room.visibility} />
          {room.name}
        </h2>
        <span className="spacer" />
        {canInvite && <InvitePanel store={store} room={room} />}
        <button type="button" className="ghost" aria-expanded={showMembers} aria-controls="members-panel"
          onClick={() => setShowMembers(!showMembers)}>
          Members ({rs?.members.size ?? 0})
        </button>
        {myRole !== 'owner' && <button type="button" className="ghost" onClick={leave}>Leave</button>}
      </header>
      {(error ?? rs?.error) && <p className="error" role="alert">{error ?? rs?.error}</p>}
      <div className={`room-body ${showMembers ? 'members-open' : ''}`}>
        <div className="room-main">
          <TimelineView store={store} room={room} />
          <div className="typing" aria-live="polite">
            {typists.length > 0 && `${typists.join(', ')} ${typists.length === 1 ? 'is' : 'are'} typing…`}
          </div>
          <Composer store={store} room={room} />
        </div>
        {rs && <MemberList store={store} room={room} state={rs} myRole={myRole} />}
      </div>
    </main>
  );
}

import type { ChatStore } from '../state/chatStore';
import { ConnectionBanner } from './ConnectionBanner';
import { ChatIcon } from './icons';
import { RoomList } from './RoomList';
import { RoomView } from './RoomView';
import { useStore } from './useStore';

export function ChatApp({ store, onSignOut }: { store: ChatStore; onSignOut: () => void }) {
  const s = useStore(store);
  const room = s.active ? s.rooms.get(s.active) : undefined;
  return (
    <div className={`app ${room ? 'has-room' : ''}`}>
      <header className="topbar">
        <span className="logo"><ChatIcon /></span>
        <span className="title">pekko-chat</span>
        <span className="spacer" />
        <span className="me">
          <span className={`dot ${s.away ? 'away' : 'online'}`} aria-hidden="true" />
          {s.me}
          <span className="sr-only">{s.away ? ' (away)' : ' (online)'}</span>
        </span>
        <button type="button" className="ghost" onClick={() => s.setAway(!s.away)}>
          {s.away ? 'Set online' : 'Set away'}
        </button>
        <button type="button" className="ghost" onClick={onSignOut}>Sign out</button>
      </header>
      <ConnectionBanner store={s} />
      {s.notice && (
        <div className="notice" role="alert">
          {s.notice} <button type="button" className="link" onClick={() => s.dismissNotice()}>Dismiss</button>
        </div>
      )}
      <div className="body">
        <RoomList store={s} />
        {room ? (
          <RoomView key={room.id} store={s} room={room} />
        ) : (
          <main className="empty">
            <h2>Welcome, {s.me}</h2>
            <p className="muted">Pick a room on the left, or create one with “New room”.</p>
          </main>
        )}
      </div>
    </div>
  );
}

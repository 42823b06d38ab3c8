import { useState, type FormEvent } from 'react';
import type { ChatStore } from '../state/chatStore';

export function NewRoomForm({ store, onDone }: { store: ChatStore; onDone: () => void }) {
  const [name, setName] = useState('');
  const [priv, setPriv] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await store.createRoom(name.trim(), priv);
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not create the room.');
    }
  }

  return (
    <form className="new-room" onSubmit={submit} aria-label="New room">
      <label htmlFor="room-name">Room name</label>
      <input id="room-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      <label className="check">
        <input type="checkbox" checked={priv} onChange={(e) => setPriv(e.target.checked)} /> Private
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="row">
        <button type="submit" className="primary small">Create</button>
        <button type="button" className="small" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}

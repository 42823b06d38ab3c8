import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Room } from '../protocol/types';
import type { ChatStore } from '../state/chatStore';

const MAX_CHARS = 4000;

/** The message box: Enter sends, Shift+Enter starts a new line; typing tells the room. */
export function Composer({ store, room }: { store: ChatStore; room: Room }) {
  const [text, setText] = useState('');
  const tooLong = [...text].length > MAX_CHARS;

  function submit(e?: FormEvent) {
    e?.preventDefault();
    const t = text.trim();
    if (!t || tooLong) return;
    store.sendMessage(room.id, t);
    setText('');
  }

  function onKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) submit(e);
  }

  return (
    <form className="composer" onSubmit={submit}>
      <textarea aria-label="Message" placeholder={`Message ${room.name}`} rows={1} value={text}
        onChange={(e) => { setText(e.target.value); if (e.target.value) store.typing(room.id); }}
        onKeyDown={onKey} aria-invalid={tooLong} />
      <button type="submit" className="primary" disabled={!text.trim() || tooLong}>Send</button>
    </form>
  );
}

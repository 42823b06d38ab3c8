import { useState } from 'react';
import type { Room } from '../protocol/types';
import type { ChatStore } from '../state/chatStore';

/** Owners and admins make an invite link; the full URL is shown, selectable and copyable. */
export function InvitePanel({ store, room }: { store: ChatStore; room: Room }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  async function invite() {
    setError(null);
    try {
      setUrl((await store.api.createInvite(room.id)).url);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not make an invite.');
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(url!);
      setCopied(true);
    } catch {
      // no clipboard outside secure contexts: select the link so the user can copy it
      const el = document.getElementById('invite-url');
      if (el) window.getSelection()?.selectAllChildren(el);
    }
  }

  return (
    <div className="invite">
      <button type="button" className="ghost" onClick={invite}>Invite</button>
      {(url || error) && (
        <div className="popover" role="dialog" aria-label="Invite link">
          {error && <p className="error" role="alert">{error}</p>}
          {url && (
            <>
              <p className="invite-title" id="invite-label">Invite link (valid 7 days)</p>
              <code id="invite-url" className="invite-url" aria-labelledby="invite-label" tabIndex={0}>{url}</code>
              <div className="row">
                <button type="button" className="primary small" onClick={copy}>{copied ? 'Copied' : 'Copy link'}</button>
                <button type="button" className="small" onClick={() => { setUrl(null); setCopied(false); }}>Close</button>
              </div>
            </>
          )}
        </div>
      )}
    </div>
  );
}

import type { ChatStore } from '../state/chatStore';

/**
 * A status region: always in the page (a live region must exist before it speaks), empty and
 * collapsed while the socket is open, "Reconnecting…" while it is down.
 */
export function ConnectionBanner({ store }: { store: ChatStore }) {
  const c = store.conn;
  // the first connect normally takes a moment: only a failed one is worth a banner
  const down = c.status === 'reconnecting' || c.status === 'stopped';
  return (
    <div role="status" className={down ? 'banner' : 'banner idle'}>
      {c.status === 'reconnecting' && (
        <>
          Reconnecting… your messages will be sent when the connection is back.{' '}
          <button type="button" className="link" onClick={() => store.retryNow()}>Retry now</button>
        </>
      )}
      {c.status === 'stopped' && (c.message ?? 'Disconnected.')}
    </div>
  );
}

import { useSyncExternalStore } from 'react';
import type { ChatStore } from '../state/chatStore';

/** Re-renders the caller whenever the store changes; the caller reads the store directly. */
export function useStore(store: ChatStore): ChatStore {
  useSyncExternalStore(store.subscribe, store.getVersion);
  return store;
}

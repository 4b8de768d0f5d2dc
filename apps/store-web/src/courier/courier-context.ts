// The running courier session (inbox and connection state), for the layout and the inbox page.
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { ConnectionState } from '../collab/live-feed.js';
import type { CourierInbox } from './courier-inbox.js';

export interface CourierState {
  inbox: CourierInbox;
  connection: ConnectionState | 'unregistered';
}

export const CourierContext = createContext<CourierState | null>(null);

export function useCourier(): CourierState | null {
  return useContext(CourierContext);
}

/** Re-renders the caller whenever the inbox changes. */
export function useInboxVersion(inbox: CourierInbox | undefined): number {
  const [version, setVersion] = useState(0);
  useEffect(() => inbox?.onChange(() => setVersion((v) => v + 1)), [inbox]);
  return version;
}

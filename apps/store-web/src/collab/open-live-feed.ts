// Opens the live feed over the collaboration client SDK (packages/collab-client): the WebSocket
// address and a fresh token come from the store (POST /api/collab/token) whenever the SDK
// (re)connects; the SDK reconnects with backoff and resubscribes from the last seq it handed over.
import { connect } from '@vestnik/collab-client';
import type { ConnectionState as SdkState } from '@vestnik/collab-client';
import { api } from '../api/store-api.js';
import type { CollabToken } from '../api/types.js';
import type { ConnectionState, LiveFeed } from './live-feed.js';

const stateOf: Record<SdkState, ConnectionState> = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  closed: 'offline',
};

export function openLiveFeed(): LiveFeed {
  // The token answer also names the WebSocket; the first one is asked for the address and then
  // handed to the SDK as its first token, so a (re)connect costs one request, not two.
  let unused: CollabToken | undefined;
  let wsUrl: string | undefined;
  const fetchToken = async () => {
    const answer = await api.collabToken();
    wsUrl = answer.wsUrl;
    return answer;
  };
  const client = connect({
    url: async () => {
      if (wsUrl === undefined) unused = await fetchToken();
      return wsUrl!;
    },
    getToken: async () => {
      const token = unused ?? (await fetchToken());
      unused = undefined;
      return token.token;
    },
  });
  let state: ConnectionState = stateOf[client.state];
  const listeners = new Set<(state: ConnectionState) => void>();
  const set = (next: ConnectionState) => {
    state = next;
    for (const listener of listeners) listener(next);
  };
  client.on('connecting', () => set('connecting'));
  client.on('connected', () => set('connected'));
  client.on('reconnecting', () => set('reconnecting'));
  client.on('closed', () => set('offline'));
  client.on('error', (error) => console.warn('collaboration:', error.code, error.message));

  return {
    get state() {
      return state;
    },
    onState(listener) {
      listeners.add(listener);
      listener(state);
      return () => void listeners.delete(listener);
    },
    attach(key, since, handler) {
      return client.attachNewMessageHandler({ key }, handler, {
        since,
        onError: (error) => console.warn('service conversation:', error.code, error.message),
      });
    },
    close() {
      client.close();
    },
  };
}

// Drives the naive `ws` peer: JSON frames `join`, `joined`, `publish`, `message`.

import { fileURLToPath } from 'node:url';
import { notificationMessage, scanMarkers } from '../lib/order-notification.js';
import { RawWebSocket } from '../lib/raw-websocket.js';
import {
  HOST,
  ROOM,
  waitFor,
  type DeliveryHandler,
  type Publisher,
  type StartOptions,
  type Subscriber,
  type SubscribeOptions,
  type Target,
  type Client,
  type Endpoint,
  type TargetKind,
  servedBy,
  startPeerServer,
} from './target.js';

const SCRIPT = fileURLToPath(new URL('../servers/ws-server.ts', import.meta.url));

class WsClient implements Client {
  readonly name = 'ws' as const;
  readonly endpoint: Endpoint;

  constructor(endpoint: Endpoint) {
    this.endpoint = endpoint;
  }

  async connectSubscriber(
    _index: number,
    onDelivery: DeliveryHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscriber> {
    const joined = waitFor('ws join');
    let isJoined = false;
    const ws = await RawWebSocket.connect({
      host: HOST,
      port: this.endpoint.port,
      path: '/',
      onClose: options.onClose,
      onFrame: (frame) => {
        if (isJoined) scanMarkers(frame, onDelivery);
        else {
          isJoined = true;
          joined.done();
        }
      },
    });
    ws.sendText(JSON.stringify({ type: 'join', room: ROOM }));
    await joined.promise;
    return ws;
  }

  async openPublisher(): Promise<Publisher> {
    const ws = await RawWebSocket.connect({
      host: HOST,
      port: this.endpoint.port,
      path: '/',
      onFrame: () => undefined,
    });
    return {
      publish: (n) =>
        ws.sendText(JSON.stringify({ type: 'publish', room: ROOM, message: notificationMessage(n, ROOM) })),
      flush: async () => undefined,
      close: () => ws.destroy(),
    };
  }
}

export const wsKind: TargetKind = {
  name: 'ws',
  label: 'naive ws',
  unavailable: async () => null,
  async start(options: StartOptions): Promise<Target> {
    const server = await startPeerServer('ws', SCRIPT, options);
    return servedBy(new WsClient({ name: 'ws', port: server.port }), server);
  },
  client: (endpoint) => new WsClient(endpoint),
};

// Drives the Socket.IO peer by speaking Engine.IO/Socket.IO v4 by hand over raw frames: open
// `0{...}`, connect `40`, events `42[...]`, acks `43<id>[...]`, ping `2` answered with pong `3`.

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

const SCRIPT = fileURLToPath(new URL('../servers/socketio-server.ts', import.meta.url));
const PATH = '/socket.io/?EIO=4&transport=websocket';
const CH_0 = 0x30;
const CH_2 = 0x32;
const CH_3 = 0x33;
const CH_4 = 0x34;

/** Opens a Socket.IO connection to the default namespace; `onEvent` sees every `42` frame. */
async function openSocketIo(
  port: number,
  onEvent: (frame: Buffer) => void,
  onClose?: () => void,
): Promise<{ ws: RawWebSocket; acked: Promise<void> }> {
  const ready = waitFor('socket.io connect');
  const ack = waitFor('socket.io join ack');
  let connected = false;
  const ws = await RawWebSocket.connect({
    host: HOST,
    port,
    path: PATH,
    onClose,
    onFrame: (frame, socket) => {
      const c0 = frame[0];
      if (c0 === CH_4) {
        const c1 = frame[1];
        if (c1 === CH_2) onEvent(frame);
        else if (c1 === CH_0 && !connected) {
          connected = true;
          ready.done();
        } else if (c1 === CH_3) ack.done();
        else ready.fail(new Error(`socket.io: unexpected frame ${frame.toString()}`));
      } else if (c0 === CH_2) socket.sendText('3');
      else if (c0 === CH_0) socket.sendText('40');
    },
  });
  await ready.promise;
  ack.promise.catch(() => undefined);
  return { ws, acked: ack.promise };
}

class SocketIoClient implements Client {
  readonly name = 'socketio' as const;
  readonly endpoint: Endpoint;

  constructor(endpoint: Endpoint) {
    this.endpoint = endpoint;
  }

  async connectSubscriber(
    _index: number,
    onDelivery: DeliveryHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscriber> {
    const { ws, acked } = await openSocketIo(
      this.endpoint.port,
      (frame) => scanMarkers(frame, onDelivery),
      options.onClose,
    );
    ws.sendText(`420["join","${ROOM}"]`);
    await acked;
    return ws;
  }

  async openPublisher(): Promise<Publisher> {
    const { ws } = await openSocketIo(this.endpoint.port, () => undefined);
    return {
      publish: (n) => ws.sendText(`42["publish","${ROOM}",${JSON.stringify(notificationMessage(n, ROOM))}]`),
      flush: async () => undefined,
      close: () => ws.destroy(),
    };
  }
}

export const socketIoKind: TargetKind = {
  name: 'socketio',
  label: 'Socket.IO 4',
  unavailable: async () => null,
  async start(options: StartOptions): Promise<Target> {
    const server = await startPeerServer('socketio', SCRIPT, options);
    return servedBy(new SocketIoClient({ name: 'socketio', port: server.port }), server);
  },
  client: (endpoint) => new SocketIoClient(endpoint),
};

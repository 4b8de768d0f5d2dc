// Peer: a naive `ws` server, the hand-rolled alternative. It serializes a published message once
// and then calls `send` in a loop for every socket of the room.

import { WebSocketServer, type RawData, type WebSocket } from 'ws';

const port = Number(process.env.PORT);
const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({
  host: '127.0.0.1',
  port,
  backlog: 4096,
  perMessageDeflate: false,
  clientTracking: false,
});

/** A message's UTF-8: RawData is a Buffer, an ArrayBuffer or a list of Buffers (by binaryType). */
function text(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

interface Frame {
  type?: unknown;
  room?: unknown;
  message?: unknown;
}

wss.on('connection', (ws) => {
  let joined: Set<WebSocket> | undefined;
  ws.on('message', (data) => {
    let frame: Frame;
    try {
      frame = JSON.parse(text(data)) as Frame;
    } catch {
      ws.close(1007);
      return;
    }
    if (typeof frame.room !== 'string') return;
    if (frame.type === 'join') {
      joined = rooms.get(frame.room) ?? new Set();
      rooms.set(frame.room, joined);
      joined.add(ws);
      ws.send('{"type":"joined"}');
    } else if (frame.type === 'publish') {
      const out = JSON.stringify({ type: 'message', message: frame.message });
      for (const peer of rooms.get(frame.room) ?? []) peer.send(out);
    }
  });
  ws.on('close', () => joined?.delete(ws));
});

process.on('SIGINT', () => {
  wss.close();
  process.exit(0);
});

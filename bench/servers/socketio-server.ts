// Peer: Socket.IO 4 with rooms, as people who would pick it run it for this job: websocket
// transport only, no compression, no polling. A publisher's `publish` is relayed to the room.

import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT);
const http = createServer();
const io = new Server(http, {
  transports: ['websocket'],
  allowUpgrades: false,
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
});

io.on('connection', (socket) => {
  socket.on('join', (room: unknown, ack: unknown) => {
    if (typeof room !== 'string' || typeof ack !== 'function') {
      socket.disconnect(true);
      return;
    }
    void socket.join(room);
    (ack as () => void)();
  });
  socket.on('publish', (room: unknown, message: unknown) => {
    if (typeof room !== 'string') return;
    io.to(room).emit('notification', message);
  });
});

http.listen({ port, host: '127.0.0.1', backlog: 4096 });
process.on('SIGINT', () => {
  void io.close();
  process.exit(0);
});

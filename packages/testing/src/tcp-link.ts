// A TCP link between a test's storage and its database that the test can cut, as an outage does:
// every connection through it is reset and new ones are refused. Only that storage sees the
// outage; the database and everyone else's connections to it are not touched.

import net from 'node:net';

export interface TcpLink {
  /** The local port that forwards to the target. */
  readonly port: number;
  /** `url` (e.g. postgres://...) with its host and port pointing at the link. */
  through(url: string): string;
  /** Resets every connection through the link and refuses new ones, for good. */
  cut(): Promise<void>;
}

/**
 * Opens a link to `target`; cutting it is the outage.
 *
 * @example
 * const link = await openTcpLink({ host: '127.0.0.1', port: 5432 });
 * const storage = createPostgresStorage({ url: link.through(postgresUrl) });
 * await link.cut(); // the next query fails with ECONNREFUSED
 */
export async function openTcpLink(target: { host: string; port: number }): Promise<TcpLink> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a reset end is the point of the link, not a failure of the test
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    through(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.resetAndDestroy();
      await closed;
    },
  };
}

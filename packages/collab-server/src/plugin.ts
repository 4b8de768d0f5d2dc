// The collab-server Fastify plugin: mounts the WebSocket gateway on `{prefix}/ws` and, when an
// application key is given, the server API on `{prefix}/api`. Encapsulated: nothing it registers
// leaks to the application's other routes.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { resolveOptions, type CollabServerOptions } from './options.js';
import { drainRefusedBody } from './http/refused-body.js';
import { serverApi } from './http/server-api.js';
import { Gateway } from './ws/gateway.js';

/**
 * Serves the collaboration system to clients (WebSocket) and to applications (HTTP server API).
 *
 * @example
 * const app = Fastify();
 * await app.register(collabServer, { collab, tokenSecret, application: 'store', applicationKey });
 * await app.listen({ port: 8080 });
 * // clients: connect({ url: 'ws://host:8080/collab/ws', getToken })
 */
export const collabServer: FastifyPluginAsync<CollabServerOptions> = async (
  app: FastifyInstance,
  raw: CollabServerOptions,
) => {
  const options = resolveOptions(raw);
  // Fastify applies a `prefix` register option to the plugin itself; without one, mount on /collab.
  const own = raw.prefix === undefined ? '/collab' : '';
  const mount = `${app.prefix}${own}`;
  const gateway = new Gateway(options, `${mount}/ws`, (error, context) =>
    app.log.error({ err: error }, context),
  );
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (gateway.handleUpgrade(request, socket, head)) return;
    // Not ours, and nothing else in the server takes upgrades: Node would keep the socket open
    // for good (a mistyped URL hangs; open sockets pile up, and the server cannot close).
    if (app.server.listenerCount('upgrade') === 1) {
      const answer = 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';
      socket.end(answer, () => socket.destroy());
    }
  };
  app.server.on('upgrade', onUpgrade);
  raw.onGateway?.({
    get connections() {
      return gateway.size;
    },
  });
  app.addHook('preClose', async () => {
    app.server.off('upgrade', onUpgrade);
    await gateway.close();
  });

  if (options.applicationKey !== undefined) {
    // A body over the limit gets its 413 read by the client, not a reset, whatever app mounts us.
    app.addHook('onSend', drainRefusedBody());
    await app.register((api) => serverApi(api, options), { prefix: `${own}/api` });
  }
};

// Serves the built web client (apps/store-web/dist) at `/`. The build is made by `npm start`
// (prestart) or `npm run build -w apps/store-web`; without it, `/` says how to make it.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const defaultWebClientDir = fileURLToPath(new URL('../../../store-web/dist', import.meta.url));

export async function installWebClient(app: FastifyInstance, dir = defaultWebClientDir): Promise<void> {
  if (!existsSync(`${dir}/index.html`)) {
    app.get('/', async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(
          'The web client is not built. Run `npm run build -w apps/store-web` (npm start does it), then reload.',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    // Hashed assets never change; the page itself must always be fresh so a new build is picked up.
    setHeaders: (reply, file) => {
      reply.header(
        'cache-control',
        file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}

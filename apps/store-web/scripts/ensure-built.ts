// Builds the web client into dist/ when dist is missing or older than any source file, so that
// `npm start` and the end-to-end tests always serve the current client without a step to remember.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const webRoot = fileURLToPath(new URL('..', import.meta.url));
const distIndex = path.join(webRoot, 'dist', 'index.html');
// The bundle takes the SDK and the protocol from their sources too: a change there is a change here.
const sources = [
  'src',
  'index.html',
  'vite.config.ts',
  'package.json',
  '../../packages/collab-client/src',
  '../../packages/protocol/src',
];

function newestMtime(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function isBuildFresh(): boolean {
  if (!existsSync(distIndex)) return false;
  const built = statSync(distIndex).mtimeMs;
  return sources.every(
    (s) => !existsSync(path.join(webRoot, s)) || newestMtime(path.join(webRoot, s)) <= built,
  );
}

/** Builds unless the build is fresh; returns whether it built. */
export async function ensureBuilt(): Promise<boolean> {
  if (isBuildFresh()) return false;
  const { build } = await import('vite');
  await build({ root: webRoot, configFile: path.join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await ensureBuilt();
  console.log(built ? 'store-web: built dist/' : 'store-web: dist/ is up to date');
}

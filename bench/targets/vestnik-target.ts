// SLOT: drives Vestnik's standalone collab server (packages/collab-server/src/bin/serve.ts, from
// branch `gateway`) once it exists; until then Vestnik is reported as a gap in every scenario.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/server-process.js';
import type { Target, TargetKind } from './target.js';

const SERVE = path.join(REPO_ROOT, 'packages/collab-server/src/bin/serve.ts');

export const vestnikKind: TargetKind = {
  name: 'vestnik',
  label: 'Vestnik',
  async unavailable() {
    if (!existsSync(SERVE)) return 'the gateway (packages/collab-server/src/bin/serve.ts) is not merged yet';
    return 'the Vestnik load adapter is not wired yet';
  },
  async start(): Promise<Target> {
    throw new Error('Vestnik slot: not wired yet');
  },
};

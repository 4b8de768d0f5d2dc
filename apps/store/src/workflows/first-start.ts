// What happens when the store starts on an empty database: demo data (embedded mode, DEMO on), or
// the first administrator from ADMIN_PASSWORD. There are no default passwords outside demo mode.

import { isVestnikError } from '@vestnik/protocol';
import { countUsers } from '../modules/users/users-service.js';
import { createDemoData } from '../demo/demo-data.js';
import type { StoreContext } from './context.js';
import { createUserWorkflow } from './manage-users.js';
import { startCollaboration } from './start-collab.js';

export type FirstStart = 'existing' | 'demo' | 'admin' | 'empty';

export async function firstStart(
  ctx: StoreContext,
  options: { demo: boolean; adminLogin: string; adminPassword: string | undefined },
): Promise<FirstStart> {
  if ((await countUsers(ctx.db)) > 0) return 'existing';
  if (options.demo) {
    await createDemoData(ctx);
    return 'demo';
  }
  if (options.adminPassword !== undefined) {
    await startCollaboration(ctx);
    try {
      await createUserWorkflow(ctx, {
        login: options.adminLogin,
        name: 'Administrator',
        password: options.adminPassword,
        roles: ['Administrator'],
      });
    } catch (error) {
      // Several nodes started at once on an empty database: another one made the administrator.
      if (isVestnikError(error, 'DUPLICATE_KEY')) return 'existing';
      throw error;
    }
    return 'admin';
  }
  return 'empty';
}

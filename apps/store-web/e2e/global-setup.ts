// Before any test: build the web client if its sources changed, so the e2e tests (and a store
// started by them) serve the current client.
import { ensureBuilt } from '../scripts/ensure-built.js';

export default async function setup(): Promise<void> {
  await ensureBuilt();
}

// `npm run bench [name...] [--profile]`: runs the benchmarks named on the command line, or all of
// them. A benchmark is a module `bench/<name>.ts` whose default export runs it; add its name below.
// Names of the peers benchmark's scenarios (`npm run bench -- fanout`) run just those.

import './lib/pin-self.js';
import { SCENARIOS as peerScenarios } from './peers.js';

const benchmarks = ['persistence', 'peers'];

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const asked = args.filter((a) => !a.startsWith('--'));
const peerNames = peerScenarios.map((s) => s.name);
for (const name of asked) {
  if (!benchmarks.includes(name) && !peerNames.includes(name)) {
    console.error(`unknown benchmark "${name}"; known: ${[...benchmarks, ...peerNames].join(', ')}`);
    process.exit(2);
  }
}
const chosenPeers = asked.filter((name) => peerNames.includes(name));
const chosen = asked.length === 0 ? benchmarks : asked.filter((name) => benchmarks.includes(name));
if (chosenPeers.length > 0 && !chosen.includes('peers')) chosen.push('peers');
try {
  for (const name of chosen) {
    console.log(`\n== ${name} ==`);
    const benchmark = (await import(`./${name}.js`)) as { default: (args: string[]) => Promise<void> };
    await benchmark.default(name === 'peers' ? [...chosenPeers, ...flags] : flags);
  }
} catch (error) {
  console.error('\nBENCHMARK FAILED:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
}

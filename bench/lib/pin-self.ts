// Imported first by the bench entry point: re-runs the load generator pinned to core 1 (the
// servers get core 0) with the file-descriptor limit raised to the hard limit, for thousands of sockets.

import { spawnSync } from 'node:child_process';

export const GENERATOR_CORE = process.env.VESTNIK_BENCH_GENERATOR_CORE ?? '1';

if (process.env.VESTNIK_BENCH_PINNED !== '1') {
  const result = spawnSync(
    'bash',
    [
      '-c',
      'ulimit -n "$(ulimit -Hn)"; exec taskset -c "$VESTNIK_BENCH_GENERATOR_CORE" "$@"',
      'bench',
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    {
      stdio: 'inherit',
      env: { ...process.env, VESTNIK_BENCH_PINNED: '1', VESTNIK_BENCH_GENERATOR_CORE: GENERATOR_CORE },
    },
  );
  process.exit(result.status ?? 1);
}

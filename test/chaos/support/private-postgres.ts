// A private PostgreSQL cluster for one chaos test: initdb in a temporary directory, a free port,
// trust authentication, run as the `postgres` OS user when we are root (initdb refuses root). The
// test may restart it at will; the shared cluster on 5432 is never touched.

import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onExit, trackProcess } from './cleanup.js';
import { freePort } from '@vestnik/testing';
import { runCommand } from './run-command.js';

export interface PrivatePostgres {
  readonly port: number;
  /** Connection string of its `postgres` database. */
  readonly url: string;
  readonly running: boolean;
  start(): Promise<void>;
  /** `fast`: a clean shutdown; `immediate`: a crash-like one, recovered from WAL on start. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  dispose(): Promise<void>;
}

/** The newest installed PostgreSQL's bin directory. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) throw new Error(`no PostgreSQL server binaries under ${root}`);
  return path.join(root, versions[0], 'bin');
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const fields = line?.split(':');
  if (fields?.[2] === undefined || fields[3] === undefined) {
    throw new Error('running as root, but there is no `postgres` OS user to run PostgreSQL as');
  }
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const user = postgresUser();
  // As root, commands run as `postgres` through runuser; otherwise as ourselves.
  const asPostgres = (tool: string, args: string[]) =>
    user
      ? runCommand('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args])
      : runCommand(path.join(bin, tool), args);

  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'vestnik-chaos-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  let running = false;
  let untrack = () => {};

  const unregister = onExit(() => {
    // Synchronous: this runs while the process exits.
    const ctl = path.join(bin, 'pg_ctl');
    const args = ['-D', data, 'stop', '-m', 'immediate', '-w'];
    if (running) spawnSync(user ? 'runuser' : ctl, user ? ['-u', 'postgres', '--', ctl, ...args] : args);
    rmSync(dir, { recursive: true, force: true });
  });

  await asPostgres('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-locale',
    '--no-sync',
  ]);

  const postmasterPid = () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);

  async function start(): Promise<void> {
    if (running) return;
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      // Throwaway data: durability against an OS crash is not what these tests are about.
      '-c fsync=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    await asPostgres('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(dir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]);
    running = true;
    untrack = trackProcess(postmasterPid(), 'SIGQUIT', dir);
  }

  async function stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!running) return;
    await asPostgres('pg_ctl', ['-D', data, 'stop', '-m', mode, '-w', '-t', '60']);
    running = false;
    untrack();
  }

  await start();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    get running() {
      return running;
    },
    start,
    stop,
    async restart(mode: 'fast' | 'immediate' = 'fast') {
      await stop(mode);
      await start();
    },
    async dispose() {
      await stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      unregister();
    },
  };
}

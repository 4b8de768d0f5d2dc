// Runs one server under test in its own process pinned to core 0, and asks it for its CPU time
// and memory through the stats probe.

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_CORE = process.env.VESTNIK_BENCH_SERVER_CORE ?? '0';
const PROBE = fileURLToPath(new URL('./stats-probe.ts', import.meta.url));
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface ServerStats {
  cpuUserUs: number;
  cpuSystemUs: number;
  rss: number;
  peakRss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface ServerProcessOptions {
  name: string;
  script: string;
  env?: Record<string, string>;
  args?: string[];
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Resolves once the server accepts connections on this port. */
  port: number;
}

export class ServerProcess {
  readonly name: string;
  readonly port: number;
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, (stats: ServerStats) => void>();
  #nextId = 1;
  #output = '';
  #exited: Promise<number | null>;

  private constructor(options: ServerProcessOptions) {
    this.name = options.name;
    this.port = options.port;
    const nodeArgs = [
      '--expose-gc',
      '--import',
      'tsx',
      '--import',
      PROBE,
      ...(options.nodeFlags ?? []),
      // Ad-hoc flags for every server, e.g. `--heapsnapshot-signal=SIGUSR2` when chasing memory.
      ...(process.env.VESTNIK_BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []),
      options.script,
      ...(options.args ?? []),
    ];
    this.#child = spawn('taskset', ['-c', SERVER_CORE, process.execPath, ...nodeArgs], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString()).slice(-8000);
    };
    this.#child.stdout?.on('data', keep);
    this.#child.stderr?.on('data', keep);
    this.#child.on('message', (raw: unknown) => {
      const reply = raw as { id?: number; probe?: boolean } & ServerStats;
      if (reply.probe !== true || typeof reply.id !== 'number') return;
      this.#waiting.get(reply.id)?.(reply);
      this.#waiting.delete(reply.id);
    });
    this.#exited = new Promise((resolve) => this.#child.on('exit', (code) => resolve(code)));
  }

  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const server = new ServerProcess(options);
    await server.#waitForPort();
    return server;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Recent output of the server, for error messages. */
  get output(): string {
    return this.#output;
  }

  stats(): Promise<ServerStats> {
    return this.#ask('stats');
  }

  /** Runs a full GC in the server, then reports. */
  gc(): Promise<ServerStats> {
    return this.#ask('gc');
  }

  resetPeak(): Promise<ServerStats> {
    return this.#ask('reset-peak');
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    this.#child.kill('SIGINT');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 20_000);
    await this.#exited;
    clearTimeout(timer);
  }

  #ask(type: 'stats' | 'gc' | 'reset-peak'): Promise<ServerStats> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: no stats answer\n${this.#output}`)),
        30_000,
      );
      this.#waiting.set(id, (stats) => {
        clearTimeout(timer);
        resolve(stats);
      });
      this.#child.send({ id, type });
    });
  }

  async #waitForPort(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.#child.exitCode !== null) throw new Error(`${this.name} exited at start:\n${this.#output}`);
      if (await canConnect(this.port)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} did not listen on ${this.port}:\n${this.#output}`);
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

// The load generator's side of the latency probe (`latency-probe.ts`): starts it as a child process
// on the generator's core and asks it, over IPC, to open sessions, connect probe subscribers,
// publish at a rate and hand back the latencies it measured.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Endpoint, ServerName } from '../targets/target.js';
import { REPO_ROOT } from './server-process.js';

const SCRIPT = fileURLToPath(new URL('./latency-probe.ts', import.meta.url));

/** What the generator asks the probe. Every request gets one reply with its `id`. */
export type ProbeRequest =
  | { op: 'hello' }
  /** A server's session: its endpoint, how many probe subscribers and messages, and which count. */
  | { op: 'open'; endpoint: Endpoint; probes: number; messages: number; latencyFrom: number }
  /** Connects probe subscriber `probe` as the server's subscriber `index` (its user, for Vestnik). */
  | { op: 'connect'; server: ServerName; index: number; probe: number }
  | { op: 'publisher'; server: ServerName }
  /** Publishes `count` more messages at `rate` per second; replies once every probe has them. */
  | { op: 'load'; server: ServerName; count: number; rate: number }
  /** Checks that every probe got every message once, in order, and returns the latencies. */
  | { op: 'results'; server: ServerName }
  | { op: 'close'; server: ServerName };

export interface ProbeHello {
  /** The probe's nice value; below the generator's 0 when it could raise its priority. */
  nice: number;
  /** Why it could not, if it could not. */
  refused?: string;
}

export interface ProbeResults {
  /** Latencies in ms of every counted delivery to a probe, sorted. */
  latencies: number[];
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export class ProbeProcess {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #exited = false;

  private constructor() {
    this.#child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (raw: unknown) => {
      const reply = raw as Reply;
      const waiting = this.#waiting.get(reply.id);
      if (waiting === undefined) return;
      this.#waiting.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(`latency probe: ${reply.error}`));
    });
    this.#child.on('exit', (code, signal) => {
      this.#exited = true;
      for (const waiting of this.#waiting.values())
        waiting.reject(new Error(`latency probe exited (${signal ?? code})`));
      this.#waiting.clear();
    });
  }

  static async start(): Promise<{ probe: ProbeProcess; hello: ProbeHello }> {
    const probe = new ProbeProcess();
    const hello = (await probe.request({ op: 'hello' })) as ProbeHello;
    return { probe, hello };
  }

  request(request: ProbeRequest): Promise<unknown> {
    if (this.#exited) return Promise.reject(new Error('latency probe has exited'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#child.send({ id, ...request });
    });
  }

  stop(): void {
    if (!this.#exited) this.#child.kill();
  }
}

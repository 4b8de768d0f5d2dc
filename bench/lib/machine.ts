// The machine a run measured on, recorded next to every figure.

import os from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  ramGb: number;
  node: string;
  platform: string;
  date: string;
  loadAverageAtStart: number[];
  fdLimit: string;
}

export function describeMachine(fdLimit: string): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    fdLimit,
  };
}

// Preloaded (`--import`) into every server under test: answers the load generator over IPC with
// the server's own CPU time and memory, and samples RSS to report its peak. Needs no server changes.

interface ProbeRequest {
  id: number;
  type: 'stats' | 'gc' | 'reset-peak';
}

if (process.send !== undefined) {
  let peakRss = process.memoryUsage.rss();
  const sample = (): void => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
  };
  // Every 100 ms: reading RSS costs about 0.2 ms here, which all servers pay alike.
  setInterval(sample, 100).unref();

  process.on('message', (raw: unknown) => {
    const request = raw as ProbeRequest;
    if (typeof request !== 'object' || request === null || typeof request.id !== 'number') return;
    if (request.type === 'gc') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
    }
    if (request.type === 'reset-peak') peakRss = process.memoryUsage.rss();
    sample();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    process.send?.({
      id: request.id,
      probe: true,
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      rss: memory.rss,
      peakRss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
    });
  });
  // The IPC channel must not keep a finished server alive, and a server whose load generator is
  // gone (killed, crashed) must not outlive it.
  process.channel?.unref();
  process.on('disconnect', () => process.exit(0));
}

// Preloaded (`node --import`) into a process under benchmark that was spawned with an IPC channel: answers
// 'cpu' with its own process.cpuUsage() and process.memoryUsage() (where the RSS goes: V8's heap, and the
// ArrayBuffers outside it, PGlite's WASM memory among them), so the bench reads the server's CPU time per request
// and its memory breakdown from the server itself. Plain JavaScript so that it loads the same under `node` and
// under tsx; the channel never keeps the process alive.
if (process.send) {
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage(), rssMb: process.memoryUsage.rss() / 2 ** 20 });
    if (message === 'memory') process.send({ memory: process.memoryUsage() });
  });
  process.channel?.unref();
}

// Preloaded (`node --import`) into a process under benchmark that was spawned with an IPC channel. Answers
// 'cpu' with its own process.cpuUsage(), 'memory' with process.memoryUsage() (where the RSS goes: V8's heap, and
// the ArrayBuffers outside it, PGlite's WASM memory among them), and 'profile-start' / 'profile-stop' with a V8 CPU
// profile of just that window (in-process inspector session, no --inspect port), so the bench reads the server's
// CPU time per request, its memory breakdown and its top frames from the server itself. Plain JavaScript so that it
// loads the same under `node` and under tsx; the channel never keeps the process alive.
if (process.send) {
  let session = null;
  process.on('message', async (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage(), rssMb: process.memoryUsage.rss() / 2 ** 20 });
    if (message === 'memory') process.send({ memory: process.memoryUsage() });
    if (message === 'profile-start') {
      const { Session } = await import('node:inspector');
      session = new Session();
      session.connect();
      const post = (method, params) => new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
      session.postAsync = post;
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 1000 });
      await post('Profiler.start');
      process.send({ profiling: true });
    }
    if (message === 'profile-stop' && session) {
      const { profile } = await session.postAsync('Profiler.stop');
      session.disconnect();
      session = null;
      process.send({ profile });
    }
  });
  process.channel?.unref();
}

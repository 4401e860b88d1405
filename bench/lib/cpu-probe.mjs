// Preloaded (`node --import`) into a process under benchmark that was spawned with an IPC channel: answers
// 'cpu' with its own process.cpuUsage(), so the bench reads the server's CPU time per request from the server
// itself. Plain JavaScript so that it loads the same under `node` and under tsx; the channel never keeps the
// process alive.
if (process.send) {
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage(), rssMb: process.memoryUsage.rss() / 2 ** 20 });
  });
  process.channel?.unref();
}

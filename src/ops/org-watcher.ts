import { watch } from 'chokidar';
import type { Logger } from '../use-cases/context.js';

/** Editors save in bursts (write, rename, chmod): reload once the file has been quiet this long. */
const DEBOUNCE_MS = 300;

/** Reload the org file when it changes on disk (chokidar follows editors' atomic rename-saves too). */
export const watchOrgFile = (args: { fileName: string; logger: Logger; reload: (reason: string) => Promise<unknown>; debounceMs?: number }) => {
  let timer: NodeJS.Timeout | null = null;
  const watcher = watch(args.fileName, { ignoreInitial: true, persistent: false });
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void args.reload('file changed');
    }, args.debounceMs ?? DEBOUNCE_MS);
  };
  watcher.on('add', schedule);
  watcher.on('change', schedule);
  watcher.on('error', (error: unknown) => args.logger.warn({ file: args.fileName, code: (error as { code?: string }).code ?? 'error' }, 'org file watcher error'));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      timer = null;
      await watcher.close();
    },
  };
};

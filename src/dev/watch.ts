import { watch } from 'chokidar';
import path from 'node:path';
import { classifyChange, type Change } from './change-queue.js';
import { isEditorLeftover } from '../load/read-sources.js';

/**
 * Watches content/, templates/ and public/ with chokidar and reports each change by kind.
 * chokidar has no globs: folders are watched and other files filtered out. A file written in
 * two steps is reported once it has stopped changing.
 */
export function watchProject(root: string, folders: string[], onChange: (change: Change) => void) {
  const watcher = watch(folders, {
    ignoreInitial: true,
    ignored: (file: string) => {
      const name = path.basename(file);
      return name.startsWith('.') || isEditorLeftover(name) || file.includes(`${path.sep}dist${path.sep}`) || file.includes(`${path.sep}node_modules${path.sep}`);
    },
    awaitWriteFinish: { stabilityThreshold: 20, pollInterval: 5 },
  });
  watcher.on('all', (event, file) => {
    if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
    const relative = path.relative(root, file).split(path.sep).join('/');
    const kind = classifyChange(relative);
    if (kind) onChange({ kind, path: relative, event });
  });
  return watcher;
}

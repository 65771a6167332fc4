import { isEditorLeftover } from '../load/read-sources.js';

/** What kind of file changed; each kind has its own rebuild path. */
export type ChangeKind = 'content' | 'config' | 'template' | 'public';

/** One file event from the watcher, with the path relative to the project. */
export interface Change {
  kind: ChangeKind;
  path: string;
  event: 'add' | 'change' | 'unlink';
}

/** Sorts a project path by kind; null for files the site does not use. */
export function classifyChange(path: string): ChangeKind | null {
  const name = path.split('/').pop() ?? '';
  // Hidden files and editors' leftovers: the build skips them too (read-sources).
  if (name.startsWith('.') || isEditorLeftover(name)) return null;
  if (path === 'content/site.yml') return 'config';
  if (path.startsWith('content/') && path.endsWith('.md')) return 'content';
  if (path.startsWith('templates/') && path.endsWith('.hbs')) return 'template';
  if (path.startsWith('public/')) return 'public';
  return null;
}

/**
 * Runs rebuilds one at a time. Changes that arrive during a rebuild wait for the next one,
 * coalesced by path (the last event wins), and are never dropped.
 */
export class ChangeQueue {
  private pending = new Map<string, Change>();
  private running: Promise<void> | null = null;

  constructor(private readonly rebuild: (changes: Change[]) => Promise<void>) {}

  /** Adds a change; starts a rebuild unless one is under way. */
  push(change: Change): void {
    this.pending.set(change.path, change);
    if (!this.running) this.running = this.drain();
  }

  /** Resolves once no rebuild is running and nothing is pending. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.size) {
        const batch = [...this.pending.values()];
        this.pending.clear();
        try {
          await this.rebuild(batch);
        } catch (error) {
          process.stderr.write(`Erreur interne pendant la reconstruction : ${(error as Error).message}\n`);
        }
      }
    } finally {
      this.running = null;
    }
  }
}

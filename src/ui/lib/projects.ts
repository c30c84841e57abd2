/** Pure helpers for the project list and autosave (the stateful side is ui/projects.svelte.ts). */

export interface ViewLike { readonly x: number; readonly y: number; readonly zoom: number }

/** Views closer than a fraction of a pixel and of a zoom step are the same (no save for them). */
export function sameView(a: ViewLike | undefined, b: ViewLike | undefined): boolean {
  if (!a || !b) return a === b;
  return Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.zoom - b.zoom) < 1e-4;
}

/** What a file dropped or opened holds, by its content: a project file, a backup, or (anything else) a cell file. */
export function fileKind(text: string): 'project' | 'backup' | 'workshop' | 'cell' {
  const head = text.slice(0, 4096);
  const format = /^\s*\{\s*"format"\s*:\s*"([^"]{0,40})"/.exec(head)?.[1];
  if (format === 'celda-project') return 'project';
  if (format === 'celda-backup') return 'backup';
  if (format === 'celda-workshop') return 'workshop';
  try {
    const json: unknown = JSON.parse(text);
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      const f = (json as { format?: unknown }).format;
      if (f === 'celda-project') return 'project';
      if (f === 'celda-backup') return 'backup';
      if (f === 'celda-workshop') return 'workshop';
    }
  } catch {
    // Not JSON: the cell loader says so.
  }
  return 'cell';
}

/** Projects whose name contains `query` (any case), in the given order. */
export function filterProjects<T extends { readonly name: string }>(projects: readonly T[], query: string): T[] {
  const q = query.trim().toLocaleLowerCase();
  return q ? projects.filter((p) => p.name.toLocaleLowerCase().includes(q)) : [...projects];
}

/** "1.2 MB", "340 kB", "12 B". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = -1;
  do {
    v /= 1000;
    i += 1;
  } while (v >= 1000 && i < units.length - 1);
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** A short local date and time for the project list. */
export function formatWhen(time: number, lang: string, now = Date.now()): string {
  const d = new Date(time);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  try {
    return sameDay ? d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString(lang, { year: 'numeric', month: 'short', day: 'numeric' });
  } catch {
    return d.toISOString().slice(0, 16).replace('T', ' ');
  }
}

/** Runs `work` `delay` ms after the last call; `flush` runs it at once if one is pending. */
export class Debouncer {
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly delay: number;
  readonly work: () => void;
  constructor(delay: number, work: () => void) {
    this.delay = delay;
    this.work = work;
  }
  get pending(): boolean {
    return this.#timer !== undefined;
  }
  schedule(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.work();
    }, this.delay);
  }
  flush(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.work();
  }
  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * Undo and redo over whole cells: edits are pure, so a step back is the
 * previous value. Several gestures can be merged into one step (a drag).
 */
import type { Cell } from './cell';

export class History {
  private past: Cell[] = [];
  private future: Cell[] = [];
  constructor(
    private current: Cell,
    private readonly limit = 200,
  ) {}

  get cell(): Cell {
    return this.current;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** Records an edit; `merge` folds it into the previous step (e.g. the moves of one drag). */
  push(next: Cell, merge = false): void {
    if (next === this.current) return;
    if (!merge || this.past.length === 0) {
      this.past.push(this.current);
      if (this.past.length > this.limit) this.past.shift();
    }
    this.current = next;
    this.future = [];
  }

  undo(): Cell {
    const previous = this.past.pop();
    if (previous) {
      this.future.push(this.current);
      this.current = previous;
    }
    return this.current;
  }

  redo(): Cell {
    const next = this.future.pop();
    if (next) {
      this.past.push(this.current);
      this.current = next;
    }
    return this.current;
  }

  /** Starts over from a cell (opening a file): no undo across documents. */
  reset(cell: Cell): void {
    this.current = cell;
    this.past = [];
    this.future = [];
  }
}

/**
 * The presenter view (a projector at 1280×720): whether it is on, and the step-by-step play of
 * one time step through the cell — how many nodes have shown their value so far, and whether it
 * plays on its own. The values come from runtime/walkthrough.ts (the reference forward on a
 * seeded example, with seeded initial weights); the canvas shows them through EditorState.nodeValues.
 */
import { initParameters } from '../runtime/init';
import { walkThroughStep, exampleInputs, type Reveal } from '../runtime/walkthrough';
import type { EditorState } from './state.svelte';

/** The seed of the example's weights (as exports without a checkpoint use) and of its input. */
export const PRESENTER_SEED = 1;
/** How long each node's value stays alone on the canvas while the step plays (ms). */
export const PLAY_EVERY_MS = 1200;
/** Units of a vector written on the canvas next to its node (the caption shows more). */
export const CANVAS_UNITS = 2;
export const CAPTION_UNITS = 6;

/** A vector as a few rounded numbers, "…" when it has more: "0.73 −0.12 …". */
export function formatUnits(v: ArrayLike<number>, units: number): string {
  const shown = Array.from({ length: Math.min(units, v.length) }, (_, i) => v[i].toFixed(2).replace(/^-/, '−').replace(/^−0\.00$/, '0.00'));
  return `${shown.join(' ')}${v.length > units ? ' …' : ''}`;
}

export class PresenterStore {
  readonly #editor: EditorState;
  active = $state(false);
  /** How many nodes show their value (0: none yet; reveals.length: the whole step). */
  shown = $state(0);
  playing = $state(false);
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Every node's value at the shown step, in data-flow order; empty while the cell does not compile. */
  reveals: readonly Reveal[] = $derived.by(() => {
    const compiled = this.#editor.analysis.compiled;
    if (!compiled) return [];
    return walkThroughStep(compiled, initParameters(compiled.program, PRESENTER_SEED), exampleInputs(compiled, PRESENTER_SEED));
  });

  /** The node revealed last, or undefined before the first step. */
  current: Reveal | undefined = $derived(this.reveals[Math.min(this.shown, this.reveals.length) - 1]);

  constructor(editor: EditorState) {
    this.#editor = editor;
  }

  enter(): void {
    this.active = true;
  }

  leave(): void {
    this.pause();
    this.active = false;
  }

  toggle(): void {
    if (this.active) this.leave();
    else this.enter();
  }

  next(): void {
    this.shown = Math.min(Math.min(this.shown, this.reveals.length) + 1, this.reveals.length);
    if (this.shown >= this.reveals.length) this.pause();
  }

  previous(): void {
    this.pause();
    this.shown = Math.max(Math.min(this.shown, this.reveals.length) - 1, 0);
  }

  reset(): void {
    this.pause();
    this.shown = 0;
  }

  /** Plays the step from where it is (from the start once it has reached the end). */
  play(): void {
    if (this.reveals.length === 0) return;
    if (this.shown >= this.reveals.length) this.shown = 0;
    this.playing = true;
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.next(), PLAY_EVERY_MS);
  }

  pause(): void {
    this.playing = false;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** What the canvas writes next to each revealed node. */
  canvasValues(): Map<string, string> {
    return new Map(this.reveals.slice(0, this.shown).map((r) => [r.nodeId, formatUnits(r.value, CANVAS_UNITS)]));
  }
}

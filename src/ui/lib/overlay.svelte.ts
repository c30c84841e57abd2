/** UI state shared by sibling components that the editor state does not hold. */
import type { Fragment } from '../../model/edit';

class Overlay {
  /** The keyboard-shortcuts help (opened from the toolbar or with "?"). */
  helpOpen = $state(false);
}

export const overlay = new Overlay();

/** Copied nodes, for paste (kept in the page, not the system clipboard). */
export const nodeClipboard: { fragment: Fragment | undefined } = { fragment: undefined };

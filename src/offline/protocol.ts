/** What the page and the service worker (src/offline/sw.ts) say to each other. */

/** The page asks a waiting service worker to take over now (the user chose "Reload"). */
export const TAKE_OVER = 'celda-take-over';

export interface TakeOverMessage {
  readonly type: typeof TAKE_OVER;
}

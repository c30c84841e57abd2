/**
 * The app offline, the page's side (the service worker is src/offline/sw.ts): registers the
 * worker in a production build on a secure origin, says once when the app has been stored for
 * offline use, and when a new version is installed and waiting, lets the user reload into it.
 */
import { TAKE_OVER, type TakeOverMessage } from '../offline/protocol';

/** Why the app could not be stored for offline use: the browser refused the worker (its own words), or storing the files failed. */
export type OfflineProblem = { readonly kind: 'register'; readonly detail: string } | { readonly kind: 'store' };

export class OfflineState {
  /** The first service worker has stored the app: from now on it starts without a network. */
  ready = $state(false);
  /** A new version, installed and waiting for the user's word (undefined: none, or "Later"). */
  waiting: ServiceWorker | undefined = $state.raw();
  problem: OfflineProblem | undefined = $state.raw();
  /** Another tab let a new version in: this one asks before it reloads (its own work may be unsaved or training). */
  updatedElsewhere = $state(false);
  /** This tab said "Reload". */
  #asked = false;
  readonly #followed = new WeakSet<ServiceWorker>();

  /** Not in development (a service worker would serve stale modules under hot reload), nor where browsers refuse one (plain http off loopback). */
  static get supported(): boolean {
    return import.meta.env.PROD && globalThis.isSecureContext && 'serviceWorker' in navigator;
  }

  start(): void {
    if (!OfflineState.supported) return;
    const container = navigator.serviceWorker;
    let controlled = container.controller !== null;
    container.addEventListener('controllerchange', () => {
      // A new version took over. Asked for here: this page's own files left the cache with the
      // old version, so it reloads into the new one. The first visit's page only gains its
      // first worker here: nothing to reload.
      // Another tab asked: this one keeps running until its user reloads (a training run here
      // would be lost), and says so.
      if (controlled && this.#asked) location.reload();
      else if (controlled) {
        this.waiting = undefined;
        this.updatedElsewhere = true;
      }
      controlled = true;
    });
    container.register(`${import.meta.env.BASE_URL}sw.js`).then(
      (registration) => this.#watch(registration),
      (error: unknown) => (this.problem = { kind: 'register', detail: error instanceof Error ? error.message : String(error) }),
    );
  }

  /** "Reload": the waiting version takes over, and the page reloads into it (on controllerchange). */
  takeOver(): void {
    this.#asked = true;
    this.waiting?.postMessage({ type: TAKE_OVER } satisfies TakeOverMessage);
  }

  /** "Later": the new version waits until every tab of the app has closed. */
  later(): void {
    this.waiting = undefined;
  }

  #watch(registration: ServiceWorkerRegistration): void {
    if (registration.waiting && navigator.serviceWorker.controller) this.waiting = registration.waiting;
    if (registration.installing) this.#follow(registration.installing);
    registration.addEventListener('updatefound', () => registration.installing && this.#follow(registration.installing));
  }

  /** Follows a worker through its install: a first one reports ready, an update asks to be let in. */
  #follow(worker: ServiceWorker): void {
    if (this.#followed.has(worker)) return;
    this.#followed.add(worker);
    const update = navigator.serviceWorker.controller !== null;
    let installed = false;
    worker.addEventListener('statechange', () => {
      if (worker.state === 'installed') installed = true;
      if (worker.state === 'installed' && update) this.waiting = worker;
      if (worker.state === 'activated' && !update) this.ready = true;
      // Redundant before installed: storing the files failed (a newer version replacing this one is no problem).
      if (worker.state === 'redundant' && !installed) this.problem = { kind: 'store' };
    });
  }
}

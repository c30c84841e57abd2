/**
 * A training loop's steps resolve through microtasks only, so a Web Worker running one never
 * sees its queued messages (a stop). The returned function gives them their turn (a macrotask)
 * when more than `everyMs` have passed since the last time, and costs nothing otherwise.
 */
export function messagePump(everyMs = 30): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last <= everyMs) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    last = performance.now();
  };
}

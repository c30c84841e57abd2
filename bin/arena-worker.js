#!/usr/bin/env node
// One worker thread of `celda arena` (src/cli/arena-pool.ts): loads the TypeScript sources through tsx, as bin/celda.js does.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/arena-worker.ts');

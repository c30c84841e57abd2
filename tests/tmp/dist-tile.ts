import { createRequire } from 'node:module';
import { simdKernelBodies, V128_LOAD } from '../gpu/wasm-code';
const require = createRequire(import.meta.url);
const { GPU } = require('/work/wt/simd/node_modules/gpu.js/dist/gpu-browser.js');
const gpu = new GPU({ mode: 'webasm' });
const k = gpu.createKernel('function(a, w) { const n = this.thread.x; let s = 0.0; for (let k = 0; k < 4; k++) { s += a[k] * w[k * 32 + n]; } return s; }', { output: [32] });
k(new Float32Array(4), new Float32Array(128));
const bodies = simdKernelBodies([...k.kernel._moduleCache.values()][0].bytes);
console.log('dist: simd functions', bodies.length, 'v128.loads', bodies.flat().filter((i) => i.op === V128_LOAD).length);

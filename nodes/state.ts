import { sizeOf, sizeParam, text } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const state = {
  kind: 'state',
  label: text('State (delay)', 'Estado (retardo)'),
  symbol: 'z⁻¹',
  category: 'io',
  role: 'state',
  params: {
    size: sizeParam('hidden', 'Size of the state vector.', 'Tamaño del vector de estado.'),
    init: { type: 'enum', options: ['zeros', 'learned'], default: 'zeros', doc: text('Value before the first step: zeros, or a learned vector.', 'Valor antes del primer paso: ceros o un vector aprendido.') },
  },
  // "next" receives h_t; "prev" emits h_{t−1}. The edge into "next" is the delay that closes a cycle.
  inputPorts: () => ['next'],
  outputPort: 'prev',
  shape: (ctx) => ({ size: sizeOf(ctx, 'size') }),
  weights: ({ params, outSize }) => (params.init === 'learned' ? [{ name: 'init', shape: [outSize], init: { kind: 'zeros' } }] : []),
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ subscript }) => `${subscript}_{t-1}`,
  text: ({ subscript }) => `${subscript}_{t−1}`,
  docs: text(
    'Memory across time steps: "prev" gives the value from the previous step (h_{t−1}); "next" takes the new value (h_t). Every loop in a cell passes through one.',
    'Memoria entre pasos de tiempo: "prev" da el valor del paso anterior (h_{t−1}); "next" recibe el nuevo valor (h_t). Todo ciclo de una celda pasa por uno.',
  ),
  examples: [],
  gradcheck: { low: -1, high: 1 },
} as const satisfies NodeDef;

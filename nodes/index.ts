/** The primitive registry: explicit and typed. A guard test checks every file here is listed. */
import { add } from './add';
import { concat } from './concat';
import { constant } from './constant';
import { hardSigmoid } from './hard-sigmoid';
import { identity } from './identity';
import { input } from './input';
import { layerNorm } from './layer-norm';
import { linear } from './linear';
import { multiply } from './multiply';
import { oneMinus } from './one-minus';
import { output } from './output';
import { relu } from './relu';
import { scale } from './scale';
import { sigmoid } from './sigmoid';
import { slice } from './slice';
import { softplus } from './softplus';
import { state } from './state';
import { subtract } from './subtract';
import { tanh } from './tanh';
import type { NodeDef } from './types';

export const NODES: readonly NodeDef[] = [
  input, state, output,
  linear, scale, layerNorm, constant,
  sigmoid, tanh, relu, identity, oneMinus, softplus, hardSigmoid,
  add, subtract, multiply,
  concat, slice,
];

const byKind = new Map(NODES.map((n) => [n.kind, n]));

export function nodeDef(kind: string): NodeDef | undefined {
  return byKind.get(kind);
}

export type { NodeDef } from './types';

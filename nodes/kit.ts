/** Small helpers the primitive files share. Facts stay in the primitive files. */
import { formatSize, sameSize, type SizeExpr } from '../src/model/sizes';
import type { BackwardContext, ComputeContext, Gradients, ParamDef, ShapeContext, ShapeResult, Text } from './types';

export const text = (en: string, es: string): Text => ({ en, es });

export const onePort = (): readonly string[] => ['in'];
export const twoPorts = (): readonly string[] => ['a', 'b'];

/** The shape rule of every elementwise op: all operands share one size. */
export function sameSizeInputs(ports: readonly string[]) {
  return ({ inputs }: ShapeContext): ShapeResult => {
    const first = inputs[0];
    for (let i = 1; i < inputs.length; i++) {
      if (!sameSize(first, inputs[i])) {
        return { error: { problem: 'operand-size', port: ports[i], expected: formatSize(first), reference: ports[0], got: formatSize(inputs[i]) }, port: ports[i] };
      }
    }
    return { size: first };
  };
}

/** out[i] = f(x[i]) */
export function mapUnary(f: (x: number) => number) {
  return ({ inputs }: ComputeContext): Float64Array => inputs[0].map(f);
}

/** ∂x[i] = g[i] · f'(x[i], y[i]) — the derivative may use the output (σ, tanh). */
export function vjpUnary(derivative: (x: number, y: number) => number) {
  return ({ inputs, output, gradOutput }: BackwardContext): Gradients => {
    const x = inputs[0];
    return { inputs: [gradOutput.map((g, i) => g * derivative(x[i], output[i]))] };
  };
}

export function mapBinary(f: (a: number, b: number) => number) {
  return ({ inputs }: ComputeContext): Float64Array => {
    const [a, b] = inputs;
    return a.map((v, i) => f(v, b[i]));
  };
}

/** Integer size params (start/length/out …) parsed from text like "hidden". */
export function sizeParam(defaultValue: string | number, en: string, es: string): ParamDef {
  return { type: 'size', default: defaultValue, doc: text(en, es) };
}

export function sizeOf(ctx: ShapeContext, name: string): SizeExpr {
  return ctx.sizeParams[name];
}

/** Wraps a LaTeX operand in sized parentheses. */
export const paren = (s: string): string => `\\left(${s}\\right)`;

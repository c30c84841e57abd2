import { describe, expect, it } from 'vitest';
import { concat } from '../../nodes/concat';
import { constant } from '../../nodes/constant';
import { linear } from '../../nodes/linear';
import { checkCellSize, checkParam, checkText, paramValue } from '../../src/ui/lib/validate';
import { STRINGS } from '../../src/ui/lib/strings';

const t = STRINGS.en;

describe('field checks', () => {
  it('accepts cell sizes from 1 to 4096 only', () => {
    expect(checkCellSize(' 16 ', t)).toEqual({ ok: true, value: 16 });
    expect(checkCellSize('4096', t)).toEqual({ ok: true, value: 4096 });
    for (const bad of ['0', '4097', '1.5', '', 'abc', '1e3', '-3']) expect(checkCellSize(bad, t), bad).toEqual({ ok: false, error: 'A whole number from 1 to 4096.' });
    expect(checkCellSize('0', STRINGS.es)).toEqual({ ok: false, error: 'Un número entero de 1 a 4096.' });
  });

  it('checks numbers and integers against the ParamDef range', () => {
    expect(checkParam(linear.params.biasInit, '1', t)).toEqual({ ok: true, value: 1 });
    expect(checkParam(linear.params.biasInit, '-0.5', t)).toEqual({ ok: true, value: -0.5 });
    expect(checkParam(linear.params.biasInit, '1e1', t)).toEqual({ ok: true, value: 10 });
    expect(checkParam(linear.params.biasInit, '101', t)).toEqual({ ok: false, error: 'A number from -100 to 100.' });
    expect(checkParam(linear.params.biasInit, 'NaN', t).ok).toBe(false);
    expect(checkParam(linear.params.biasInit, 'Infinity', t).ok).toBe(false);
    expect(checkParam(linear.params.biasInit, '', t).ok).toBe(false);
    expect(checkParam(concat.params.inputs, '3', t)).toEqual({ ok: true, value: 3 });
    expect(checkParam(concat.params.inputs, '2.5', t)).toEqual({ ok: false, error: 'A whole number from 1 to 8.' });
    expect(checkParam(concat.params.inputs, '9', t).ok).toBe(false);
    expect(checkParam(constant.params.value, '0x10', t).ok).toBe(false);
  });

  it('reads sizes with the model parser: numbers stay numbers, names stay text', () => {
    expect(checkParam(linear.params.out, '32', t)).toEqual({ ok: true, value: 32 });
    expect(checkParam(linear.params.out, ' 4*hidden ', t)).toEqual({ ok: true, value: '4*hidden' });
    expect(checkParam(linear.params.out, 'hidden + input', t)).toEqual({ ok: true, value: 'hidden + input' });
    const bad = checkParam(linear.params.out, 'hidden - 1', t);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Not a size: cannot read "hidden - 1"/);
  });

  it('accepts only declared enum options and real booleans', () => {
    expect(checkParam(linear.params.init, 'orthogonal', t)).toEqual({ ok: true, value: 'orthogonal' });
    expect(checkParam(linear.params.init, 'he', t).ok).toBe(false);
    expect(checkParam(linear.params.bias, false, t)).toEqual({ ok: true, value: false });
    expect(checkParam(linear.params.bias, 'false', t).ok).toBe(false);
  });

  it('keeps text the loader would accept', () => {
    expect(checkText('forget', 80, t)).toEqual({ ok: true, value: 'forget' });
    expect(checkText('x'.repeat(81), 80, t)).toEqual({ ok: false, error: 'At most 80 characters.' });
    expect(checkText('a\u202eb', 80, t).ok).toBe(false);
    expect(checkText('a\nb', 80, t).ok).toBe(false);
    expect(checkText('a\nb', 80, t, false).ok).toBe(true);
  });

  it('shows a param\'s own value or its default', () => {
    expect(paramValue(linear.params.biasInit, { biasInit: 1 }, 'biasInit')).toBe(1);
    expect(paramValue(linear.params.biasInit, {}, 'biasInit')).toBe(0);
  });
});

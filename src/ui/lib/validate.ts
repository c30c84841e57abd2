/**
 * Checks what a person types into the inspector and toolbar, before any edit
 * is applied: a field only changes the cell when its text is valid. Messages
 * come from the strings table of the current language.
 */
import type { ParamDef } from '../../../nodes/types';
import { LIMITS, UNSAFE_TEXT, type ParamValue } from '../../model/cell';
import { renderSizeProblem } from '../../model/messages';
import { isSizeProblem, readSize } from '../../model/sizes';
import type { Strings } from './strings';

export type Check<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const fail = <T>(error: string): Check<T> => ({ ok: false, error });

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const INTEGER = /^[-+]?\d+$/;

/** A cell's input or hidden size: a whole number from 1 to LIMITS.size. */
export function checkCellSize(raw: string, s: Strings): Check<number> {
  const text = raw.trim();
  const n = Number(text);
  if (!INTEGER.test(text) || n < 1 || n > LIMITS.size) return fail(s.integerRange(1, LIMITS.size));
  return ok(n);
}

/** Free text (labels, names, descriptions), as the cell loader would accept it. */
export function checkText(raw: string, max: number, s: Strings, singleLine = true): Check<string> {
  if (raw.length > max) return fail(s.textTooLong(max));
  if (UNSAFE_TEXT.test(raw) || (singleLine && /[\n\t]/.test(raw))) return fail(s.noControlChars);
  return ok(raw);
}

/** A param's text (or checkbox state) checked against its definition. */
export function checkParam(def: ParamDef, raw: string | boolean, s: Strings): Check<ParamValue> {
  switch (def.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? ok(raw) : fail(s.chooseOption);
    case 'enum':
      return typeof raw === 'string' && def.options.includes(raw) ? ok(raw) : fail(s.chooseOption);
    case 'number': {
      const text = String(raw).trim();
      const n = Number(text);
      if (!NUMBER.test(text) || !Number.isFinite(n) || n < def.min || n > def.max) return fail(s.numberRange(def.min, def.max));
      return ok(n);
    }
    case 'integer': {
      const text = String(raw).trim();
      const n = Number(text);
      if (!INTEGER.test(text) || n < def.min || n > def.max) return fail(s.integerRange(def.min, def.max));
      return ok(n);
    }
    case 'size': {
      const text = String(raw).trim();
      // A plain whole number is stored as a number, anything else ("hidden", "2*hidden + input") as text.
      const value: ParamValue = /^\d{1,7}$/.test(text) ? Number(text) : text;
      const parsed = readSize(value);
      return isSizeProblem(parsed) ? fail(s.notASize(renderSizeProblem(parsed, s.lang))) : ok(value);
    }
  }
}

/** The value a param has on a node: its own, or the definition's default. */
export function paramValue(def: ParamDef, params: Readonly<Record<string, ParamValue>>, name: string): ParamValue {
  return Object.hasOwn(params, name) ? params[name] : def.default;
}

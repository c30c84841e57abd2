/**
 * Spanish spelling of the whole numbers 0 to 999, as written in running text
 * (RAE): one word up to 30 (veintiuno, veintidós, veintitrés, veintiséis, with their
 * accents), "y" between tens and units from 31 on (treinta y uno), "cien" alone
 * but "ciento" before more (ciento uno), and the irregular hundreds (quinientos,
 * setecientos, novecientos). One is the masculine "uno" throughout.
 */

const UNDER_THIRTY = [
  'cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve',
  'diez', 'once', 'doce', 'trece', 'catorce', 'quince', 'dieciséis', 'diecisiete', 'dieciocho', 'diecinueve',
  'veinte', 'veintiuno', 'veintidós', 'veintitrés', 'veinticuatro', 'veinticinco', 'veintiséis', 'veintisiete', 'veintiocho', 'veintinueve',
] as const;

/** Tens from 30 on, by tens digit (3 to 9). */
const TENS = ['', '', '', 'treinta', 'cuarenta', 'cincuenta', 'sesenta', 'setenta', 'ochenta', 'noventa'] as const;

/** Hundreds before more digits, by hundreds digit (1 to 9); exactly 100 is "cien". */
const HUNDREDS = [
  '', 'ciento', 'doscientos', 'trescientos', 'cuatrocientos', 'quinientos', 'seiscientos', 'setecientos', 'ochocientos', 'novecientos',
] as const;

/** The largest number spelled. */
export const SPANISH_NUMBER_MAX = 999;

/** The Spanish words for `n`, a whole number from 0 to 999; throws RangeError otherwise. */
export function spellSpanish(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > SPANISH_NUMBER_MAX) {
    throw new RangeError(`spellSpanish: expected a whole number from 0 to ${SPANISH_NUMBER_MAX}, got ${n}`);
  }
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 0) return belowHundred(rest);
  if (rest === 0) return hundreds === 1 ? 'cien' : HUNDREDS[hundreds];
  return `${HUNDREDS[hundreds]} ${belowHundred(rest)}`;
}

function belowHundred(n: number): string {
  if (n < UNDER_THIRTY.length) return UNDER_THIRTY[n];
  const units = n % 10;
  const tens = TENS[Math.floor(n / 10)];
  return units === 0 ? tens : `${tens} y ${UNDER_THIRTY[units]}`;
}

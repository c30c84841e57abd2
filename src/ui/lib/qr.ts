/**
 * QR codes for share links, to put on a projector: the module matrix comes from
 * qrcode-generator (MIT, no dependencies); drawing it is ours (components/QrCode.svelte)
 * as SVG rectangles, one per horizontal run of dark modules.
 */
import qrcode from 'qrcode-generator';

/** Light modules around the code that scanners need (the standard asks for four). */
export const QR_QUIET_ZONE = 4;
/** The most bytes a QR code holds (version 40, error correction L, byte mode). */
export const QR_MAX_BYTES = 2953;

export interface QrMatrix {
  /** 1–40: the code's size is 17 + 4 × version modules a side. */
  readonly version: number;
  readonly size: number;
  /** [row][column], true where a module is dark. */
  readonly dark: readonly (readonly boolean[])[];
}

/** A horizontal run of dark modules, in modules, the quiet zone included. */
export interface QrRun {
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

/**
 * The matrix of the smallest QR code (error correction L: a projected screen is clean, and
 * fewer, larger modules scan from further away) holding `text`, which must be ASCII (a link);
 * undefined when it is longer than a QR code holds.
 */
export function qrMatrix(text: string): QrMatrix | undefined {
  if (text.length === 0 || text.length > QR_MAX_BYTES || !/^[\x20-\x7e]*$/.test(text)) return undefined;
  const code = qrcode(0, 'L');
  code.addData(text, 'Byte');
  code.make();
  const size = code.getModuleCount();
  const dark = Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => code.isDark(row, col)));
  return { version: (size - 17) / 4, size, dark };
}

/** The dark modules as horizontal runs, placed inside the quiet zone. */
export function qrRuns(matrix: QrMatrix): QrRun[] {
  const runs: QrRun[] = [];
  matrix.dark.forEach((row, y) => {
    let start = -1;
    for (let x = 0; x <= row.length; x++) {
      if (x < row.length && row[x]) {
        if (start < 0) start = x;
      } else if (start >= 0) {
        runs.push({ x: start + QR_QUIET_ZONE, y: y + QR_QUIET_ZONE, width: x - start });
        start = -1;
      }
    }
  });
  return runs;
}

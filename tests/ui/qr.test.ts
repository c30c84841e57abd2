/**
 * The share link's QR code (src/ui/lib/qr.ts): drawn from its runs of dark
 * modules with the quiet zone, as QrCode.svelte draws it, it decodes back to the
 * link (jsQR); the smallest version that holds the link is chosen.
 */
import jsQR from 'jsqr';
import qrcode from 'qrcode-generator';
import { describe, expect, it } from 'vitest';
import { qrMatrix, qrRuns, QR_MAX_BYTES, QR_QUIET_ZONE, type QrMatrix } from '../../src/ui/lib/qr';
import { makeShareFragment, shareLink } from '../../src/ui/lib/share';
import { loadExample } from '../helpers';

/** The runs painted black on white, `scale` pixels a module: the image a phone would see. */
function paint(matrix: QrMatrix, scale: number): { data: Uint8ClampedArray; side: number } {
  const side = (matrix.size + 2 * QR_QUIET_ZONE) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const run of qrRuns(matrix)) {
    for (let y = run.y * scale; y < (run.y + 1) * scale; y++) {
      for (let x = run.x * scale; x < (run.x + run.width) * scale; x++) data.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return { data, side };
}

async function lstmLink(): Promise<string> {
  const made = await makeShareFragment(loadExample('lstm'));
  if (!made.ok) throw new Error('too long');
  return shareLink('http://192.168.1.20:5173/', made.fragment);
}

describe('the QR code of a share link', () => {
  it('decodes back to the LSTM link', async () => {
    const link = await lstmLink();
    const matrix = qrMatrix(link);
    if (!matrix) throw new Error('no QR code');
    console.info(`LSTM link: ${link.length} characters, QR version ${matrix.version} (${matrix.size} modules a side)`);
    const { data, side } = paint(matrix, 4);
    expect(jsQR(data, side, side)?.data).toBe(link);
  });

  it('runs cover exactly the dark modules, inside the quiet zone', async () => {
    const matrix = qrMatrix(await lstmLink());
    if (!matrix) throw new Error('no QR code');
    const covered = new Set<string>();
    for (const run of qrRuns(matrix)) for (let x = run.x; x < run.x + run.width; x++) covered.add(`${run.y - QR_QUIET_ZONE},${x - QR_QUIET_ZONE}`);
    const dark = matrix.dark.flatMap((row, r) => row.flatMap((d, c) => (d ? [`${r},${c}`] : [])));
    expect([...covered].sort()).toEqual(dark.sort());
    expect(Math.min(...qrRuns(matrix).map((r) => r.x))).toBe(QR_QUIET_ZONE);
  });

  it('chooses the smallest version that holds the link', async () => {
    const link = await lstmLink();
    const matrix = qrMatrix(link);
    if (!matrix) throw new Error('no QR code');
    expect(matrix.size).toBe(17 + 4 * matrix.version);
    const smaller = qrcode((matrix.version - 1) as Parameters<typeof qrcode>[0], 'L');
    smaller.addData(link, 'Byte');
    expect(() => smaller.make()).toThrow();
    expect(qrMatrix('x')?.version).toBe(1);
  });

  it('has none for a link longer than a QR code holds, or empty, or not ASCII', () => {
    expect(qrMatrix('h'.repeat(QR_MAX_BYTES))?.version).toBe(40);
    expect(qrMatrix('h'.repeat(QR_MAX_BYTES + 1))).toBeUndefined();
    expect(qrMatrix('')).toBeUndefined();
    expect(qrMatrix('http://example.org/ñ')).toBeUndefined();
  });
});

/**
 * Share links (src/ui/lib/share.ts): examples travel through a link and back
 * unchanged; every way a hostile or damaged link is refused gets its diagnostic,
 * in English and Spanish; a decompression bomb is stopped while it is read.
 */
import { describe, expect, it } from 'vitest';
import { renderDiagnostic, type Diagnostic } from '../../src/model/diagnostics';
import { cellFileText } from '../../src/ui/lib/files';
import {
  deflate, fromBase64Url, inflateCapped, isShareFragment, makeShareFragment, MAX_INFLATED_BYTES, MAX_LINK_FRAGMENT, MAX_OPEN_FRAGMENT,
  openShareFragment, SHARE_PREFIX, shareLink, toBase64Url,
} from '../../src/ui/lib/share';
import { exampleNames } from '../fixtures/examples';
import { loadExample } from '../helpers';

/** A fragment made by hand from any JSON-able value (or raw text), as a hostile link could be. */
async function fragmentOf(value: unknown): Promise<string> {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return SHARE_PREFIX + toBase64Url(await deflate(new TextEncoder().encode(text)));
}

/** Opens a fragment that must be refused; returns its diagnostics. */
async function refused(hash: string): Promise<Diagnostic[]> {
  const opened = await openShareFragment(hash);
  if (opened.ok) throw new Error('the link was opened');
  return opened.diagnostics;
}

const codes = (ds: readonly Diagnostic[]) => ds.map((d) => d.code);
const both = (d: Diagnostic) => [renderDiagnostic(d, 'en'), renderDiagnostic(d, 'es')];

describe('share links carry a cell', () => {
  it.each(exampleNames.map((f) => f.replace(/\.json$/, '')))('%s comes back from its link byte for byte, as the loader reads it', async (name) => {
    const cell = loadExample(name);
    const made = await makeShareFragment(cell);
    if (!made.ok) throw new Error(`the ${name} link is too long: ${made.chars}`);
    expect(made.fragment.startsWith('#cell=')).toBe(true);
    expect(made.fragment).toMatch(/^#cell=[A-Za-z0-9_-]+$/);
    const opened = await openShareFragment(made.fragment);
    if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
    expect(cellFileText(opened.value.cell)).toBe(cellFileText(cell));
    expect(opened.value.lesson).toBeUndefined();
  });

  it('keeps the LSTM well under the link limit (its size is reported)', async () => {
    const made = await makeShareFragment(loadExample('lstm'));
    if (!made.ok) throw new Error('too long');
    console.info(`LSTM share fragment: ${made.fragment.length} characters (cell file ${cellFileText(loadExample('lstm')).length})`);
    expect(made.fragment.length).toBeLessThan(1_200);
  });

  it('carries a lesson part and hands it back', async () => {
    const made = await makeShareFragment(loadExample('gru'), { id: 'lstm-forget-gate', step: 3 });
    if (!made.ok) throw new Error('too long');
    const opened = await openShareFragment(made.fragment);
    expect(opened.ok && opened.value.lesson).toEqual({ id: 'lstm-forget-gate', step: 3 });
  });

  it('makes a whole link from the app address, leaving out its query and old fragment', () => {
    expect(shareLink('http://127.0.0.1:5173/app/?safe#cell=old', '#cell=abc')).toBe('http://127.0.0.1:5173/app/#cell=abc');
    expect(isShareFragment('#cell=abc')).toBe(true);
    expect(isShareFragment('#other')).toBe(false);
    expect(isShareFragment('')).toBe(false);
  });

  it('refuses to make a link longer than the limit, saying how long it would be', async () => {
    const cell = loadExample('lstm');
    // Text that does not compress: random letters in the description.
    let seed = 7;
    const noise = Array.from({ length: 9_000 }, () => String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26))).join('');
    const made = await makeShareFragment({ ...cell, metadata: { ...cell.metadata, description: noise } });
    expect(made.ok).toBe(false);
    if (made.ok) return;
    expect(made.max).toBe(MAX_LINK_FRAGMENT);
    expect(made.chars).toBeGreaterThan(MAX_LINK_FRAGMENT);
  });
});

describe('a hostile or damaged link gets diagnostics', () => {
  it('names an empty link', async () => {
    expect(codes(await refused('#cell='))).toEqual(['link-empty']);
  });

  it('refuses a link past the hard limit before decoding it', async () => {
    const [d] = await refused(SHARE_PREFIX + 'A'.repeat(MAX_OPEN_FRAGMENT + 1));
    expect(d.code).toBe('link-too-long');
    expect(both(d)[0]).toContain(String(MAX_OPEN_FRAGMENT));
    expect(both(d)[1]).toContain('no se abren enlaces');
  });

  it('names the first character that is not base64url, and a cut-off end', async () => {
    const [bad] = await refused('#cell=abc!def');
    expect(bad.code).toBe('link-not-base64');
    expect(both(bad)[0]).toContain('character "!" (U+0021) at position 4');
    expect(both(bad)[1]).toContain('el carácter "!" (U+0021) en la posición 4');
    const [control] = await refused('#cell=ab\u202Ecd');
    expect(renderDiagnostic(control, 'en')).toContain('character U+202E at position 3');
    const [cut] = await refused('#cell=abcde');
    expect(renderDiagnostic(cut, 'en')).toContain('cut short');
    expect(renderDiagnostic(cut, 'es')).toContain('están cortados');
  });

  it('names data that is not deflate, and deflate that is cut off', async () => {
    const [garbage] = await refused('#cell=' + toBase64Url(new TextEncoder().encode('this is not compressed at all')));
    expect(garbage.code).toBe('link-not-deflate');
    expect(both(garbage)[0]).toContain('does not decompress');
    expect(both(garbage)[1]).toContain('no se pueden descomprimir');
    const whole = await fragmentOf({ v: 1, cell: loadExample('rnn') });
    expect(codes(await refused(whole.slice(0, whole.length - 40)))).toEqual(['link-not-deflate']);
  });

  it('names data that is not UTF-8 or not JSON', async () => {
    const latin1 = SHARE_PREFIX + toBase64Url(await deflate(Uint8Array.of(0x7b, 0xff, 0x7d)));
    const [notText] = await refused(latin1);
    expect(both(notText)).toEqual(["The link's data is not UTF-8 text.", 'Los datos del enlace no son texto UTF-8.']);
    const [notJson] = await refused(await fragmentOf('{"v": 1, "cell": '));
    expect(notJson.code).toBe('link-not-json');
    expect(both(notJson)[1]).toMatch(/^Los datos del enlace no son JSON válido: /);
  });

  it('refuses data that is not an object, or of another version', async () => {
    const [list] = await refused(await fragmentOf([1, 2]));
    expect(both(list)[0]).toBe('The link\'s data must be a JSON object with "v" and "cell", got a list of 2.');
    const [version] = await refused(await fragmentOf({ v: 2, cell: loadExample('rnn') }));
    expect(version.code).toBe('link-version');
    expect(both(version)[0]).toContain('got 2');
    expect(both(version)[1]).toContain('recibido: 2');
    expect(codes(await refused(await fragmentOf({ cell: loadExample('rnn') })))).toEqual(['link-version']);
  });

  it('refuses a lesson part of the wrong shape, naming the field', async () => {
    const cell = loadExample('rnn');
    const lessons: [unknown, string][] = [
      ['forget', 'lesson'],
      [{ id: 'Forget Gate', step: 1 }, 'lesson.id'],
      [{ id: 'a'.repeat(65), step: 1 }, 'lesson.id'],
      [{ step: 1 }, 'lesson.id'],
      [{ id: 'forget', step: 1.5 }, 'lesson.step'],
      [{ id: 'forget', step: 100 }, 'lesson.step'],
      [{ id: 'forget', step: -1 }, 'lesson.step'],
      [{ id: 'forget', step: '2' }, 'lesson.step'],
    ];
    for (const [lesson, field] of lessons) {
      const [d] = await refused(await fragmentOf({ v: 1, cell, lesson }));
      expect(d.code, JSON.stringify(lesson)).toBe('link-bad-lesson');
      expect(d.path).toBe(field);
      for (const text of both(d)) expect(text).toContain(`"${field}"`);
    }
    const edge = await openShareFragment(await fragmentOf({ v: 1, cell, lesson: { id: 'a'.repeat(64), step: 99, extra: '<script>' } }));
    expect(edge.ok && edge.value.lesson).toEqual({ id: 'a'.repeat(64), step: 99 });
  });

  it('sends the cell through the loader: an invalid cell gets the loader\'s diagnostics and nothing else', async () => {
    const cell = structuredClone(loadExample('rnn')) as unknown as { nodes: { id: string; kind: unknown }[] };
    cell.nodes[0].kind = { toString: 'alert(1)' };
    cell.nodes[1].id = 'x"); alert(1); ("';
    const diagnostics = await refused(await fragmentOf({ v: 1, cell }));
    expect(codes(diagnostics)).toEqual(['bad-node-kind', 'bad-node-id']);
    expect(codes(await refused(await fragmentOf({ v: 1 })))).toEqual(['not-an-object']);
    expect(codes(await refused(await fragmentOf({ v: 1, cell: { format: 'celda-project', version: 1 } })))).toEqual(['wrong-format']);
  });
});

describe('a decompression bomb', () => {
  /** `megabytes` of zeros, deflated (about a thousandth of the size). */
  async function bomb(megabytes: number): Promise<Uint8Array> {
    const zeros = new Uint8Array(1_000_000);
    const stream = new ReadableStream<BufferSource>({
      start(controller) {
        for (let i = 0; i < megabytes; i++) controller.enqueue(zeros);
        controller.close();
      },
    }).pipeThrough(new CompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  it('of 50 MB is stopped once a little past the cap has been read, not inflated whole', async () => {
    const compressed = await bomb(50);
    expect(compressed.length).toBeLessThan(100_000);
    const inflated = await inflateCapped(compressed, MAX_INFLATED_BYTES);
    expect(inflated).toMatchObject({ ok: false, reason: 'too-large' });
    if (inflated.ok || inflated.reason !== 'too-large') return;
    expect(inflated.read).toBeGreaterThan(MAX_INFLATED_BYTES);
    expect(inflated.read).toBeLessThan(MAX_INFLATED_BYTES + 300_000);
  });

  it('of 50 MB is refused by its link length; one that fits the length is refused by the cap', async () => {
    expect(codes(await refused(SHARE_PREFIX + toBase64Url(await bomb(50))))).toEqual(['link-too-long']);
    const small = SHARE_PREFIX + toBase64Url(await bomb(20));
    expect(small.length).toBeLessThan(MAX_OPEN_FRAGMENT);
    const [d] = await refused(small);
    expect(d.code).toBe('link-too-large');
    expect(renderDiagnostic(d, 'en')).toContain(`more than ${MAX_INFLATED_BYTES} bytes`);
    expect(renderDiagnostic(d, 'es')).toContain(`más de ${MAX_INFLATED_BYTES} bytes`);
  });

  it('inflates data just under the cap whole', async () => {
    const inflated = await inflateCapped(await deflate(new Uint8Array(MAX_INFLATED_BYTES).fill(32)), MAX_INFLATED_BYTES);
    if (!inflated.ok) throw new Error(inflated.reason);
    expect(inflated.bytes.length).toBe(MAX_INFLATED_BYTES);
    expect(inflated.bytes.every((b) => b === 32)).toBe(true);
  });
});

describe('base64url', () => {
  it('round-trips every byte value and accepts padding', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = toBase64Url(bytes);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64Url(text)).toMatchObject({ ok: true, value: bytes });
    expect(fromBase64Url('YQ==')).toMatchObject({ ok: true, value: Uint8Array.of(97) });
  });
});

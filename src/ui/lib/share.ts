/**
 * Share links: a cell (and, for lessons, where the learner is) carried in the
 * address's fragment, `#cell=<base64url of deflate-raw compressed UTF-8 JSON>`.
 * The fragment never reaches a server; whoever opens the link gets a copy.
 *
 * A link is untrusted input. Opening one is bounded at every stage — the
 * fragment's length, the bytes it inflates to (a decompression bomb is stopped
 * while it is read, not after), the JSON — and the cell goes only through the
 * cell loader (src/model/load.ts), so a hostile link gets diagnostics, never code.
 * Pure functions over web streams (CompressionStream, DecompressionStream): they
 * run alike in the browser and in Node.
 */
import type { Cell } from '../../model/cell';
import { error, type Diagnostic, type Result } from '../../model/diagnostics';
import { loadCell } from '../../model/load';
import { show } from '../../model/messages';

/** The fragment's key: `#cell=…`. */
export const SHARE_PREFIX = '#cell=';
export const SHARE_VERSION = 1;
/** The longest fragment a link is made with: longer ones are hard to paste and past what a QR code holds; a file is the way. */
export const MAX_LINK_FRAGMENT = 8_000;
/** The longest fragment opened: room for links from a future version with a larger limit, and no more. */
export const MAX_OPEN_FRAGMENT = 32_000;
/** The most bytes a link's data may inflate to (the largest example cell is under 4 KB of JSON). */
export const MAX_INFLATED_BYTES = 1_000_000;
/**
 * Compressed input is fed to the decompressor in slices this large, each only when the output
 * before it has been read: deflate expands at most ~1032×, so a slice adds at most ~260 KB.
 */
const INFLATE_SLICE = 256;
const LESSON_ID = /^[a-z0-9-]{1,64}$/;
const MAX_LESSON_STEP = 99;

/** Where a learner is in a lesson (built by the lessons; opaque here, its shape checked). */
export interface SharedLesson {
  readonly id: string;
  readonly step: number;
}

/** What a link carries. */
export interface SharePayload {
  readonly v: typeof SHARE_VERSION;
  /** The cell as the app saves it (the cell file's JSON). */
  readonly cell: Cell;
  readonly lesson?: SharedLesson;
}

/** What an opened link gives: the cell as the loader read it, and the lesson part if any. */
export interface Shared {
  readonly cell: Cell;
  readonly lesson?: SharedLesson;
}

export type MadeFragment =
  | { readonly ok: true; readonly fragment: string }
  /** The link would be longer than MAX_LINK_FRAGMENT: `chars` is how long. */
  | { readonly ok: false; readonly chars: number; readonly max: number };

/** The `#cell=…` fragment for a cell (and a lesson's state), or its length when that is too long for a link. */
export async function makeShareFragment(cell: Cell, lesson?: SharedLesson): Promise<MadeFragment> {
  const payload: SharePayload = { v: SHARE_VERSION, cell, ...(lesson && { lesson: { id: lesson.id, step: lesson.step } }) };
  const compressed = await deflate(new TextEncoder().encode(JSON.stringify(payload)));
  const fragment = SHARE_PREFIX + toBase64Url(compressed);
  return fragment.length > MAX_LINK_FRAGMENT ? { ok: false, chars: fragment.length, max: MAX_LINK_FRAGMENT } : { ok: true, fragment };
}

/** The whole link: the app's address (without query or fragment) and the fragment. */
export function shareLink(appAddress: string, fragment: string): string {
  const url = new URL(appAddress);
  return `${url.origin}${url.pathname}${fragment}`;
}

/** Whether an address's fragment (location.hash) is a share link. */
export function isShareFragment(hash: string): boolean {
  return hash.startsWith(SHARE_PREFIX);
}

/** Opens a `#cell=…` fragment: the cell (through the loader) and the lesson part, or diagnostics naming what is wrong. */
export async function openShareFragment(hash: string): Promise<Result<Shared>> {
  const data = hash.startsWith(SHARE_PREFIX) ? hash.slice(SHARE_PREFIX.length) : hash;
  if (data.length === 0) return fail(error('link-empty', {}));
  if (data.length > MAX_OPEN_FRAGMENT) return fail(error('link-too-long', { chars: data.length, max: MAX_OPEN_FRAGMENT }));
  const bytes = fromBase64Url(data);
  if (!bytes.ok) return bytes;
  const inflated = await inflateCapped(bytes.value, MAX_INFLATED_BYTES);
  if (!inflated.ok) {
    return fail(inflated.reason === 'too-large' ? error('link-too-large', { max: MAX_INFLATED_BYTES }) : error('link-not-deflate', { detail: inflated.detail }));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
  } catch {
    return fail(error('link-not-json', { notText: true }));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(error('link-not-json', { detail: (e as Error).message }));
  }
  return readPayload(json);
}

function readPayload(json: unknown): Result<Shared> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail(error('link-not-an-object', { got: show(json) }));
  const payload = json as Record<string, unknown>;
  if (payload.v !== SHARE_VERSION) return fail(error('link-version', { got: show(payload.v), supported: SHARE_VERSION }, { path: 'v' }));
  const lesson = payload.lesson === undefined ? undefined : readLesson(payload.lesson);
  if (lesson && !lesson.ok) return lesson;
  const cell = loadCell(payload.cell);
  if (!cell.ok) return cell;
  return { ok: true, value: { cell: cell.value, ...(lesson && { lesson: lesson.value }) }, diagnostics: cell.diagnostics };
}

function readLesson(raw: unknown): Result<SharedLesson> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(error('link-bad-lesson', { field: 'lesson', got: show(raw) }, { path: 'lesson' }));
  const { id, step } = raw as Record<string, unknown>;
  if (typeof id !== 'string' || !LESSON_ID.test(id)) return fail(error('link-bad-lesson', { field: 'lesson.id', got: show(id) }, { path: 'lesson.id' }));
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > MAX_LESSON_STEP) {
    return fail(error('link-bad-lesson', { field: 'lesson.step', got: show(step) }, { path: 'lesson.step' }));
  }
  return { ok: true, value: { id, step }, diagnostics: [] };
}

const fail = (...diagnostics: Diagnostic[]): { ok: false; diagnostics: Diagnostic[] } => ({ ok: false, diagnostics });

// ---------------------------------------------------------------------------
// Bytes: base64url and deflate-raw
// ---------------------------------------------------------------------------

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Base64url (padding optional) to bytes; the first character that is not base64url, or a cut length, is named. */
export function fromBase64Url(text: string): Result<Uint8Array> {
  const unpadded = text.replace(/={1,2}$/, '');
  if (!BASE64URL.test(unpadded)) {
    const position = [...unpadded].findIndex((c) => !BASE64URL.test(c));
    const character = [...unpadded][position];
    return fail(error('link-not-base64', { character: describeCharacter(character), position: position + 1 }));
  }
  // A last group of one character holds no whole byte: the data was cut.
  if (unpadded.length % 4 === 1) return fail(error('link-not-base64', { length: unpadded.length }));
  const binary = atob(unpadded.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { ok: true, value: bytes, diagnostics: [] };
}

/** A character from a link as a message shows it: visible ASCII in quotes, and always its code point. */
function describeCharacter(c: string): string {
  const code = `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return /^[!-~]$/.test(c) ? `"${c}" (${code})` : code;
}

export async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export type Inflated =
  | { readonly ok: true; readonly bytes: Uint8Array }
  /** `read`: the bytes inflated before reading stopped (a little past `max`, never all of a bomb). */
  | { readonly ok: false; readonly reason: 'too-large'; readonly read: number }
  | { readonly ok: false; readonly reason: 'corrupt'; readonly detail: string };

/**
 * Inflates deflate-raw data, reading no more than `max` bytes (and the slice being read):
 * past that it stops reading and cancels the stream.
 */
export async function inflateCapped(compressed: Uint8Array, max: number): Promise<Inflated> {
  let offset = 0;
  const source = new ReadableStream<BufferSource>({
    pull(controller) {
      if (offset >= compressed.length) controller.close();
      else controller.enqueue(compressed.slice(offset, (offset += INFLATE_SLICE)));
    },
  }, { highWaterMark: 0 });
  const chunks: Uint8Array[] = [];
  let read = 0;
  try {
    const reader = source.pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.length;
      if (read > max) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too-large', read };
      }
      chunks.push(value);
    }
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: e instanceof Error ? e.message : String(e) };
  }
  const bytes = new Uint8Array(read);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { ok: true, bytes };
}

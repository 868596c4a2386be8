/**
 * Reading a response body with a size cap that applies AFTER decompression.
 *
 * We ask for gzip/deflate/br and decode ourselves with zlib streams, so a 10 KB "decompression bomb"
 * that inflates to gigabytes is stopped as soon as the decoded size passes the cap: the data handler
 * runs synchronously as zlib produces each output chunk and destroys the whole chain on the spot, so
 * memory stays near the cap no matter what the server sends.
 */
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { FetchError } from '../errors.ts';

/** Content codings we can decode (what we advertise in Accept-Encoding). */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

export interface ReadBodyOptions {
  /** Cap on decoded bytes (and on raw bytes, which can only be larger for incompressible data). */
  maxBytes: number;
  /** For error messages. */
  url: string;
  /** Aborts the read (total timeout). */
  signal?: AbortSignal;
  /** Return the first maxBytes instead of failing when the body is longer (for sniffing error pages). */
  truncate?: boolean;
}

/**
 * "deflate" in the wild is either zlib-wrapped (RFC 1950, what the spec says) or raw deflate (what some
 * old servers send). Browsers accept both; we look at the first two bytes to tell them apart.
 */
class AutoInflate extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | null = null;
  private pending: Buffer | null = null;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (!this.inner) {
      const head = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
      if (head.length < 2) {
        this.pending = head;
        cb();
        return;
      }
      this.pending = null;
      chunk = head;
      const zlibWrapped = (head[0] & 0x0f) === 8 && ((head[0] << 8) | head[1]) % 31 === 0;
      this.inner = zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw();
      this.inner.on('data', (d: Buffer) => this.push(d));
      this.inner.on('error', (e) => this.destroy(e));
    }
    this.inner.write(chunk, () => cb());
  }

  override _flush(cb: TransformCallback): void {
    if (!this.inner) {
      cb(this.pending ? new Error('deflate body too short') : undefined);
      return;
    }
    this.inner.once('end', () => cb());
    this.inner.end();
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.inner?.destroy();
    cb(err);
  }
}

function decoderFor(coding: string): Transform | null {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return new AutoInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

/** Parses Content-Encoding into the decoders to apply, in decoding order (the reverse of the header). */
export function parseContentEncoding(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
}

/** Reads and decodes `body` fully, failing with FetchError('too_large') once the cap is passed. */
export function readCappedBody(body: Readable, contentEncoding: string | null | undefined, opts: ReadBodyOptions): Promise<Buffer> {
  const codings = parseContentEncoding(contentEncoding);
  const decoders: Transform[] = [];
  for (const coding of codings) {
    const d = decoderFor(coding);
    if (!d) {
      body.on('error', () => {}); // destroying an unfinished undici body emits an abort error
      body.destroy();
      for (const made of decoders) made.destroy();
      return Promise.reject(
        new FetchError('network', `The server for ${opts.url} sent the body in an unsupported encoding "${coding}"; Frontera only reads gzip, deflate and br.`),
      );
    }
    decoders.push(d);
  }
  const streams: Readable[] = [body, ...decoders];
  const last = streams[streams.length - 1];
  const tooLarge = () =>
    new FetchError('too_large', `The response from ${opts.url} is larger than the ${formatBytes(opts.maxBytes)} limit; Frontera stopped reading it.`);

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let raw = 0;
    let settled = false;

    const finish = (err: unknown) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      for (const s of streams) {
        // Late errors from streams we are tearing down are expected; keep them from going uncaught.
        s.on('error', () => {});
        if (!s.destroyed) s.destroy();
      }
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, total));
    };
    const onAbort = () => finish(opts.signal!.reason ?? new Error('aborted'));
    if (opts.signal) {
      if (opts.signal.aborted) return onAbort();
      opts.signal.addEventListener('abort', onAbort, { once: true });
    }

    if (decoders.length > 0) {
      // Raw bytes are capped too, so an endless stream of non-inflating input is cut off as well.
      body.on('data', (c: Buffer) => {
        raw += c.length;
        if (raw > opts.maxBytes && !opts.truncate) finish(tooLarge());
      });
    }
    for (let i = 0; i + 1 < streams.length; i++) streams[i].pipe(streams[i + 1] as Transform);
    body.on('error', (e) => finish(e));
    for (const d of decoders) {
      d.on('error', (e) =>
        finish(new FetchError('network', `The response from ${opts.url} has a corrupt ${codings.join('/')} body; the server sent broken compressed data.`, { cause: e })),
      );
    }
    last.on('data', (c: Buffer) => {
      if (settled) return;
      if (total + c.length > opts.maxBytes) {
        if (!opts.truncate) return finish(tooLarge());
        chunks.push(c.subarray(0, opts.maxBytes - total));
        total = opts.maxBytes;
        // Settle as success with what we have; destroying the streams is part of finishing.
        return finish(null);
      }
      total += c.length;
      chunks.push(c);
    });
    last.on('end', () => finish(null));
  });
}

/** "10 MiB" style size for messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

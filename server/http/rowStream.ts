/**
 * A response body read from the store a page at a time and written a few rows at a time, as
 * the client takes it (issue 17 item 3: one history answer built as a 314 MB string stalled the
 * event loop for 5.5 s, and six at once took the server to 4.3 GB). Memory per stream is one
 * store page (history.ts bounds it in bytes) plus one chunk of about CHUNK_CHARS.
 */

/** Rows are joined into chunks of about this many characters: fewer, larger writes. */
const CHUNK_CHARS = 64 * 1024;

export interface RowStreamOptions<T> {
  /** One row's text; `index` counts rows from 0 across pages. */
  render(row: T, index: number): string;
  /** Written before the first row and after the last (a JSON object's opening and close). */
  open?: string;
  close?: string;
  /** What a failure after the response has started becomes; the stream then ends. */
  failure(e: unknown): string;
  /** Called once when the stream ends in any way: read to the end, failed, or dropped by the client. */
  onEnd?(): void;
}

/**
 * The first page is read before this resolves, so a failing store still gets its HTTP status
 * (and `onEnd` has been called when this rejects); the rest is read on demand.
 */
export async function streamRows<T>(
  pages: AsyncIterable<T[]>,
  o: RowStreamOptions<T>,
): Promise<ReadableStream<Uint8Array>> {
  const it = pages[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    o.onEnd?.();
  };
  let page: T[] = [];
  let at = 0;
  let index = 0;
  let done = false;
  try {
    const first = await it.next();
    if (first.done) done = true;
    else page = first.value;
  } catch (e) {
    end();
    throw e;
  }
  let chunk = o.open ?? '';

  /** The next row, reading the next page when this one is used up; undefined at the end. */
  async function next(): Promise<T | undefined> {
    while (at >= page.length && !done) {
      page = [];
      at = 0;
      const r = await it.next();
      if (r.done) done = true;
      else page = r.value;
    }
    return at < page.length ? page[at++] : undefined;
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const row = await next();
            if (row === undefined) {
              controller.enqueue(encoder.encode(chunk + (o.close ?? '')));
              controller.close();
              end();
              return;
            }
            chunk += o.render(row, index++);
            if (chunk.length >= CHUNK_CHARS) break;
          }
          controller.enqueue(encoder.encode(chunk));
          chunk = '';
        } catch (e) {
          controller.enqueue(encoder.encode(chunk + o.failure(e)));
          controller.close();
          end();
        }
      },
      async cancel() {
        end();
        await it.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}

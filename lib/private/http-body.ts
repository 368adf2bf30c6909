import { Readable } from 'stream';

/** A response body read up to a cap. */
export interface CappedBody {
  readonly bytes: Buffer;
  /** True when the server sent more than the cap (the rest was not read, and the stream was destroyed). */
  readonly truncated: boolean;
}

/**
 * Reads a stream up to `cap` bytes and stops there (destroying the stream), so that a server that answers with
 * hundreds of megabytes costs at most `cap` bytes of memory. Rejects with the stream's error.
 */
export function readCapped(stream: Readable, cap: number): Promise<CappedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (truncated: boolean) => {
      if (settled) return;
      settled = true;
      resolve({ bytes: Buffer.concat(chunks, Math.min(size, cap)).subarray(0, cap), truncated });
    };
    stream.on('data', (chunk: Buffer | string) => {
      if (settled) return;
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(b);
      size += b.length;
      if (size > cap) {
        finish(true);
        stream.destroy();
      }
    });
    stream.on('end', () => finish(false));
    stream.on('error', (e) => {
      if (settled) return;
      settled = true;
      reject(e);
    });
  });
}

/** True when a body is an HTML page (by its content type or its first tag), not the JSON or XML an API sends. */
export function isHtmlPage(text: string, contentType?: string): boolean {
  return /text\/html|application\/xhtml/i.test(contentType ?? '') || /^\s*(<!--[^]*?-->\s*)*<(!doctype\s+html|html[\s>])/i.test(text);
}

/** The `<title>` of an HTML page, for messages ("MinIO Console"), or undefined. */
export function htmlTitle(text: string): string | undefined {
  const m = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(text);
  const title = m?.[1].replace(/\s+/g, ' ').trim();
  return title ? title : undefined;
}

/**
 * The first non-empty line of a body, control characters removed and cut to `max` characters, for messages that
 * show what a server sent without echoing megabytes (or a terminal escape sequence) back.
 */
export function firstLine(text: string, max = 160): string {
  const line = text.split(/\r?\n/).find((l) => l.trim()) ?? '';
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

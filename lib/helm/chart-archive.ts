import * as zlib from 'zlib';
import { NotRendered, TemplateError } from './go-values';

/** A chart archive Helm's loader refuses (helm pkg/chart/loader/archive.go): `helm template` fails with the message. */
export class ChartArchiveError extends TemplateError {}

/** helm pkg/chart/loader/archive.go MaxDecompressedChartSize: the files of one archive together, decompressed (100 MiB). */
export const MAX_DECOMPRESSED_CHART_SIZE = 100 * 1024 * 1024;
/** helm pkg/chart/loader/archive.go MaxDecompressedFileSize: one file of an archive, decompressed (5 MiB). */
export const MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024;
/**
 * The bound of this check on the whole decompressed tar stream (file data plus its 512-byte headers and padding):
 * Helm's chart bound with room for the headers of a few thousand files; beyond it the archive is not read.
 */
const MAX_TAR_BYTES = MAX_DECOMPRESSED_CHART_SIZE + 16 * 1024 * 1024;
/** The bound of this check on the entries of one archive (lib/helm/chart-load.ts bounds a chart folder to 5000 files). */
const MAX_ENTRIES = 5000;

const BLOCK = 512;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A NUL-terminated header field (Go archive/tar parseString). */
function field(h: Buffer, start: number, length: number): string {
  const raw = h.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/** A numeric header field: octal, or base-256 when its first byte's high bit is set (Go archive/tar parseNumeric). */
function numeric(h: Buffer, start: number, length: number): number {
  const raw = h.subarray(start, start + length);
  if (raw[0] & 0x80) {
    let n = raw[0] & 0x7f;
    for (const b of raw.subarray(1)) n = n * 256 + b;
    return n;
  }
  const s = raw.toString('latin1').replace(/\0.*$/s, '').trim();
  if (s && !/^[0-7]+$/.test(s)) throw new ChartArchiveError('archive/tar: invalid header');
  return s ? parseInt(s, 8) : 0;
}

/** The header's checksum matches its bytes, summed unsigned or signed with the checksum field as spaces (Go archive/tar). */
function checksumOk(h: Buffer): boolean {
  const want = numeric(h, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return want === unsigned || want === signed;
}

/** The records of a pax extended header: `<length> <key>=<value>\n` each (Go archive/tar parsePAX). */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let s = data.toString('utf8');
  while (s.length) {
    const m = /^(\d+) /.exec(s);
    if (!m) throw new ChartArchiveError('archive/tar: invalid header');
    const rec = Buffer.from(s, 'utf8').subarray(0, Number(m[1])).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq < 0 || !rec.endsWith('\n')) throw new ChartArchiveError('archive/tar: invalid header');
    out.set(rec.slice(m[0].length, eq), rec.slice(eq + 1, -1));
    s = s.slice(rec.length);
  }
  return out;
}

/** One entry of a tar stream: its name as the headers give it (long names and pax paths applied), type and data. */
export interface TarEntry {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly data: Buffer;
}

/** The name of a header: ustar's prefix joined to its name; the GNU format has no prefix field (Go archive/tar readHeader). */
function headerName(h: Buffer): string {
  const magic = h.subarray(257, 265).toString('latin1');
  const name = field(h, 0, 100);
  const prefix = magic === 'ustar\x0000' ? field(h, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** The entries of a tar stream (ustar, GNU long names `L`, pax `x` path and size; global pax headers `g` as entries). */
export function readTar(tar: Buffer): TarEntry[] {
  const out: TarEntry[] = [];
  let longName: string | undefined;
  let pax = new Map<string, string>();
  for (let off = 0; off + BLOCK <= tar.length;) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    if (!checksumOk(h)) throw new ChartArchiveError('archive/tar: invalid header');
    const type = String.fromCharCode(h[156]);
    const size = pax.has('size') ? Number(pax.get('size')) : numeric(h, 124, 12);
    const start = off + BLOCK;
    if (!Number.isSafeInteger(size) || size < 0 || start + size > tar.length) throw new ChartArchiveError('unexpected EOF');
    const data = tar.subarray(start, start + size);
    off = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') longName = field(data, 0, data.length);
    else if (type === 'x') pax = new Map([...pax, ...paxRecords(data)]);
    else if (type !== 'K') {
      const name = pax.get('path') ?? longName ?? headerName(h);
      const links = type === '1' || type === '2';
      out.push({ name, type, size: links ? 0 : size, data: links ? Buffer.alloc(0) : data });
      if (out.length > MAX_ENTRIES) throw new NotRendered(`the chart archive holds more than ${MAX_ENTRIES} entries (a bound of this check)`);
      longName = undefined;
      pax = new Map();
    }
  }
  return out;
}

/** The path of an entry inside the chart, its top folder removed, as helm's LoadArchiveFiles checks and normalizes it. */
function chartPath(name: string): string {
  const delimiter = name.includes('\\') ? '\\' : '/';
  const parts = name.split(delimiter);
  const joined = parts.slice(1).join('/');
  if (joined.startsWith('/')) throw new ChartArchiveError('chart illegally contains absolute paths');
  const clean = posixClean(joined);
  if (clean === '.') throw new ChartArchiveError(`chart illegally contains content outside the base directory: "${name}"`);
  if (clean.startsWith('..')) throw new ChartArchiveError('chart illegally references parent directory');
  if (/^[a-zA-Z]:\//.test(clean)) throw new ChartArchiveError('chart contains illegally named files');
  if (parts[0] === 'Chart.yaml') throw new ChartArchiveError('chart yaml not in base directory');
  return clean;
}

/** Go's path.Clean for a relative path. */
function posixClean(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(seg);
  }
  return out.join('/') || '.';
}

function gunzip(archive: Buffer): Buffer {
  if (archive.length < 2 || archive[0] !== 0x1f || archive[1] !== 0x8b) throw new ChartArchiveError('gzip: invalid header');
  try {
    return zlib.gunzipSync(archive, { maxOutputLength: MAX_TAR_BYTES });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ChartArchiveError(`decompressed chart is larger than the maximum size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    throw new ChartArchiveError(`gzip: ${(e as Error).message}`);
  }
}

/**
 * The files of a packaged chart (.tgz), by their path inside the chart: helm pkg/chart/loader/archive.go
 * LoadArchiveFiles. Folders and pax headers are skipped; the first path segment (the chart's folder) is removed;
 * absolute paths, paths leaving the chart and Chart.yaml at the archive's root are refused; each file at most
 * MaxDecompressedFileSize, all of them MaxDecompressedChartSize; a UTF-8 byte order mark is removed.
 */
export function loadArchiveFiles(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let remaining = MAX_DECOMPRESSED_CHART_SIZE;
  for (const e of readTar(gunzip(archive))) {
    if (e.type === '5' || e.name.endsWith('/') || e.type === 'g' || e.type === 'x') continue;
    const n = chartPath(e.name);
    if (e.size > remaining) throw new ChartArchiveError(`decompressed chart is larger than the maximum size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    if (e.size > MAX_DECOMPRESSED_FILE_SIZE)
      throw new ChartArchiveError(`decompressed chart file "${e.name}" is larger than the maximum file size ${MAX_DECOMPRESSED_FILE_SIZE}`);
    remaining -= e.size;
    if (remaining <= 0) throw new ChartArchiveError(`decompressed chart is larger than the maximum size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    files.set(n, e.data.subarray(0, 3).equals(UTF8_BOM) ? e.data.subarray(3) : e.data);
  }
  if (!files.size) throw new ChartArchiveError('no files in chart archive');
  return files;
}

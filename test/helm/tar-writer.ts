import * as zlib from 'zlib';

/** One entry of a hand-made tar stream: its name as written, data, and how a long name is carried. */
export interface TarInput {
  readonly name: string;
  readonly data?: string | Buffer;
  /** '0' a file (default), '5' a folder, '2' a symbolic link. */
  readonly type?: string;
  /** A name over 100 bytes: in a GNU `L` entry before it, or a pax `x` header's path record. */
  readonly longName?: 'gnu' | 'pax';
}

function header(name: string, size: number, type: string, magic: 'ustar' | 'gnu'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h.write(type, 156, 'latin1');
  h.write(magic === 'gnu' ? 'ustar  \0' : 'ustar\u000000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  const sum = h.reduce((a, b) => a + b, 0);
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

const padded = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);

/** A pax record `<length> path=<value>\n`, its length counting itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let n = Buffer.byteLength(body) + 1;
  while (String(n).length + Buffer.byteLength(body) !== n) n = String(n).length + Buffer.byteLength(body);
  return `${n}${body}`;
}

/** A gzipped tar stream of the entries (the test's own writer: GNU and pax long names, folders, links). */
export function tgz(entries: readonly TarInput[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    if (e.longName === 'gnu') {
      const n = Buffer.from(`${e.name}\0`);
      blocks.push(header('././@LongLink', n.length, 'L', 'gnu'), padded(n));
    } else if (e.longName === 'pax') {
      const rec = Buffer.from(paxRecord('path', e.name));
      blocks.push(header('PaxHeaders/x', rec.length, 'x', 'ustar'), padded(rec));
    }
    const type = e.type ?? '0';
    blocks.push(header(e.name, type === '0' ? data.length : 0, type, e.longName === 'gnu' ? 'gnu' : 'ustar'));
    if (type === '0') blocks.push(padded(data));
  }
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks));
}

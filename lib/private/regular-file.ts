import * as fs from 'fs';

/**
 * Opens a file for reading without ever blocking: a FIFO, a device (/dev/zero), a socket or a folder named like the
 * file is refused by its type before any read (opened non-blocking, then fstat). The error names the file.
 */
export function openRegularFile(file: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  const st = fs.fstatSync(fd);
  if (!st.isFile()) {
    fs.closeSync(fd);
    const kind = st.isDirectory()
      ? 'a folder'
      : st.isFIFO()
        ? 'a named pipe (FIFO)'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'a device'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';
    throw new Error(`${file} is ${kind}, not a regular file; only regular files are read: replace it with the real file`);
  }
  return { fd, size: st.size };
}

/** The bytes of a regular file (see `openRegularFile`) of at most `maxBytes`; `reader` names who refuses a larger one. */
export function readRegularFile(file: string, maxBytes: number, reader: string): Buffer {
  const { fd, size } = openRegularFile(file);
  try {
    if (size > maxBytes) throw new Error(`${file} has ${size} bytes, more than the ${formatBytes(maxBytes)} ${reader} reads from it`);
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

function formatBytes(n: number): string {
  return n % 2 ** 20 === 0 ? `${n / 2 ** 20} MiB` : `${n} bytes`;
}

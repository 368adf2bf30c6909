import * as fs from 'fs';
import type { UploadEvent } from '../s3/model-store';
import { Command, InputError, numberOption, UsageError } from './command';
import { defineCommand } from './options';
import { S3_NOTE, S3_OPTIONS, s3From, s3UriArgument } from './s3-options';

export const uploadCommand: Command = defineCommand({
  name: 'upload',
  synopsis: ['upload <local-dir> <s3://bucket/prefix/> [options]'],
  usage: [
    `  Files already in S3 with the same size and SHA-256 are skipped, so an interrupted upload resumes where it
  stopped; large files go multipart and appear under their key only when complete. Every object carries an SHA-256
  checksum (S3 verifies it) and is read back with a HEAD; 'verify' runs at the end.`,
    // uploadModel's defaults (lib/s3/model-store.ts), which loads the AWS SDK: written here so that --help does not
    {
      concurrency: { type: 'string', value: '<n>', help: 'files in parallel', default: '4' },
      'part-size-mib': { type: 'string', value: '<n>', help: 'multipart part size', default: '64' },
    },
    S3_OPTIONS,
    S3_NOTE,
  ],
  positionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length !== 2) throw new UsageError('give the local folder and the s3:// location');
    // a folder that is not there is an input error (exit 2), found before any S3 client is made
    if (!fs.existsSync(positionals[0]) || !fs.statSync(positionals[0]).isDirectory())
      throw new InputError(`${positionals[0]} is not a folder; give the local folder that holds the model's files`);
    const location = s3UriArgument(positionals[1]);
    const { client, endpoint } = await s3From(values, io);
    const tty = process.stdout.isTTY === true;
    let total = 0;
    const loaded = new Map<string, number>();
    const started = Date.now();
    const onEvent = (e: UploadEvent) => {
      if (e.type === 'skip') io.out(`${tty ? '\r\x1b[K' : ''}skipped   ${e.file} (already uploaded, same checksum)\n`);
      if (e.type === 'start') total += e.bytes;
      if (e.type === 'progress') loaded.set(e.file, e.loaded);
      if (e.type === 'done') {
        loaded.set(e.file, e.bytes);
        io.out(`${tty ? '\r\x1b[K' : ''}uploaded  ${e.file} (${e.bytes} bytes, ${(e.bytes / 1e6 / Math.max(e.seconds, 0.001)).toFixed(1)} MB/s)\n`);
      }
      if (tty && (e.type === 'progress' || e.type === 'done')) {
        const done = [...loaded.values()].reduce((n, v) => n + v, 0);
        const frac = total ? done / total : 1;
        const bar = '='.repeat(Math.round(frac * 30)).padEnd(30);
        const rate = done / 1e6 / Math.max((Date.now() - started) / 1000, 0.001);
        io.out(`\r\x1b[K[${bar}] ${(frac * 100).toFixed(0)}% ${(done / 1e9).toFixed(2)}/${(total / 1e9).toFixed(2)} GB ${rate.toFixed(0)} MB/s`);
      }
    };
    const { uploadModel } = await import('../s3/model-store');
    const r = await uploadModel(client, positionals[0], location, {
      concurrency: numberOption('concurrency', values.concurrency, { integer: true, min: 1, max: 64 }),
      partSizeMiB: numberOption('part-size-mib', values['part-size-mib'], { integer: true, min: 5, max: 5120 }),
      endpoint,
      onEvent,
    });
    if (tty) io.out('\r\x1b[K');
    io.out(`${r.uploaded.length} uploaded, ${r.skipped.length} skipped, ${(r.bytesUploaded / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(1)} s\n`);
    const v = r.verify;
    io.out(
      v.complete
        ? `complete: ${v.location} (${v.files} files)\n`
        : `INCOMPLETE: ${v.location}: missing ${[...v.missing, ...v.empty.map((e) => `${e} (empty)`)].join(', ')}\n`,
    );
    return v.complete ? 0 : 1;
  },
});

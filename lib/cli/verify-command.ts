import * as path from 'path';
import { storageLocationOf } from '../check/serving-model';
import { readManifests } from '../manifests/read-manifests';
import type { VerifyResult } from '../s3/model-store';
import { Command, UsageError } from './command';
import { defineCommand } from './options';
import { S3_NOTE, S3_OPTIONS, s3From, s3UriArgument } from './s3-options';

/** The tree `npm run synth` writes, which verify reads when no location is given. */
const DEFAULT_TREE = 'dist';

export const verifyCommand: Command = defineCommand({
  name: 'verify',
  synopsis: ['verify [s3://bucket/prefix/]... [options]'],
  usage: [
    `  A model is complete when config.json, a tokenizer and every shard named by model.safetensors.index.json (or the
  single model.safetensors) exist with non-zero size. Missing and empty files are named one by one, and so is
  what makes the index unreadable for vLLM (null, wrong types, entries that are not file names).
  Without a location, verifies every S3 location the InferenceServices under --tree (default dist/) load.`,
    {
      tree: { type: 'string', value: '<dir>', help: 'rendered tree to read the InferenceServices from', default: DEFAULT_TREE },
      json: { type: 'boolean', help: 'print {"models":[{location, complete, files, totalBytes, missing, empty, invalid, shards}]}' },
    },
    S3_OPTIONS,
    S3_NOTE,
    '  Exit code 1 when any model is incomplete.',
  ],
  positionals: true,
  async run({ values, positionals }, io) {
    let uris = positionals;
    if (!uris.length) {
      const tree = values.tree ?? DEFAULT_TREE;
      const { manifests } = readManifests([tree]);
      uris = [
        ...new Set(
          manifests
            .map((m) => m.manifest as { kind?: unknown })
            .filter((m) => m.kind === 'InferenceService')
            .map((m) => storageLocationOf(m))
            .filter((u): u is string => !!u?.startsWith('s3://')),
        ),
      ].sort();
      if (!uris.length) throw new UsageError(`no InferenceService with an s3:// location under ${path.resolve(tree)}; give the locations to verify`);
    }
    const locations = uris.map((uri) => s3UriArgument(uri));
    const { client, endpoint } = await s3From(values, io);
    const { verifyModel } = await import('../s3/model-store');
    const results: VerifyResult[] = [];
    for (const loc of locations) results.push(await verifyModel(client, loc, endpoint));
    if (values.json) {
      io.out(`${JSON.stringify({ models: results })}\n`);
    } else {
      for (const r of results) {
        const size = `${r.files} files, ${(r.totalBytes / 1e9).toFixed(2)} GB`;
        if (r.complete) {
          io.out(`complete    ${r.location} (${size}, ${r.shards.length} weight shard${r.shards.length === 1 ? '' : 's'})\n`);
        } else {
          io.out(`INCOMPLETE  ${r.location} (${r.files ? size : 'the prefix is empty: nothing was uploaded there'})\n`);
          for (const m of r.missing) io.out(`              missing: ${m}\n`);
          for (const e of r.empty) io.out(`              empty:   ${e}\n`);
          for (const i of r.invalid) io.out(`              invalid: ${i}\n`);
        }
      }
    }
    return results.every((r) => r.complete) ? 0 : 1;
  },
});

import * as path from 'path';
import { parseArgs } from 'util';
import { storageLocationOf } from '../check/graph';
import { readManifests } from '../manifests/read-manifests';
import { verifyModel, VerifyResult } from '../s3/model-store';
import { Command, UsageError } from './command';
import { S3_OPTIONS, S3_USAGE, s3From, s3UriArgument } from './s3-options';
import { SUMMARIES } from './summaries';

export const verifyCommand: Command = {
  name: 'verify',
  summary: SUMMARIES.verify,
  usage: `cdk8s-vllm verify [s3://bucket/prefix/]... [--tree <dir>] [--json] [--endpoint <url>] [--region <r>] [--ca-bundle <pem>]

  A model is complete when config.json, a tokenizer and every shard named by model.safetensors.index.json (or the
  single model.safetensors) exist with non-zero size. Missing and empty files are named one by one, and so is
  what makes the index unreadable for vLLM (null, wrong types, entries that are not file names).
  Without a location, verifies every S3 location the InferenceServices under --tree (default dist/) load.

  --tree <dir>         rendered tree to read the InferenceServices from (default dist)
  --json               print {"models":[{location, complete, files, totalBytes, missing, empty, invalid, shards}]}
${S3_USAGE}

  Exit code 1 when any model is incomplete.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...S3_OPTIONS, tree: { type: 'string' }, json: { type: 'boolean' } },
    });
    let uris = positionals;
    if (!uris.length) {
      const tree = values.tree ?? 'dist';
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
    const { client, endpoint } = s3From(values, io);
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
};

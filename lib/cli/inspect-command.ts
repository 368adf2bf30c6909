import * as fs from 'fs';
import * as path from 'path';
import { Command, UsageError } from './command';
import { defineCommand } from './options';
import { S3_NOTE, S3_OPTIONS, s3From, s3UriArgument } from './s3-options';
import { table } from './table';

export const inspectCommand: Command = defineCommand({
  name: 'inspect',
  synopsis: ['inspect <s3://bucket/prefix/> [options]'],
  usage: [
    {
      json: { type: 'boolean', help: 'print the profile as JSON' },
      out: { type: 'string', value: '<dir>', help: "save config.json (and model.safetensors.index.json) there, for 'plan --model <dir>' and 'check --model'" },
    },
    S3_OPTIONS,
    S3_NOTE,
  ],
  positionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one s3:// location');
    const loc = s3UriArgument(positionals[0]);
    const { client, endpoint } = await s3From(values, io);
    const { inspectModel } = await import('../s3/model-store');
    const { profile, config, index } = await inspectModel(client, loc, endpoint);
    if (values.out) {
      fs.mkdirSync(values.out, { recursive: true });
      fs.writeFileSync(path.join(values.out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
      if (index) fs.writeFileSync(path.join(values.out, 'model.safetensors.index.json'), `${JSON.stringify(index, null, 2)}\n`);
    }
    const summary = {
      name: profile.name,
      architecture: profile.architecture,
      layers: profile.numLayers,
      hiddenSize: profile.hiddenSize,
      attentionHeads: profile.numAttentionHeads,
      kvHeads: profile.numKeyValueHeads,
      headDim: profile.headDim,
      intermediateSize: profile.intermediateSize,
      vocabSize: profile.vocabSize,
      maxPositionEmbeddings: profile.maxPositionEmbeddings,
      dtype: profile.torchDtype,
      quantization: profile.quantization?.label ?? null,
      weightBytes: profile.weightBytes,
      weightSource: profile.weightSource,
      ...(profile.moe ? { experts: profile.moe.numExperts, expertsPerToken: profile.moe.expertsPerToken } : {}),
    };
    if (values.json) {
      io.out(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      const rows = Object.entries(summary).map(([k, v]) => [k, k === 'weightBytes' ? `${v} (${(Number(v) / 2 ** 30).toFixed(2)} GiB)` : String(v)]);
      io.out(`${table(['field', 'value'], rows).split('\n').slice(2).join('\n')}\n`);
      if (values.out)
        io.out(`\nsaved to ${values.out}: use it with 'cdk8s-vllm plan --model ${values.out}' or 'cdk8s-vllm check --model ${positionals[0]}=${values.out}'\n`);
    }
    return 0;
  },
});

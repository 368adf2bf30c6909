/**
 * One line per command, for `cdk8s-vllm --help`: kept apart from the commands so that the help loads none of them
 * (nor the AWS SDK the S3 commands pull in). Each command's `summary` is its entry here.
 */
export const SUMMARIES = {
  init: 'start a cdk8s app that serves a model: GPU nodes, Kueue quota, Argo CD delivery',
  validate: 'check every manifest under the paths strictly against its schema (Kubernetes 1.33 and the CRDs)',
  plan: 'predict whether a model fits a GPU under vLLM, and how much KV cache it leaves',
  catalog: 'list the GPUs and instance types the planner knows, every figure with its source and date',
  check: 'find the cross-object mistakes that break LLM deployments, in any manifest tree',
  verify: 'check that every file a model needs is in S3 (config, tokenizer, every weight shard)',
  inspect: "read a model's config.json and weight index from S3 and print what the GPU planner needs",
  upload: 'upload a local model folder to S3: parallel, multipart, resumable, checksummed, verified',
  smoke: 'ask a deployed model: it lists the model and answers one short chat completion',
} as const;

/** A command's name. */
export type CommandName = keyof typeof SUMMARIES;

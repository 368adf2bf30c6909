import { ModelProfile } from '../../planning/model-profile';
import { parallelismProblems } from '../../planning/llm-pool';
import { gpuIndependentRefusals, PlanInput } from '../../planning/vllm-memory';
import { poolLabel, writtenPools } from '../llm-pools';
import { GraphObject } from '../graph-object';
import { modelSpecOf, storageLocationOf } from '../serving-model';
import { storageKeyScheme } from '../connections';
import { mapping, text } from '../../manifests/access';
import { planSettings, poolEngine, ServerEngine, serviceEngine, startupRefusals } from '../vllm-engine-settings';
import { CheckContext, Problem, Rule } from '../rule';
import { NODE_SHAPE_ANNOTATION } from '../../k8s/keys';
import { commandModelOf } from '../catalogued-model';
import { WORKLOAD_KINDS } from '../pods';
import { workloadWeightFit } from '../workload-gpu-fit';
import { GPU_MODEL_LABELS } from '../gpu-labels';
import { gpuFitShapeOf } from '../gpu-fit-shape';
import { verdictsOnLabelled, verdictsOnTypes } from '../plan-verdicts';
import { proseVerdicts } from '../prose-gpu-fit';

/** How to save a profile for --model: `inspect` reads S3 only; for other sources the model's own folder holds config.json. */
function saveHint(location: string): string {
  if (location.startsWith('s3://')) return `save one with 'cdk8s-vllm inspect ${location} --out <folder>'`;
  if (location.startsWith('hf://'))
    return `the folder of a download of the repository, e.g. 'huggingface-cli download ${location.slice(5).split(':')[0]} config.json model.safetensors.index.json --local-dir <folder>'`;
  return "a folder with the model's config.json (and model.safetensors.index.json), copied from where the model is stored";
}

/** Whether gpu-memory-fit judges the service (vLLM on GPUs), and so says itself when its node shape is unknown. */
export function judgedForGpuFit(o: GraphObject, ctx: CheckContext): boolean {
  return o.manifest.kind === 'InferenceService'
    ? ctx.graph.servingKindOf(o) === 'vllm-gpu'
    : o.manifest.kind === 'LLMInferenceService' && ctx.graph.gpusOf(o) > 0;
}

export const gpuMemoryFit: Rule = {
  id: 'gpu-memory-fit',
  title: "the model does not start on its GPUs under vLLM's memory accounting (weights, activations, KV cache for max-model-len)",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'LLMInferenceService'],
  premise:
    'the service runs vLLM on GPUs and its model is known (recorded profile, --model, or a profile bundled in models/ for the Hugging Face id its storage URI or command line names: `hf://org/name`, a path ending in org/name, --model, vllm serve <id>, --model_id; matched case-insensitively, nothing guessed from a family or a size); the memory fit needs the node shape (recorded by the construct, an instance-type selector, a MachineSet, an eksctl ClusterConfig node group the pod selects, a Kueue flavor or the Karpenter NodePools that take the pod) or a node label naming the GPU (cloud.google.com/gke-accelerator, nvidia.com/gpu.product with nvidia.com/gpu.memory, karpenter.k8s.aws/instance-gpu-name with instance-gpu-memory, or instance-family, the same under the eks.amazonaws.com/ prefix of EKS Auto Mode, in the selection of the pod or the requirements of the Karpenter NodePools that take it: judged per GPU, the CPU and memory of the node unchecked; an error only when every GPU the In of an affinity admits fails, else a warning naming those that do; a value the catalog lacks is a note), or the node pools the Terraform of the checked folders or their repository declares (each named with its file and line; a pool repeated by count or for_each is one pool per instance, its variables read from terraform.tfvars, *.auto.tfvars and defaults; one whose count resolves to 0 does not exist, and one whose count or for_each the files do not resolve may exist, so no verdict on it is more than a warning): those the pod pins by name, else, where it pins none and the Terraform declares every pool of its one cluster (no auto-provisioning, Karpenter, MachineSet, other pool source or local development cluster; no node affinity), the GPU pools whose taints it tolerates and whose labels hold its selector, by their GKE guest_accelerator, EKS instance types or AKS vm_size (lib/catalog/machine-type-gpus.ts), the node groups of a terraform-aws-modules/eks call (eks_managed_node_groups, self_managed_node_groups; an aws_eks_node_group naming its cluster_name output belongs to its cluster) and the node_pools of a terraform-google-modules/kubernetes-engine call (accelerator_type × accelerator_count) among them, judged as labelled GPUs and only where the GPU of every such pool is known; a Karpenter NodePool the Terraform applies (kubectl_manifest, kubernetes_manifest) with literal requirements counts as one of the tree. With none of these and no node selector or affinity, a line of the READMEs that says which GPU the tree runs on (`tested on an RTX 2080 Ti`, `requires a 24 GB GPU`; code blocks and `not tested on` left out), each GPU alone, is a warning naming file and line where the model fails on every one (an RTX card or a size read as that many GiB visible to CUDA, at least what the card shows); what vLLM refuses on any hardware (max-model-len beyond the length it derives, heads not divisible) is reported by vllm-startup-refused, and the fit is not judged until it is mended. A Deployment, StatefulSet or Job that starts vLLM on GPUs of a known node shape or labelled GPU is judged by the full plan as a service is when its --model names the id of a bundled profile (weights, activations, KV cache for its max-model-len or the derived length, gpu-memory-utilization, kv-cache-dtype, tensor and pipeline parallelism, quantization), else by its weights alone: the least size its --model name spells (a `$(VAR)` filled from the env or a ConfigMap of the tree; the bits its quantization suffix or --quantization states, else BF16), split over tensor × pipeline ranks (an unsplit `--tensor-parallel-size 2` element read as meant), above all the memory the GPU shows CUDA, with no offload or expert-parallel flag; with no node shape and no node selector or affinity, weights per GPU above every GPU of the catalog under its 80 GB class (lib/catalog/data/gpus.json) are a warning naming the GPUs they fit, and above the 288 GB of the largest accelerators made an error. A pod whose GPU is a MIG slice (a nvidia.com/mig-<profile> resource, the mixed strategy; or nvidia.com/gpu on nodes it selects by a nvidia.com/mig.config that cuts every GPU into one profile, by a mig-parted config of a ConfigMap of the tree or the default all-<profile> of the GPU Operator, where the tree states no MIG strategy but single) is judged on that slice: the n GB its profile names (at most what the slice has), the compute capability of the whole GPU where the tree names it, with no tensor-parallel advice (a process uses one slice). A plan that fails by less than 5 % of the memory of the GPU (the calibrated error of the planner: lib/planning/confidence.ts) is a warning: it may still start',
  example:
    'the 23.2 GiB FP8 Mistral-Small-24B checkpoint (`mistral-small-24b-instruct-2501-fp8-dynamic`) on one L4 (`g6.4xlarge`: 22.04 GiB visible to CUDA); `google/gemma-2-9b-it` in BF16 on one L4 (`g6.xlarge`) at `--max-model-len` 8192, whose plan leaves 0.10 GiB of KV cache where one sequence needs 2.30 GiB',
  fix: 'more tensor-parallel GPUs, a larger GPU, a shorter max-model-len, an FP8 KV cache or a 4-bit checkpoint (the finding lists what fits)',
  source:
    'vLLM start-up: torch.OutOfMemoryError while loading, "No available memory for the cache blocks", or "max_model_len … larger than the maximum number of tokens that can be stored in KV cache" (vllm/worker/worker.py raise_if_cache_size_invalid, vllm/v1/core/kv_cache_utils.py check_enough_kv_cache_memory; max-model-len defaults to the length the model\'s config gives, vllm/config _get_and_verify_max_len, and gpu-memory-utilization to 0.9, vllm/engine/arg_utils.py); terraform-provider-google google_container_node_pool node_config.guest_accelerator (GKE accelerator names: GKE docs "About GPUs in GKE"), terraform-provider-aws aws_eks_node_group instance_types, terraform-provider-azurerm vm_size, each GPU per node from the cloud\'s size pages; terraform-aws-modules/terraform-aws-eks variables.tf (eks_managed_node_groups, self_managed_node_groups) and modules/eks-managed-node-group, modules/self-managed-node-group; terraform-google-modules/terraform-google-kubernetes-engine cluster.tf (node_pools: machine_type default e2-medium, accelerator_type, accelerator_count, node_pools_labels, node_pools_taints; cluster_autoscaling, remove_default_node_pool); Terraform "Variable Definition Precedence" and count / for_each (developer.hashicorp.com/terraform/language); NVIDIA MIG user guide ("Supported MIG Profiles": the memory each profile names; "CUDA Device Enumeration": one MIG device per CUDA process) and GPU Operator "GPU Operator with MIG" (nvidia.com/mig.config, mig-parted configs, mig.strategy single by default); k8s-device-plugin "MIG support" (nvidia.com/mig-<profile> under mixed, nvidia.com/gpu under single)',
  check(o, ctx) {
    if (o.manifest.kind !== 'InferenceService' && o.manifest.kind !== 'LLMInferenceService') return workloadWeightFit(o, ctx);
    if (!judgedForGpuFit(o, ctx)) return [];
    let profile: ModelProfile | undefined;
    try {
      profile = ctx.modelOf(o);
    } catch (e) {
      return [{ message: `${(e as Error).message}; render it again with cdk8s-vllm, or remove it and pass --model` }];
    }
    if (!profile) return [unknownModel(o, ctx)];
    if (o.manifest.kind === 'LLMInferenceService') return checkPools(o, ctx, profile);
    const engine = serviceEngine(o, ctx, profile);
    // an empty error: a size comes from a variable, so the fit cannot be judged
    if ('error' in engine) return engine.error ? [{ message: engine.error }] : [];
    if (refusedWhateverTheGpu(engine)) return [];
    const settingsOfPlan = planSettings(engine);
    const { types, labelled } = gpuFitShapeOf(ctx.graph, o.manifest);
    if (types.length) return verdictsOnTypes(types, settingsOfPlan);
    return labelled ? verdictsOnLabelled(labelled, settingsOfPlan) : undecidedWithoutShape(o, ctx, settingsOfPlan);
  },
};

/** What vLLM refuses on any hardware is vllm-startup-refused's finding: the memory fit is moot until it is mended. */
function refusedWhateverTheGpu(engine: ServerEngine): boolean {
  const refused = startupRefusals(engine);
  return !!refused && refused.refused.length + refused.unsure.length > 0;
}

/** The planner's input for a service, all but the GPU. */
type ServiceSettings = Omit<PlanInput, 'gpu'>;

/** A service whose model is unknown: one warning, saying how to name it (and the node shape, when unknown too). */
function unknownModel(o: GraphObject, ctx: CheckContext): Problem {
  const written = storageLocationOf(o.manifest);
  const served = written ? undefined : commandModel(o, ctx);
  if (served) return unknownServedModel(o, ctx, served);
  const location = written ?? '(no storage location)';
  // one warning per object: the node shape, when unknown too, is said here
  const shapeToo = ctx.graph.instanceTypesOf(o.manifest).length
    ? ''
    : ctx.graph.labelledGpusOf(o.manifest)
      ? ''
      : `; nor is its node shape known, so its GPU count, CPU and memory are not checked against a node (select the nodes by node.kubernetes.io/instance-type, or the GPU by ${GPU_MODEL_LABELS})`;
  // in an app of the constructs there is no --model to pass: the construct takes the profile as its `model` prop
  if (o.construct !== undefined)
    return {
      severity: 'info',
      limitation: true,
      summary: "model unknown: GPU fit not checked (set the construct's model prop)",
      message:
        `the model at ${location} is unknown, so its GPU fit is not checked; set the construct's model prop ` +
        `(ModelProfile.fromDirectory('<folder with config.json>'), ModelProfile.bundled('<name>'); ${saveHint(location)})` +
        shapeToo,
    };
  return {
    // a limitation of the check, not a defect of the tree: a note, counted on one line in the text output
    severity: 'info',
    limitation: true,
    summary: shapeToo
      ? 'model and node shape unknown: GPU fit not checked (pass --model, select the nodes)'
      : 'model unknown: GPU fit not checked (pass --model <storageUri>=<folder with config.json>)',
    message:
      (location.includes('://')
        ? `the model at ${location} is unknown, so its GPU fit is not checked; pass --model ${location}=<folder with config.json> (${saveHint(location)})`
        : `the model at ${location} is unknown, so its GPU fit is not checked; ${keyedLocationHint(o, ctx)}`) + shapeToo,
  };
}

/** The model a service's vLLM command line serves, with the words that name it; undefined when it names none. */
function commandModel(o: GraphObject, ctx: CheckContext): { id: string; how: string } | undefined {
  const args = ctx.graph.vllmCommand(o)?.args;
  const id = args && commandModelOf(args);
  if (!args || !id) return undefined;
  const how = args.value('--model') === id ? '--model' : args.value('--model-id') === id ? '--model_id' : 'the positional argument of `vllm serve`';
  return { id, how };
}

/**
 * A service with no storage location whose command line names the model (`vllm serve <id>`, --model): named from
 * there, with the one way to tell its profile (the CLI's --model matches storage locations, and there is none).
 */
function unknownServedModel(o: GraphObject, ctx: CheckContext, served: { id: string; how: string }): Problem {
  const shapeKnown = ctx.graph.instanceTypesOf(o.manifest).length > 0 || !!ctx.graph.labelledGpusOf(o.manifest);
  const shapeToo = shapeKnown
    ? ''
    : `; nor is its node shape known, so its GPU count, CPU and memory are not checked against a node (select the nodes by node.kubernetes.io/instance-type, or the GPU by ${GPU_MODEL_LABELS})`;
  return {
    severity: 'info',
    limitation: true,
    summary: shapeToo
      ? 'model and node shape unknown: GPU fit not checked (record the profile, select the nodes)'
      : 'model unknown: GPU fit not checked (record the profile on the object)',
    message:
      `the model '${served.id}' that its vLLM command line serves (${served.how}; the service has no storage location) has no bundled profile, so its GPU fit is not checked; ` +
      `record the profile on the object (annotation ${ModelProfile.ANNOTATION}) from ${saveHint(/^[\w.-]+\/[\w.-]+$/.test(served.id) ? `hf://${served.id}` : served.id)}` +
      shapeToo,
  };
}

/**
 * Why no --model names a model given by storage key and path (a storage key names no URI that --model could match), in
 * the words of the key's scheme where the tree tells it (storageKeyScheme): an S3 bucket, a Hugging Face repository,
 * another URI; an S3 bucket where it does not, as the storage key and path of KServe's storage spec are S3's form.
 */
function keyedLocationHint(o: GraphObject, ctx: CheckContext): string {
  const key = text(mapping(modelSpecOf(o.manifest).storage).key);
  const told = key ? storageKeyScheme(ctx.graph, key, ctx.graph.namespaceOf(o.manifest)) : undefined;
  const record = `record the profile on the object (annotation ${ModelProfile.ANNOTATION})`;
  if (!told || told.scheme === 's3')
    return `its bucket is in the connection Secret, so no --model can name it: set storage.parameters.bucket and pass --model s3://<bucket>/<path>=<folder with config.json>, or ${record}`;
  const where = told.uri ? ` (${told.uri})` : '';
  if (told.scheme === 'hf')
    return `its Hugging Face repository is in the connection Secret '${key}'${where}, so no --model can name it: ${record}, or write the model as storageUri hf://<org>/<model> and pass --model hf://<org>/<model>=<folder with config.json>`;
  return `its location is in the connection Secret '${key}' (a ${told.scheme} location${where}), so no --model can name it: ${record}, or write it as storageUri and pass --model <that URI>=<folder with config.json>`;
}

/** No node shape known: a value vLLM does not parse is said without the node; the memory fit needs it. */
function undecidedWithoutShape(o: GraphObject, ctx: CheckContext, settings: ServiceSettings): Problem[] {
  try {
    gpuIndependentRefusals(settings);
  } catch (e) {
    return [{ message: `vLLM refuses these settings: ${(e as Error).message}` }];
  }
  // a README naming the GPU the tree runs on: its verdict, a warning (prose is weaker than a node selection)
  const onProse = proseVerdicts(ctx.graph, o.manifest, (gpus) => verdictsOnLabelled(gpus, settings));
  if (onProse.length) return onProse;
  const recorded = ctx.graph.recordedNodeShape(o.manifest);
  return [
    {
      // a limitation of the check, not a defect of the tree: a note, counted on one line in the text output
      severity: 'info',
      limitation: true,
      summary: 'node shape unknown: GPU fit not checked (select the nodes by node.kubernetes.io/instance-type)',
      message:
        `cannot decide whether the model fits its GPUs (nor its GPU count, CPU and memory a node): ${recorded && 'error' in recorded ? `${recorded.error}, and ` : ''}no node shape is known for its pods ` +
        `(no ${NODE_SHAPE_ANNOTATION} annotation, node.kubernetes.io/instance-type node selector, MachineSet node label, Kueue flavor or Karpenter NodePool of known instance types, nor a label naming the GPU); ` +
        `select the nodes by node.kubernetes.io/instance-type or by the GPU's label (${GPU_MODEL_LABELS}), or render the service with a placement (which records the shape)`,
    },
  ];
}

/**
 * An LLMInferenceService: each pool planned on its own GPUs with its own parallelism (tensor × pipeline, experts over
 * tensor × data ranks) and LoRA slots (max rank × adapters from --max-lora-rank and --max-loras).
 */
function checkPools(o: GraphObject, ctx: CheckContext, profile: ModelProfile): Problem[] {
  const out: Problem[] = [];
  for (const pool of writtenPools(o.manifest)) {
    if (pool.gpus === 0 || parallelismProblems(pool.parallelism, pool.multiNode).length) continue;
    const prefix = `${poolLabel(pool)}: `;
    const { types, labelled } = gpuFitShapeOf(ctx.graph, pool.podManifest);
    const settings = poolSettings(pool, profile);
    if (!types.length && !labelled) {
      // a README naming the GPU the tree runs on: its verdicts, as warnings
      const onProse = 'settings' in settings ? proseVerdicts(ctx.graph, pool.podManifest, (gpus) => verdictsOnLabelled(gpus, settings.settings, prefix)) : [];
      out.push(
        ...(onProse.length
          ? onProse
          : [
              {
                // a limitation of the check, not a defect of the tree: a note, as for an InferenceService of unknown shape
                severity: 'info' as const,
                limitation: true as const,
                summary: 'node shape unknown: GPU fit not checked (select the nodes by node.kubernetes.io/instance-type)',
                message: `${prefix}no instance type is known for its pods (no node.kubernetes.io/instance-type node selector, MachineSet node label, Kueue flavor or Karpenter NodePool of known instance types, nor a label naming the GPU: ${GPU_MODEL_LABELS}); GPU fit is not checked`,
              },
            ]),
      );
      continue;
    }
    if ('error' in settings) {
      if (settings.error) out.push({ message: `${prefix}${settings.error}` });
      continue;
    }
    if ('settings' in settings)
      out.push(...(labelled ? verdictsOnLabelled(labelled, settings.settings, prefix) : verdictsOnTypes(types, settings.settings, prefix)));
  }
  return out;
}

/**
 * The planner's settings of a pool, else why there are none: the engine's error (empty where a size comes from a
 * variable), or nothing where vLLM refuses the settings on any GPU (vllm-startup-refused's finding).
 */
function poolSettings(
  pool: ReturnType<typeof writtenPools>[number],
  profile: ModelProfile,
): { settings: ServiceSettings } | { error: string } | { refused: true } {
  const engine = poolEngine(pool, profile);
  if ('error' in engine) return { error: engine.error ?? '' };
  return refusedWhateverTheGpu(engine) ? { refused: true } : { settings: planSettings(engine) };
}

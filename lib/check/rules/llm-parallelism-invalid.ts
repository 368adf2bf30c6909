import { text } from '../../manifests/access';
import { parallelismProblems, PIPELINE_PRESETS } from '../../planning/llm-pool';
import { poolLabel, writtenPools } from '../llm-pools';
import { Problem, Rule } from '../rule';

export const llmParallelismInvalid: Rule = {
  id: 'llm-parallelism-invalid',
  title: "an LLMInferenceService pool's parallelism is refused by KServe's webhook, or cannot be reconciled or started",
  severity: 'error',
  appliesTo: ['LLMInferenceService'],
  premise: 'the pool sets parallelism or a worker',
  example: '`worker:` with `parallelism: {tensor: 4}` (no data or pipeline); or data: 3 with dataLocal: 2',
  fix: 'with a worker set data and dataLocal (data a multiple of dataLocal) or pipeline, never both; without one keep data equal to dataLocal',
  source:
    'KServe webhook validateWorkloadParallelism (pkg/apis/serving/v1alpha2/llm_inference_service_validation.go; odh-v3.0 llminferenceservice_validator.go); ParallelismSpec.GetSize divides data by dataLocal as integers; config_merge.go looks up the worker-pipeline-parallel presets, which OpenShift AI does not ship',
  check(o, { graph }) {
    const out: Problem[] = [];
    for (const pool of writtenPools(o.manifest)) {
      for (const p of parallelismProblems(pool.parallelism, pool.multiNode)) {
        out.push({ message: `${poolLabel(pool)}: ${pool.path}.${p.field}: ${p.message}` });
      }
      if (pool.multiNode && (pool.parallelism?.pipeline ?? 0) > 0) {
        const preset = pool.role === 'prefill' ? PIPELINE_PRESETS.prefill : pool.role === 'decode' ? PIPELINE_PRESETS.decode : PIPELINE_PRESETS.main;
        const ns = text(o.manifest.metadata?.namespace as unknown);
        if (!graph.find('LLMInferenceServiceConfig', preset, ns)) {
          out.push({
            message:
              `${poolLabel(pool)}: pipeline parallelism with a worker makes the controller look up LLMInferenceServiceConfig ${preset}, which OpenShift AI does not ship ` +
              '(the service never reconciles): use data parallelism (data, dataLocal) across the group, or add that config to the namespace',
          });
        }
      }
    }
    return out;
  },
};

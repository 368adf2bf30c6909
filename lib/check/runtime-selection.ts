import { isMapping, mapping, mappings, text } from '../manifests/access';
import type { Loose } from '../manifests/access';
import type { RuntimeSelectionSpec, SupportedModelFormat } from '../platform/kserve-runtimes';

/** What runtime selection reads of an InferenceService's predictor model. */
export interface SelectionModel {
  readonly format?: string;
  readonly formatVersion?: string;
  /** spec.predictor.model.runtime: when set, formats count whether or not they auto-select. */
  readonly runtime?: string;
  readonly protocolVersion?: string;
  /** Whether the predictor has a workerSpec (a multi-node service). */
  readonly multiNode: boolean;
}

/** The selection view of a ServingRuntime or ClusterServingRuntime manifest. */
export function runtimeSelectionSpecOf(m: Loose): RuntimeSelectionSpec {
  const spec = mapping(m.spec);
  const formats = mappings(spec.supportedModelFormats).map((f): SupportedModelFormat => ({
    name: text(f.name) ?? '',
    version: f.version === undefined ? undefined : String(f.version as string | number),
    autoSelect: f.autoSelect === true,
    priority: typeof f.priority === 'number' ? f.priority : undefined,
  }));
  return {
    name: text(mapping(m.metadata).name) ?? '',
    supportedModelFormats: formats,
    protocolVersions: Array.isArray(spec.protocolVersions) ? spec.protocolVersions.map(String) : undefined,
    multiModel: spec.multiModel === true,
    disabled: spec.disabled === true,
    multiNode: spec.workerSpec !== undefined && spec.workerSpec !== null,
  };
}

/**
 * The model formats whose unset protocolVersion KServe's defaulter makes v2 (kserve
 * pkg/apis/serving/v1beta1/inference_service_defaults.go setPredictorModelDefaults): triton everywhere, vLLM on
 * upstream KServe (added after the KServe 0.15 of OpenShift AI 3.x).
 */
function defaultProtocol(format: string | undefined, upstream: boolean): string | undefined {
  return format === 'triton' || (upstream && format === 'vLLM') ? 'v2' : undefined;
}

/**
 * The predictor's framework fields, in the order KServe's defaulter turns the first into `model` with the format of
 * the field's name (pkg/apis/serving/v1beta1/inference_service_defaults.go setPredictorModelDefaults, assign*Runtime).
 */
export const PREDICTOR_FRAMEWORKS = ['sklearn', 'tensorflow', 'xgboost', 'pytorch', 'triton', 'onnx', 'huggingface', 'pmml', 'lightgbm', 'paddle'] as const;

/** The framework fields whose unset protocolVersion the defaulter makes v2 "for backward compatibility" (assignTritonRuntime, assignONNXRuntime, assignHuggingFaceRuntime). */
const V2_FRAMEWORKS: readonly string[] = ['triton', 'onnx', 'huggingface'];

/** The framework field KServe's defaulter makes the predictor's model from, when the predictor has no `model`. */
export function predictorFramework(predictor: Loose): string | undefined {
  if (predictor.model !== undefined && predictor.model !== null) return undefined;
  return PREDICTOR_FRAMEWORKS.find((f) => predictor[f] !== undefined && predictor[f] !== null);
}

/** An InferenceService's predictor model as KServe's defaulter leaves it, and the field it is written at. */
export interface PredictorModel {
  /** `spec.predictor.model`, or the framework field (`spec.predictor.sklearn`) the defaulter turns into it. */
  readonly field: string;
  /** The model spec; for a framework field, with the modelFormat the defaulter gives it (the field's name). */
  readonly spec: Loose;
}

/**
 * The predictor's model in every form KServe serves: `model`, or a framework shorthand (`sklearn: {storageUri}`),
 * which the defaulter moves into `model` with that format, keeping its PredictorExtensionSpec (storageUri, runtime,
 * args, env, resources; kserve pkg/apis/serving/v1beta1/predictor_sklearn.go and siblings, inference_service_defaults.go
 * assign*Runtime). Undefined for a custom-container predictor.
 */
export function predictorModelOf(isvc: Loose): PredictorModel | undefined {
  const predictor = mapping(mapping(isvc.spec).predictor);
  if (isMapping(predictor.model)) return { field: 'spec.predictor.model', spec: predictor.model };
  const framework = predictorFramework(predictor);
  if (framework === undefined || !isMapping(predictor[framework])) return undefined;
  const own = mapping(predictor[framework]);
  return { field: `spec.predictor.${framework}`, spec: { ...own, modelFormat: { name: framework } } };
}

/** The selection view of an InferenceService's predictor, after KServe's defaulter (`upstream`: on upstream KServe). */
export function selectionModelOf(isvc: Loose, upstream: boolean): SelectionModel {
  const predictor = mapping(mapping(isvc.spec).predictor);
  const framework = predictorFramework(predictor);
  const model = mapping(framework === undefined ? predictor.model : predictor[framework]);
  const format = framework === undefined ? mapping(model.modelFormat) : { name: framework };
  return {
    format: text(format.name),
    formatVersion: format.version === undefined ? undefined : String(format.version as string | number),
    runtime: text(model.runtime),
    protocolVersion: text(model.protocolVersion) ?? (V2_FRAMEWORKS.includes(framework ?? '') ? 'v2' : defaultProtocol(text(format.name), upstream)),
    multiNode: predictor.workerSpec !== undefined && predictor.workerSpec !== null,
  };
}

/**
 * Whether a runtime supports the model's format (kserve pkg/apis/serving/v1beta1/predictor_model.go
 * RuntimeSupportsModel): the model's label `name` or `name:version` must be among the runtime's format labels, which
 * count only auto-selecting formats when the service names no runtime.
 */
export function runtimeSupportsModel(model: SelectionModel, runtime: RuntimeSelectionSpec): boolean {
  const labels = new Set<string>();
  for (const f of runtime.supportedModelFormats) {
    if (model.runtime === undefined && f.autoSelect !== true) continue;
    labels.add(f.name);
    if (f.version !== undefined) labels.add(`${f.name}:${f.version}`);
  }
  return labels.has(model.formatVersion === undefined ? `${model.format}` : `${model.format}:${model.formatVersion}`);
}

/** constants.GetProtocolVersionInt: v1 1, v2 2, grpc-v1 3, grpc-v2 4, anything else (or none listed) 5. */
function protocolPriority(protocols: readonly string[] | undefined): number {
  const order = ['v1', 'v2', 'grpc-v1', 'grpc-v2'];
  if (!protocols?.length) return 5;
  return Math.min(...protocols.map((p) => (order.includes(p) ? order.indexOf(p) + 1 : 5)));
}

/** Whether a runtime may serve the model at all (GetSupportingRuntimes' filter; ModelMesh runtimes never serve an InferenceService here). */
function eligible(model: SelectionModel, r: RuntimeSelectionSpec): boolean {
  const protocol = model.protocolVersion ?? 'v1';
  const protocolOk = !r.protocolVersions?.length || r.protocolVersions.includes(protocol);
  return r.disabled !== true && r.multiModel !== true && runtimeSupportsModel(model, r) && protocolOk && (r.multiNode === true) === model.multiNode;
}

/**
 * The runtimes KServe may auto-select for a model, in its order (GetSupportingRuntimes): the namespace's runtimes,
 * then the ClusterServingRuntimes; each list sorted by lowest protocol version then name (creation time is not
 * known from a tree), then by the model format's priority, highest first, runtimes without one last.
 */
export function supportingRuntimes(model: SelectionModel, namespaced: readonly RuntimeSelectionSpec[], cluster: readonly RuntimeSelectionSpec[]): string[] {
  // GetPriority: the first listed format of the model's name, whatever its version
  const priorityOf = (r: RuntimeSelectionSpec) => r.supportedModelFormats.find((f) => f.name === model.format)?.priority;
  const byPriority = (a: RuntimeSelectionSpec, b: RuntimeSelectionSpec) => {
    const [pa, pb] = [priorityOf(a), priorityOf(b)];
    if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
    return pb - pa;
  };
  const order = (list: readonly RuntimeSelectionSpec[]) =>
    list
      .filter((r) => eligible(model, r))
      .sort((a, b) => protocolPriority(a.protocolVersions) - protocolPriority(b.protocolVersions) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .sort(byPriority)
      .map((r) => r.name);
  return [...order(namespaced), ...order(cluster)];
}

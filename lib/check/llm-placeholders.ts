import { Loose, mapping, text } from '../manifests/access';
import { EnvEntry, LinePieces } from './command-line';
import { SourcedWord } from './vllm-args';

/** The values an LLMInferenceService's template actions render to, where the tree tells them. */
export interface LlmTemplateData {
  readonly name?: string;
  readonly namespace?: string;
  /** spec.model.name, defaulted to the service's name (llm_inference_service_defaults.go). */
  readonly modelName?: string;
}

/** The data of one service: its name, the namespace it lands in, its model's name as defaulted. */
export function llmTemplateData(m: Loose, namespace: string | undefined): LlmTemplateData {
  const name = text(mapping(m.metadata).name);
  const own = text(mapping(mapping(m.spec).model).name);
  return { name, namespace, modelName: own || name };
}

/**
 * The fields KServe's LLMInferenceService templating renders (pkg/controller/v1alpha2/llmisvc/config_merge.go
 * ReplaceVariables: the merged spec is marshalled to JSON and executed as a Go text/template whose data embeds the
 * service, so `.Name` and `.Namespace` are its ObjectMeta's, promoted, as are `.ObjectMeta.Name` and
 * `.ObjectMeta.Namespace`; `.Spec.Model.Name` is spec.model.name after the webhook's default, the service's name).
 */
const FIELDS: Readonly<Record<string, keyof LlmTemplateData>> = {
  '.Name': 'name',
  '.ObjectMeta.Name': 'name',
  '.Namespace': 'namespace',
  '.ObjectMeta.Namespace': 'namespace',
  '.Spec.Model.Name': 'modelName',
};

/** A word with the actions above rendered; another action, or a field whose value is unknown here, stays as written. */
export function renderLlmPlaceholders(word: string, data: LlmTemplateData): string {
  if (!word.includes('{{')) return word;
  return word.replace(/\{\{-?\s*([^{}]*?)\s*-?\}\}/g, (m, action: string) => {
    const field = FIELDS[action];
    return (field && data[field]) ?? m;
  });
}

/** A main container's pieces with the service's template actions rendered in its command, args and env values. */
export function renderedLlmPieces(p: LinePieces, data: LlmTemplateData): LinePieces {
  const words = (list: readonly SourcedWord[]) => list.map((w) => ({ ...w, word: renderLlmPlaceholders(w.word, data) }));
  const env = (list: readonly EnvEntry[]) => list.map((e) => (e.value === undefined ? e : { ...e, value: renderLlmPlaceholders(e.value, data) }));
  return { ...p, command: words(p.command), args: words(p.args), env: env(p.env) };
}

import { isMapping, Loose, mapping, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { readsRunContext } from '../private/run-memo';
import { SetAside, setAsideActions } from '../private/template-actions';

/**
 * The base ConfigMaps of llm-d's ModelServices, known while a check runs. A ModelService names a ConfigMap
 * (spec.baseConfigMapRef) whose keys hold its children as Go templates; the controller renders them and merges the
 * ModelService's own fields into them (llm-d-model-service internal/controller/child_resources.go BaseConfig,
 * keys decodeDeployment and prefillDeployment, each an apps/v1 Deployment). Outside a run nothing is known.
 */

/** The base ConfigMap of a ModelService, where the tree holds it. */
export type BaseConfigs = (modelService: Loose) => Loose | undefined;

let current: BaseConfigs | undefined;

/** Runs `run` knowing the tree's base ConfigMaps (the outer run's are restored when it returns). */
export function withBaseConfigs<T>(configs: BaseConfigs, run: () => T): T {
  const outer = current;
  current = configs;
  try {
    return run();
  } finally {
    current = outer;
  }
}

/** The base configs known now (a memo key). */
export function knownBaseConfigs(): BaseConfigs | undefined {
  readsRunContext();
  return current;
}

/**
 * Go template actions (`{{ "app_port" | getPort }}`, `{{- if .X }}`), their quotes and pipes included: a line that
 * holds nothing but actions (control flow: if, range, end) set aside whole, an action left inside a value read as a
 * variable, which the vLLM readers never judge.
 */
const SET_ASIDE: SetAside = { syntaxes: ['go'], replacement: '${TEMPLATE_VALUE}', wholeLines: 'remove' };

/**
 * A base config key's template read as YAML once its actions are set aside: lines of actions alone dropped, every
 * other action read as a variable. Undefined where the text then does not parse to a mapping (an action that writes
 * YAML structure): nothing is guessed.
 */
export function templateWithoutActions(source: string): Loose | undefined {
  const parsed = parseOne(setAsideActions(source, SET_ASIDE));
  return 'value' in parsed && isMapping(parsed.value) ? parsed.value : undefined;
}

/** The Deployment the base config of a ModelService writes for a role (decode, prefill), where the tree shows it. */
export function baseDeployment(modelService: Loose, role: string): Loose | undefined {
  readsRunContext();
  const config = current?.(modelService);
  const source = text(mapping(config?.data)[`${role}Deployment`]);
  return source === undefined ? undefined : templateWithoutActions(source);
}

/** The name of the base ConfigMap a ModelService refers to (spec.baseConfigMapRef.name). */
export function baseConfigName(modelService: Loose): string | undefined {
  return text(mapping(mapping(modelService.spec).baseConfigMapRef).name);
}

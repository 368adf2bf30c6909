import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { closest } from '../../private/json-config';
import { Problem, Rule } from '../rule';

/** The kind of the endpoint picker's configuration text (inference.networking.x-k8s.io/v1alpha1, not a served API). */
const EPP_CONFIG_KIND = 'EndpointPickerConfig';

/** An endpoint picker configuration the object carries, and where. */
interface PickerConfig {
  readonly where: string;
  readonly config: Loose;
}

/** A configuration given as a mapping or as YAML text; undefined for anything else or text that does not parse. */
function asConfig(v: unknown): Loose | undefined {
  if (isMapping(v)) return v;
  if (typeof v !== 'string' || !v.includes(EPP_CONFIG_KIND)) return undefined;
  const parsed = parseOne(v);
  return 'value' in parsed && isMapping(parsed.value) ? parsed.value : undefined;
}

/** The configurations of an LLMInferenceService (or its config preset) inline under the router's scheduler, or a ConfigMap's values. */
function configsOf(m: Loose): PickerConfig[] {
  if (m.kind === 'ConfigMap') {
    return Object.entries(mapping(m.data)).flatMap(([key, v]) => {
      const config = asConfig(v);
      return config && config.kind === EPP_CONFIG_KIND ? [{ where: `data.${key}`, config }] : [];
    });
  }
  const config = asConfig(mapping(mapping(mapping(mapping(m.spec).router).scheduler).config).inline);
  return config && (config.kind === undefined || config.kind === EPP_CONFIG_KIND) ? [{ where: 'spec.router.scheduler.config.inline', config }] : [];
}

/** Every `pluginRef` of a configuration: its scheduling profiles' and those nested in plugin parameters (decision trees). */
function references(config: Loose): { ref: string; at: string }[] {
  const out: { ref: string; at: string }[] = [];
  mappings(config.schedulingProfiles).forEach((profile, i) =>
    mappings(profile.plugins).forEach((p, j) => {
      const ref = text(p.pluginRef);
      if (ref) out.push({ ref, at: `schedulingProfiles[${i}] (${text(profile.name) ?? 'unnamed'}).plugins[${j}]` });
    }),
  );
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (isMapping(v))
      for (const [k, x] of Object.entries(v)) {
        if (k === 'pluginRef' && typeof x === 'string') out.push({ ref: x, at });
        else walk(x, `${at}.${k}`);
      }
  };
  mappings(config.plugins).forEach((p, i) => walk(p.parameters, `plugins[${i}].parameters`));
  return out;
}

/** The names plugins are instantiated under: `name`, else their `type` (a plugin's name defaults to its type). */
function pluginNames(config: Loose): string[] {
  return mappings(config.plugins).flatMap((p) => text(p.name) ?? text(p.type) ?? []);
}

function problemsOf({ where, config }: PickerConfig): Problem[] {
  const names = pluginNames(config);
  // a configuration with no plugins of its own is completed by the picker's defaults: nothing to compare with
  if (!names.length) return [];
  return references(config)
    .filter(({ ref }) => !names.includes(ref) && !/[{}$]/.test(ref))
    .map(({ ref, at }) => {
      // the nearest name by edit distance, else one that contains the reference or that it contains (a dropped prefix)
      const near = closest(ref, names) ?? names.find((n) => n.includes(ref) || ref.includes(n));
      return {
        message:
          `${where}: ${at} refers to plugin '${ref}', which the configuration's plugins do not instantiate (${names.join(', ')}): ` +
          `the endpoint picker refuses the configuration at start-up and routes nothing; ` +
          (near ? `write pluginRef: ${near}` : `add a plugin of type or name '${ref}' to plugins, or refer to one of those`),
      };
    });
}

export const schedulerPluginUndefined: Rule = {
  id: 'scheduler-plugin-undefined',
  title: "an endpoint picker configuration refers to a plugin it does not instantiate: the picker does not start and the service's router routes nothing",
  severity: 'error',
  appliesTo: ['LLMInferenceService', 'LLMInferenceServiceConfig', 'ConfigMap'],
  premise:
    "an EndpointPickerConfig (an LLMInferenceService's or a preset's spec.router.scheduler.config.inline, as a mapping or YAML text, or a ConfigMap value of that kind) lists plugins, and a schedulingProfiles[].plugins[].pluginRef, or a pluginRef inside a plugin's parameters (a decision tree), names none of them: a plugin is instantiated under its name, which defaults to its type; references holding a template are not judged, nor a configuration that lists no plugins (the picker's defaults complete it)",
  example: '`pluginRef: prefix-cache-scorer` in a profile while plugins lists `type: precise-prefix-cache-scorer`',
  fix: 'refer to a plugin by the name it is instantiated under (its name, else its type), or add the plugin to plugins',
  source:
    "gateway-api-inference-extension's endpoint picker (EPP) reads its configuration once at start-up (pkg/epp/config/loader): plugins are instantiated by name, their type when unnamed, and each scheduling profile's pluginRef is resolved among them, so an unknown reference fails the load and the picker does not run; opendatahub-io/kserve's LLMInferenceService samples fixed such a typo (prefix-cache-scorer for precise-prefix-cache-scorer)",
  scope: 'object',
  check(o) {
    return configsOf(o.manifest).flatMap(problemsOf);
  },
};

import { ESO_TEMPLATE_FUNCTIONS, ESO_TEMPLATE_SOURCE, GO_TEMPLATE_KEYWORDS } from '../../catalog/eso-template-functions';
import { Loose, mapping, mappings, text } from '../../manifests/access';
import { undefinedFunctions } from '../go-template-calls';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** One template an ExternalSecret renders: where it is written, and its text. */
interface Template {
  readonly where: string;
  readonly text: string;
}

/** The ExternalSecret spec of an ExternalSecret, or of the ExternalSecrets a ClusterExternalSecret makes. */
function externalSecretSpec(m: Loose): { spec: Loose; at: string } {
  return m.kind === 'ClusterExternalSecret'
    ? { spec: mapping(mapping(m.spec).externalSecretSpec), at: 'spec.externalSecretSpec' }
    : { spec: mapping(m.spec), at: 'spec' };
}

/** The templates of a map of templates (template.data, template.metadata.labels and annotations). */
const mapTemplates = (map: unknown, at: string): Template[] =>
  Object.entries(mapping(map)).flatMap(([k, v]) => (typeof v === 'string' ? [{ where: `${at}.${k}`, text: v }] : []));

/**
 * The templates the ExternalSecret renders: its template's data, labels and annotations, its templateFrom literals,
 * and the keys its templateFrom configMap items name in a ConfigMap of the tree in its namespace (parser.go
 * MergeConfigMap reads the ConfigMap from the ExternalSecret's namespace).
 */
function templates(m: Loose, graph: ObjectGraph): Template[] {
  const { spec, at } = externalSecretSpec(m);
  const template = mapping(mapping(spec.target).template);
  const t = `${at}.target.template`;
  const ns = graph.namespaceOf(m);
  const own = [
    ...mapTemplates(template.data, `${t}.data`),
    ...mapTemplates(mapping(template.metadata).labels, `${t}.metadata.labels`),
    ...mapTemplates(mapping(template.metadata).annotations, `${t}.metadata.annotations`),
  ];
  const from = mappings(template.templateFrom).flatMap((entry, i): Template[] => {
    if (typeof entry.literal === 'string') return [{ where: `${t}.templateFrom[${i}].literal`, text: entry.literal }];
    const name = text(mapping(entry.configMap).name);
    const config = name && m.kind === 'ExternalSecret' ? graph.find('ConfigMap', name, ns) : undefined;
    if (!config) return [];
    const data = mapping(config.manifest.data);
    return mappings(mapping(entry.configMap).items).flatMap((item) => {
      const key = text(item.key);
      const value = key ? data[key] : undefined;
      return typeof value === 'string' ? [{ where: `ConfigMap ${name} key ${key} (${t}.templateFrom[${i}])`, text: value }] : [];
    });
  });
  return [...own, ...from];
}

function problem(m: Loose, t: Template, names: string[]): Problem {
  const { spec } = externalSecretSpec(m);
  const secret = text(mapping(spec.target).name) ?? text(mapping(m.metadata).name) ?? '<unnamed>';
  const shown = names.map((n) => `'${n}'`).join(', ');
  return {
    message:
      `${t.where} calls ${shown} as a function${names.length > 1 ? 's' : ''}, which no ESO template defines (Go template builtins, sprig, ESO's own): the template does not parse ` +
      `("function "${names[0]}" not defined"), so ESO never writes Secret ${secret}; to read a key of the provider's data write {{ .${names[0]} }} (the dot reads the key), or call a function ESO has`,
  };
}

export const externalSecretTemplateInvalid: Rule = {
  id: 'external-secret-template-invalid',
  title:
    'an External Secrets template calls a function ESO does not define (`{{ API_KEY }}` for `{{ .API_KEY }}`): the template does not parse, and the Secret is never written',
  severity: 'error',
  appliesTo: ['ExternalSecret', 'ClusterExternalSecret'],
  premise:
    "an external-secrets.io ExternalSecret's (or ClusterExternalSecret's externalSecretSpec's) target.template of engine v2 (engineVersion v2 or unset, the default): its data, metadata.labels and metadata.annotations values, its templateFrom literals, and the keys its templateFrom configMap items name in a ConfigMap of the tree in the ExternalSecret's namespace; " +
    'a name inside {{ }} (comments, strings, fields .x and variables $x aside) called as a function that is none of Go template builtins, the sprig functions ESO vendors and ESO\'s own is refused when ESO parses the template ("function … not defined"): the Secret is never written. Templates with delimiters other than {{ }} (the controller flags --template-left-delimiter, --template-right-delimiter) are not judged',
  example: '`MASTER_KEY: "{{ LITELLM_MASTER_KEY }}"` in an ExternalSecret\'s target.template.data',
  fix: "read a key of the provider's data with a dot ({{ .LITELLM_MASTER_KEY }}), or call a function ESO's templates define",
  source: ESO_TEMPLATE_SOURCE,
  check(o, { graph }) {
    const m = o.manifest;
    if (!String(m.apiVersion ?? '').startsWith('external-secrets.io/')) return [];
    const engine = text(mapping(mapping(externalSecretSpec(m).spec.target).template).engineVersion);
    if (engine !== undefined && engine !== 'v2') return [];
    return templates(m, graph).flatMap((t) => {
      const names = undefinedFunctions(t.text, ESO_TEMPLATE_FUNCTIONS, GO_TEMPLATE_KEYWORDS);
      return names.length ? [problem(m, t, names)] : [];
    });
  },
};

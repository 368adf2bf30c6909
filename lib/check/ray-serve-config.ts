import { isMapping, Loose, mapping } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';

/**
 * The parse errors of the YAML library that go-yaml (and libyaml, which it ports) makes too, checked case by case
 * against a libyaml-style scanner: a plain scalar at a mapping's key column with no `: ` after it (`KEY:"v"`, a bare
 * word between keys: go-yaml's "could not find expected ':'", or "mapping values are not allowed in this context" when
 * the next line's key then follows it), a mapping nested on a value's line, a tab as indentation ("found character
 * that cannot start any token"). Other refusals of the library are not claimed for go-yaml.
 */
const GO_YAML_REFUSES =
  /^(Implicit keys need to be on a single line|Implicit map keys need to be followed by map values|Nested mappings are not allowed in compact mappings|Tabs are not allowed as indentation) at line (\d+), column \d+/;

/** A template the tree renders later (`{{ … }}`, `${VAR}`): not read as the YAML KubeRay gets. */
const TEMPLATED = /\{\{|\$\{/;

/** Where a RayService's serveConfigV2 fails to parse as go-yaml reads it: the line within the string, its text and the parser's words. */
export interface ServeConfigError {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

/**
 * The error KubeRay meets reading a RayService's spec.serveConfigV2: the RayService controller unmarshals the string
 * as YAML before it submits the Serve applications (ray-project/kuberay ray-operator/controllers/ray/
 * rayservice_controller.go updateServeDeployment: yaml.Unmarshal([]byte(ServeConfigV2), &serveConfig), returning the
 * error), read here as sigs.k8s.io/yaml reads it (parseOne: a repeated key is no error, go-yaml's indentation
 * leniencies are kept). Undefined when it parses, is absent or templated, or fails only in a way not known to fail in go-yaml.
 */
export function serveConfigError(m: Loose): ServeConfigError | undefined {
  if (m.kind !== 'RayService') return undefined;
  const config = mapping(m.spec).serveConfigV2;
  if (typeof config !== 'string' || TEMPLATED.test(config)) return undefined;
  const parsed = parseOne(config);
  if (!('error' in parsed)) return undefined;
  const refused = GO_YAML_REFUSES.exec(parsed.error);
  if (!refused) return undefined;
  const line = Number(refused[2]);
  return { line, text: (config.split('\n')[line - 1] ?? '').trim(), reason: refused[1] };
}

/**
 * What Ray Serve refuses in a serveConfigV2 that parses: KubeRay sends it to the dashboard (PUT
 * /api/serve/applications/), which reads it as ServeDeploySchema (ray-project/ray python/ray/serve/schema.py):
 * `applications` is a required List[ServeApplicationSchema] (pydantic's list validator refuses a mapping), each
 * application a mapping with the required import_path; the validators application_names_unique (name defaults to
 * "default"), application_routes_unique (route_prefix defaults to "/", null ones not compared) and
 * application_names_nonempty. Undefined when the config is absent, templated, not YAML (serveConfigError) or accepted.
 */
export function serveConfigSchemaError(m: Loose): string | undefined {
  if (m.kind !== 'RayService') return undefined;
  const config = mapping(m.spec).serveConfigV2;
  if (typeof config !== 'string' || TEMPLATED.test(config)) return undefined;
  const parsed = parseOne(config);
  if ('error' in parsed) return undefined;
  const top = parsed.value;
  if (!isMapping(top)) return 'it is not a mapping holding `applications:`';
  const apps = top.applications;
  if (apps === undefined || apps === null) return 'it has no `applications:` key, which ServeDeploySchema requires';
  if (!Array.isArray(apps)) {
    const nested = isMapping(apps) && 'applications' in apps ? ' (it holds another `applications:` key: one level too deep)' : '';
    return `its \`applications:\` is ${isMapping(apps) ? 'a mapping' : 'not a list'}${nested}, where ServeDeploySchema takes a list of applications (\`- name: …\`)`;
  }
  return applicationsError(apps);
}

/** The first refusal of ServeDeploySchema's per-application checks, in the order pydantic runs them. */
function applicationsError(apps: unknown[]): string | undefined {
  for (const [i, app] of apps.entries()) {
    if (!isMapping(app)) return `applications[${i}] is not a mapping of an application's fields`;
    if (typeof app.import_path !== 'string')
      return `applications[${i}]${app.name ? ` ('${String(app.name)}')` : ''} has no import_path, which ServeApplicationSchema requires`;
  }
  const names = apps.map((a) => (isMapping(a) && a.name !== undefined ? String(a.name) : 'default'));
  const name = names.find((n, i) => names.indexOf(n) !== i);
  if (name !== undefined)
    return `two applications are named '${name}'${name === 'default' ? ' (the name an application without one gets)' : ''}: application names must be unique`;
  if (names.includes('')) return 'an application has an empty name: application names must be nonempty';
  const routes = apps
    .filter((a) => isMapping(a) && a.route_prefix !== null)
    .map((a) => (isMapping(a) && a.route_prefix !== undefined ? String(a.route_prefix) : '/'));
  const route = routes.find((r, i) => routes.indexOf(r) !== i);
  if (route !== undefined)
    return `two applications have the route_prefix '${route}'${route === '/' ? ' (the prefix an application without one gets)' : ''}: each application's route_prefix must be unique`;
  return undefined;
}

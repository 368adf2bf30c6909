import { Loose, mapping } from '../manifests/access';
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

/**
 * A Flux HelmRelease of the bjw-s app-template chart from its OCIRepository (`tag`), with the values given as YAML
 * (indented under spec.values), and the source: the files of a tree whose release check renders from its values.
 */
export function appTemplateTree(name: string, namespace: string, tag: string, values: string): Record<string, string> {
  const source =
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: app-template, namespace: ${namespace}}\n` +
    `spec:\n  interval: 12h\n  url: oci://ghcr.io/bjw-s-labs/helm/app-template\n  ref: {tag: ${tag}}\n`;
  const release =
    `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: ${name}, namespace: ${namespace}}\n` +
    `spec:\n  interval: 30m\n  chartRef: {kind: OCIRepository, name: app-template}\n  values:\n` +
    values
      .split('\n')
      .map((l) => (l ? `    ${l}` : l))
      .join('\n');
  return { 'source.yaml': source, 'release.yaml': release };
}

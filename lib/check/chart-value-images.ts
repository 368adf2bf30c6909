import { isMapping, Loose } from '../manifests/access';
import { chartReleases } from './chart-releases';
import { ObjectGraph } from './graph';

/** A scalar of a values tree as Helm prints it into a manifest (a number tag such as 1.2 is written unquoted). */
const scalar = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/**
 * The image references a chart's values state: a mapping holding `repository` and `tag` (with `registry` before the
 * repository where one is written), the shape charts' templates join into `image:` as `{{ .repository }}:{{ .tag }}`
 * (the Helm starter chart's values.yaml image block; vllm-project/production-stack servingEngineSpec.modelSpec[]),
 * and a string `image` value with a tag. A repository without a tag is left out: the chart's default tag is not
 * written in the tree.
 */
export function valueImages(values: unknown): string[] {
  if (Array.isArray(values)) return values.flatMap(valueImages);
  if (!isMapping(values)) return [];
  const node: Loose = values;
  const own: string[] = [];
  const repository = scalar(node.repository);
  const tag = scalar(node.tag);
  if (repository && tag) {
    const registry = scalar(node.registry);
    own.push(`${registry ? `${registry}/` : ''}${repository}:${tag}`);
  }
  const image = scalar(node.image);
  if (image && /:[\w][\w.-]*$/.test(image.replace(/^[^/]*:\d+\//, ''))) own.push(image);
  return [...own, ...Object.values(node).flatMap(valueImages)];
}

/** Every image the chart releases of the tree (Flux HelmReleases, Argo CD Applications' chart sources) state in their inline values. */
export function chartValueImages(graph: ObjectGraph): { image: string; origin: string }[] {
  return graph.once('chart-value-images', () =>
    chartReleases(graph).flatMap((r) => [...new Set(valueImages(r.values))].map((image) => ({ image, origin: graph.id(r.object) }))),
  );
}

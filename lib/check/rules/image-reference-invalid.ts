import { Loose, mapping, mappings, text } from '../../manifests/access';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { modelFieldOf, modelSpecOf } from '../serving-model';
import { referenceFault } from '../image-reference';
import { componentContainers, MULTI_POD_KINDS, templateContainers } from '../pod-templates';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { alsoBy, firstById } from '../one-per-cause';
import { Problem, Rule } from '../rule';

/** The image references an object names, each with what names it: container images and modelcar URIs (after oci://). */
function referencesOf(m: Loose): { where: string; ref: string }[] {
  const out: { where: string; ref: string }[] = [];
  const image = (where: string, value: unknown) => {
    const ref = text(value);
    if (ref !== undefined) out.push({ where, ref });
  };
  const modelcar = (where: string, value: unknown) => {
    const uri = text(value);
    if (uri?.startsWith('oci://')) out.push({ where, ref: uri.slice('oci://'.length) });
  };
  if (m.kind === 'InferenceService') {
    // the service's own fields, not the runtime's image merged in: the runtime is judged on its own
    const predictor = mapping(mapping(m.spec).predictor);
    image(`${modelFieldOf(m)}.image`, modelSpecOf(m).image);
    modelcar(`${modelFieldOf(m)}.storageUri`, modelSpecOf(m).storageUri);
    for (const c of mappings(predictor.containers)) {
      image(`container '${text(c.name) ?? '<unnamed>'}' image`, c.image);
      modelcar(`container '${text(c.name) ?? '<unnamed>'}' STORAGE_URI`, mappings(c.env).find((e) => e.name === 'STORAGE_URI')?.value);
    }
    for (const { where, container } of componentContainers(m)) image(`${where} image`, container.image);
    return out;
  }
  if (m.kind === 'LLMInferenceService') modelcar('spec.model.uri', mapping(mapping(m.spec).model).uri);
  for (const { name, container, init } of containersOf(m)) image(`${init ? 'init container' : 'container'} '${name}' image`, container.image);
  for (const { where, container } of templateContainers(m)) image(`${where} image`, container.image);
  return out;
}

/**
 * The references of an object, and of the objects an OpenShift Template holds (template.openshift.io: `oc process`
 * renders them as written where no parameter is used; OpenShift AI's custom serving runtimes are such templates).
 */
export function referencesWithTemplates(m: Loose): { where: string; ref: string }[] {
  if (m.kind !== 'Template') return referencesOf(m);
  return mappings(m.objects).flatMap((object, i) =>
    referencesOf(object).map((r) => ({ ...r, where: `objects[${i}] (${text(object.kind) ?? '?'} ${text(mapping(object.metadata).name) ?? '?'}) ${r.where}` })),
  );
}

/**
 * The references of an object that do not parse, each with the places naming it and why. Template syntax another tool
 * renders, or a `<PROJECT-ID>` a reader fills in by hand (unrendered-placeholder reports both), is no reference yet.
 */
function invalidReferences(m: Loose): Map<string, { wheres: string[]; problem: string }> {
  const out = new Map<string, { wheres: string[]; problem: string }>();
  for (const { where, ref } of referencesWithTemplates(m)) {
    const problem = out.get(ref)?.problem ?? referenceFault(ref);
    if (problem !== undefined) out.set(ref, { wheres: [...(out.get(ref)?.wheres ?? []), where], problem });
  }
  return out;
}

/** The objects naming each reference that does not parse, first by id: a placeholder such as IMAGE_NAME in eight workloads is one mistake. */
function invalidUsers(graph: ObjectGraph): Map<string, GraphObject[]> {
  return graph.once('image-reference-invalid:users', () => {
    const by = new Map<string, GraphObject[]>();
    for (const o of graph.objects) {
      if (!imageReferenceInvalid.appliesTo.includes(String(o.manifest.kind))) continue;
      for (const ref of invalidReferences(o.manifest).keys()) by.set(ref, [...(by.get(ref) ?? []), o]);
    }
    return firstById(graph, by);
  });
}

export const imageReferenceInvalid: Rule = {
  id: 'image-reference-invalid',
  title: 'an image reference (container image, oci:// modelcar) does not parse: the kubelet reports InvalidImageName and the pod never starts',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime', 'LLMInferenceService', 'Template'],
  premise:
    "the name and tag of every container and init container image (of every pod template of Ray, Kubeflow training, JobSet and LeaderWorkerSet objects, and in the objects of an OpenShift Template too), an InferenceService predictor model image and container images, and the part after oci:// of a modelcar storage URI, judged by the reference grammar, a digest after @ by the OCI registered algorithms (sha256 and 64 hex digits, sha512 and 128); a well-known repository (vLLM's own) with a version glued on without ':' (`vllm/vllm-openaiv0.10.0`), which parses but names no repository; each distinct value is reported once, on the first object (by kind, namespace and name) naming it, with the others counted and named; values holding a template placeholder or a `<NAME>` to be filled in by hand, and an image that is one upper-case identifier (`IMAGE_NAME`, a guide's slot for the image its reader builds; unrendered-placeholder reports them), are not; and each components[].images[] entry of a zarf package configuration (zarf.yaml, kind ZarfPackageConfig or ZarfInitConfig, skipped as an object), said on its file and line, where `zarf package create` cannot pull it (a `###ZARF_PKG_TMPL_…###` package template is not judged)",
  example: '`image: quay.io/modh/vllm‑cuda-rhel9:2.19` with a non-breaking hyphen (U+2011)',
  fix: 'retype the reference in ASCII: lower-case repository path components separated by . _ __ or -, a tag of letters, digits, _ . -',
  source:
    'github.com/distribution/reference regexp.go and reference.go Parse (used by the kubelet: "Failed to apply default image tag … couldn\'t parse image name", InvalidImageName; a digest by go-digest Parse); a pull of a repository that does not exist fails ("pull access denied … repository does not exist", ErrImagePull then ImagePullBackOff: Kubernetes docs, "Images"); zarf src/pkg/transform/image.go ParseImageRef parses each package image with distribution/reference ParseNormalizedNamed before `zarf package create` pulls it, and fails the build on one that does not parse',
  check(o, { graph }) {
    return [...invalidReferences(o.manifest)].flatMap(([ref, { wheres, problem }]): Problem[] => {
      // one finding per distinct value, on the first object naming it; the others are counted and named
      const users = invalidUsers(graph).get(ref) ?? [o];
      if (users[0] !== o) return [];
      const also = alsoBy(
        'used',
        users.slice(1).map((x) => graph.id(x)),
        graph.id(o),
      );
      return [
        {
          // said once for every object naming it: latent only while none of them runs a pod
          failsIn: users,
          message: `${wheres.join(' and ')} '${ref}'${also} ${problem}`,
        },
      ];
    });
  },
};

import { mapping, mappings, text } from '../../manifests/access';
import { containersOf, podAnnotationsOf, podLabelsOf, WORKLOAD_KINDS } from '../pods';
import { modelSpecOf } from '../serving-model';
import { pinningProblems } from '../image-pinning';
import { istioInjectionPlaceholder, referenceFault } from '../image-reference';
import { componentContainers, MULTI_POD_KINDS, templateContainers } from '../pod-templates';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { localBuildOf } from '../../manifests/script-images';
import { alsoBy, firstById } from '../one-per-cause';
import { Problem, Rule } from '../rule';
import { fillInComponent, imageHoldsPlaceholder } from '../template-syntax';

/** The images an object's containers name, with where each is named; placeholders (`${VLLM_IMAGE}`) are unrendered-placeholder's. */
function imagesOf(o: GraphObject): { where: string; image: string }[] {
  // a service's model container runs its runtime's image unless it names one; custom containers name their own
  const containers =
    o.manifest.kind === 'InferenceService'
      ? [
          ...(text(modelSpecOf(o.manifest).image) ? [{ where: "container 'kserve-container'", container: modelSpecOf(o.manifest) }] : []),
          ...mappings(mapping(mapping(o.manifest.spec).predictor).containers).map((c) => ({
            where: `container '${text(c.name) ?? '<unnamed>'}'`,
            container: c,
          })),
          // the transformer and explainer run pods of their own, with images of their own
          ...componentContainers(o.manifest),
        ]
      : [
          ...containersOf(o.manifest)
            .filter((c) => !istioInjectionPlaceholder(String(c.container.image), c.name, podLabelsOf(o.manifest), podAnnotationsOf(o.manifest)))
            .map((c) => ({ where: `container '${c.name}'`, container: c.container })),
          ...templateContainers(o.manifest),
        ];
  return containers.flatMap(({ where, container }) => {
    const image = text(container.image);
    // imagePullPolicy: Never runs the node's own copy and never pulls (kubelet pkg/kubelet/images/image_manager.go
    // EnsureImageExists: ErrImageNeverPull when absent): no registry can move what runs, so its tag says nothing
    if (text(container.imagePullPolicy) === 'Never') return [];
    // a reference that does not parse (a malformed digest too), or names a repository with a version glued on, is
    // image-reference-invalid's: no tag of it is pulled
    return image && !imageHoldsPlaceholder(image) && fillInComponent(image) === undefined && referenceFault(image) === undefined ? [{ where, image }] : [];
  });
}

/** The objects that run each image of a moving tag, by their ids. */
function movingUsers(graph: ObjectGraph): Map<string, GraphObject[]> {
  return graph.once('image-not-pinned:moving', () => {
    const by = new Map<string, GraphObject[]>();
    for (const o of graph.objects) {
      if (!imageNotPinned.appliesTo.includes(String(o.manifest.kind))) continue;
      for (const { image } of imagesOf(o)) {
        const moving = pinningProblems(image, { subject: '', digestForm: '', moved: '', summary: '' }).some((p) => !p.severity);
        const list = by.get(image) ?? [];
        if (moving && !list.includes(o)) by.set(image, [...list, o]);
      }
    }
    return firstById(graph, by);
  });
}

export const imageNotPinned: Rule = {
  id: 'image-not-pinned',
  title: 'a container image is referenced by a moving tag (latest, none, a branch name); a version tag without a digest is a note',
  severity: 'warning',
  appliesTo: ['ServingRuntime', ...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    "a moving tag is reported once per image, on the first object (by kind, namespace and name) that runs it (the others are counted and named); the container names an image (an InferenceService runs its runtime's unless it sets one, and its transformer's and explainer's containers their own; every pod template of Ray, Kubeflow training, JobSet and LeaderWorkerSet objects); an image that is a placeholder (`${VLLM_IMAGE}`) is unrendered-placeholder's, and one that does not parse (`IMAGE_NAME`, a malformed digest) or names a well-known repository with a version glued on image-reference-invalid's; `image: auto` in a pod Istio injects (a sidecar.istio.io/inject label or annotation, an inject.istio.io/templates annotation, a gateway.networking.k8s.io/gateway-name label, or the container istio-proxy) is Istio's placeholder for its proxy image, not judged; a container with `imagePullPolicy: Never` runs the image already on the node (built there, `minikube image load`) and pulls nothing, so it is not judged; an image whose registry or repository is a guide's fill-in (`your-registry/app:latest`, `yourregistry.azurecr.io/…`) is to be replaced, not judged; a tag with `latest` among its words (`main-latest`) is moving, and so is one made only of channel and build-flavour words (`main-stable`, `vulkan`, `server-cuda`, as llama.cpp, llama-swap, Ollama and LiteLLM publish them): it names no release; a moving tag of an image the tree builds itself, named with no registry (a `docker build -t NAME` or `docker tag SOURCE NAME` of a script, Makefile or README, a folder NAME with a Dockerfile, as local-image-not-loaded reads them), is a note: no registry holds a digest of it; a moving tag of OpenShift's internal registry (an ImageStream of the cluster, which the cluster moves) is a note",
  example: '`image: quay.io/vllm/vllm:latest`',
  fix: 'pin a version tag, or better a digest: image@sha256:…',
  source:
    "a tag can be moved to other bytes; a digest cannot (OCI distribution spec); a version tag (semver- or date-like) is the common practice and stays a note, as kube-linter's latest-tag check (stackrox/kube-linter pkg/builtinchecks/yamls/latest-tag.yaml) flags only `:latest` and an image with no tag",
  check(o, { graph }) {
    const users = movingUsers(graph);
    return imagesOf(o).flatMap(({ where, image }): Problem[] =>
      pinningProblems(image, {
        subject: `${where} uses`,
        digestForm: 'image@sha256:…',
        moved: 'run other bytes',
        summary: 'images pinned by a version tag, not a digest',
      }).flatMap((p) => {
        // a moving tag is one cause however many workloads run the image: said on the first, the others named
        if (p.severity) return [p];
        const all = users.get(image) ?? [o];
        if (all[0] !== o) return [];
        const also = alsoBy(
          'used',
          all.slice(1).map((x) => graph.id(x)),
          graph.id(o),
        );
        // an image the tree builds itself, named with no registry: no registry holds a digest of it to pin
        const build = localBuildOf(image, graph.treeImages);
        if (build)
          return [
            {
              severity: 'info',
              summary: 'images the tree builds or tags itself, under a moving tag',
              message: `${where} uses ${image}${also}, which the tree builds or tags itself (${build.how}): a local build has no registry digest to pin; tag each build with a version if every replica must run the same build`,
            },
          ];
        return [{ ...p, message: p.message.replace(`uses ${image},`, `uses ${image}${also},`) }];
      }),
    );
  },
};

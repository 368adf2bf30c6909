import { mapping, mappings, text } from '../../manifests/access';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { modelSpecOf } from '../serving-model';
import { pinningProblems } from '../image-pinning';
import { MULTI_POD_KINDS, templateContainers } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';

export const imageNotPinned: Rule = {
  id: 'image-not-pinned',
  title: 'a container image is referenced by a moving tag (latest, none, a branch name); a version tag without a digest is a note',
  severity: 'warning',
  appliesTo: ['ServingRuntime', ...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    "the container names an image (an InferenceService runs its runtime's unless it sets one; every pod template of Ray, Kubeflow training, JobSet and LeaderWorkerSet objects); a malformed digest is an error, since nothing can pull it; an image that is a placeholder (`${VLLM_IMAGE}`) is unrendered-placeholder's; a tag with `latest` among its words (`main-latest`) is moving; a moving tag of OpenShift's internal registry (an ImageStream of the cluster, which the cluster moves) is a note",
  example: '`image: quay.io/vllm/vllm:latest`',
  fix: 'pin a version tag, or better a digest: image@sha256:…',
  source: 'a tag can be moved to other bytes; a digest cannot (OCI distribution spec)',
  check(o) {
    // a service's model container runs its runtime's image unless it names one; custom containers name their own
    const containers =
      o.manifest.kind === 'InferenceService'
        ? [
            ...(text(modelSpecOf(o.manifest).image) ? [{ name: 'kserve-container', container: modelSpecOf(o.manifest) }] : []),
            ...mappings(mapping(mapping(o.manifest.spec).predictor).containers).map((c) => ({ name: text(c.name) ?? '<unnamed>', container: c })),
          ]
        : [...containersOf(o.manifest).map((c) => ({ ...c, where: `container '${c.name}'` })), ...templateContainers(o.manifest)];
    return containers.flatMap(({ name, container, ...at }): Problem[] => {
      const image = text(container.image);
      // a placeholder (`${VLLM_IMAGE}`) is no reference yet: what fills it is unrendered-placeholder's to judge
      if (!image || holdsTemplate(image)) return [];
      return pinningProblems(image, {
        subject: `${'where' in at ? at.where : `container '${name}'`} uses`,
        digestForm: 'image@sha256:…',
        moved: 'run other bytes',
        summary: 'images pinned by a version tag, not a digest',
      });
    });
  },
};

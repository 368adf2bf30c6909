import { misspeltRepository, WELL_KNOWN_REPOSITORIES } from '../../catalog/misspelt-images';
import { imageReferenceProblem } from '../image-reference';
import { MULTI_POD_KINDS } from '../pod-templates';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { imageHoldsPlaceholder } from '../template-syntax';
import { referencesWithTemplates } from './image-reference-invalid';

export const imageRepositoryMisspelt: Rule = {
  id: 'image-repository-misspelt',
  title: "an image's repository is one typo from vLLM's own repository: no such repository exists, the pull fails and the pod never starts",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime', 'Template'],
  premise: `the repository of a container or init container image (the images image-reference-invalid reads; a valid reference, no template placeholder) is one edit (a character inserted, deleted or replaced, or two neighbours swapped) from one of vLLM's own repositories and is not itself one (vendors' registries are not judged: they hold real repositories one edit apart): ${WELL_KNOWN_REPOSITORIES.join(', ')}`,
  example: '`image: vllm/vllm-openaia:0.10.1.1`',
  fix: "write the repository as published (vllm/vllm-openai), with a vLLM release tag (v0.10.1.1); a build of one's own belongs under a name of one's own",
  source:
    'a pull of a repository that does not exist fails ("pull access denied … repository does not exist", ErrImagePull then ImagePullBackOff: Kubernetes docs, "Images"); vLLM publishes vllm/vllm-openai with tags v<version> (vLLM docs deployment/docker.md)',
  scope: 'object',
  check(o) {
    return referencesWithTemplates(o.manifest).flatMap(({ where, ref }): Problem[] => {
      if (imageHoldsPlaceholder(ref) || imageReferenceProblem(ref) !== undefined) return [];
      const typo = misspeltRepository(ref);
      if (!typo) return [];
      return [
        {
          message: `${where} '${ref}' names a repository one edit from ${typo.intended}, which no registry holds: the pull fails (ErrImagePull, ImagePullBackOff) and the pod never starts; did you mean '${typo.meant}'?`,
        },
      ];
    });
  },
};

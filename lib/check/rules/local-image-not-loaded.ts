import { Loose, text } from '../../manifests/access';
import { imageRepository, localBuildOf, noRegistry } from '../../manifests/script-images';
import { containersOf } from '../pods';
import { templateContainers } from '../pod-templates';
import { imageHoldsPlaceholder } from '../template-syntax';
import { ANY_KIND, Problem, Rule } from '../rule';

/** Whether the kubelet pulls the image at every start: no tag or `:latest` with no imagePullPolicy, or policy Always (Kubernetes "Image pull policy" defaults). */
function alwaysPulled(ref: string, policy: string | undefined): boolean {
  if (policy === 'IfNotPresent' || policy === 'Never') return false;
  if (policy === 'Always') return true;
  const repository = imageRepository(ref);
  return !ref.includes('@') && (repository === ref || ref.endsWith(':latest'));
}

/** The containers of every pod of the object, with where each is written. */
function containers(m: Loose): { where: string; container: Loose }[] {
  return [
    ...containersOf(m).map(({ name, container, init }) => ({ where: `${init ? 'init container' : 'container'} '${name}'`, container })),
    ...templateContainers(m).map(({ where, container }) => ({ where, container })),
  ];
}

export const localImageNotLoaded: Rule = {
  id: 'local-image-not-loaded',
  title: 'a container runs an image the tree builds locally, named with no registry, and no step loads it onto the nodes or pushes it',
  severity: 'warning',
  appliesTo: [ANY_KIND],
  premise:
    "a container's image has no registry part (`k8s-gpu-monitor:latest`, `team/app:1.0`) and its repository is one the tree builds (a `docker|podman|nerdctl build -t`, `buildah bud -t`, or a `docker tag SOURCE NAME` in a script, Makefile or README; a folder of that name holding a Dockerfile or Containerfile; a `Dockerfile.<name>`), and no step of the tree puts a built image where the nodes find it (`kind load`, `k3d image import`, `minikube image load`, `minikube image build`, `minikube [-p PROFILE] docker-env` or podman-env (a build into the node's own engine), `nerdctl --namespace k8s.io build`, `ctr … import`, a `docker|podman push`, `--push`, `skopeo copy`, a skaffold.yaml, Tiltfile or devspace.yaml): the kubelet pulls docker.io/<name>, which is not the local build; a warning naming the build step (a node sharing the builder's engine, as Docker Desktop's, may hold the image), an error with no tag or `:latest` and no imagePullPolicy IfNotPresent or Never, since the kubelet then pulls at every start (policy Always), a side-loaded image too",
  example: '`image: k8s-gpu-monitor:latest` with the tree building `docker build -t k8s-gpu-monitor:latest gpu-monitor/` and loading it nowhere',
  fix: 'push the image to a registry the nodes can reach and name it with that registry, or load it onto the nodes (kind load docker-image, k3d image import, minikube image load) with a pinned tag and imagePullPolicy: IfNotPresent',
  source:
    'distribution/reference normalize.go (a name with no domain is docker.io, a one-part name docker.io/library/<name>); Kubernetes "Images": imagePullPolicy defaults to Always for :latest or no tag, else IfNotPresent; kind "Loading an Image Into Your Cluster" (do not use :latest with a loaded image)',
  check(o, { graph }) {
    const unregistered = containers(o.manifest).flatMap(({ where, container }) => {
      const ref = text(container.image);
      return ref && !imageHoldsPlaceholder(ref) && noRegistry(ref) ? [{ where, container, ref }] : [];
    });
    // the tree's images are read (its folders walked for Dockerfiles) only for an image with no registry
    if (!unregistered.length) return [];
    const { built, delivered } = graph.treeImages;
    if (!built.length || delivered) return [];
    const out: Problem[] = [];
    for (const { where, container, ref } of unregistered) {
      const build = localBuildOf(ref, { built });
      if (!build) continue;
      const always = alwaysPulled(ref, text(container.imagePullPolicy));
      out.push({
        ...(always ? { severity: 'error' as const } : {}),
        message:
          `${where} runs '${ref}', which the tree builds (${build.how}) and no step loads onto the nodes or pushes: with no registry in its name the kubelet pulls docker.io/${ref.includes('/') ? '' : 'library/'}${imageRepository(ref)}, not the local build, ` +
          (always
            ? `and with ${ref.endsWith(':latest') ? ':latest' : 'no tag'} it pulls at every start (imagePullPolicy Always), so the pod never starts (ErrImagePull)`
            : "so the pod stays in ErrImagePull unless the node shares the builder's engine (assumed not)") +
          ': push it to a registry and name that registry, or load it onto the nodes with a pinned tag and imagePullPolicy: IfNotPresent',
      });
    }
    return out;
  },
};

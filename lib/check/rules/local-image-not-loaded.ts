import { Loose, text } from '../../manifests/access';
import { BuiltImage, imageRepository, noRegistry } from '../../manifests/script-images';
import { DOCKER_OFFICIAL_IMAGES } from '../docker-official-images';
import { ObjectGraph } from '../graph';
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

/** podman's and buildah's name for an image of their local store (`podman build -t app` makes localhost/app): no registry serves it. */
const LOCAL_STORE = 'localhost/';

/**
 * Where the kubelet would pull a name from, and whether a registry can hold it: a one-part name is docker.io/library/<name>,
 * where only Docker's official images are; `localhost/<name>` is no registry; `<org>/<name>` is docker.io/<org>/<name>,
 * which holds it if the project publishes it there, something the tree cannot tell.
 */
function pulledFrom(ref: string): { naming: 'library' | 'official' | 'local-store' | 'organisation'; what: string } {
  const repository = imageRepository(ref);
  if (repository.startsWith(LOCAL_STORE))
    return { naming: 'local-store', what: `'localhost' names the local image store of podman or buildah, which no registry serves` };
  const name = repository.replace(/^library\//, '');
  if (!name.includes('/'))
    return DOCKER_OFFICIAL_IMAGES.has(name)
      ? {
          naming: 'official',
          what: `with no registry in its name the kubelet pulls docker.io/library/${name}, Docker's official image of that name, not the local build`,
        }
      : {
          naming: 'library',
          what: `with no registry in its name the kubelet pulls docker.io/library/${name}, where only Docker's official images are, so no registry holds it`,
        };
  return {
    naming: 'organisation',
    what: `with no registry in its name the kubelet pulls docker.io/${repository}, which holds it only if the project publishes it there (the tree does not tell), so it may not be pullable`,
  };
}

/** The builds of the tree that make the image: of its repository (a `localhost/` name: podman's name of the same build). */
function buildsOf(ref: string, built: readonly BuiltImage[]): BuiltImage[] {
  const repository = imageRepository(ref);
  const bare = repository.startsWith(LOCAL_STORE) ? repository.slice(LOCAL_STORE.length) : undefined;
  return built.filter((b) => b.repository === repository || (bare !== undefined && b.repository === bare));
}

/** The tag the tree builds instead, where every build of the image tags it and none with the container's tag. */
function otherTag(ref: string, builds: readonly BuiltImage[]): string | undefined {
  if (ref.includes('@')) return undefined;
  const tag = ref.slice(imageRepository(ref).length + 1) || 'latest';
  return builds.every((b) => b.tag !== undefined && b.tag !== tag) ? builds[0].tag : undefined;
}

/**
 * The step that creates the cluster the tree runs on, if it does (`kind create cluster`, `minikube start`): its nodes
 * hold only what is pulled or loaded, not what the builder's engine holds. minikube's none driver runs on the host's
 * own engine and is no such cluster.
 */
function createdCluster(graph: ObjectGraph): { command: string; load: string } | undefined {
  const made = graph.devClusters.find((m) => m.creates && !/--(?:vm-)?driver[= ]none\b/.test(m.command));
  if (!made) return undefined;
  return { command: `\`${made.command}\` (${made.file}:${made.line})`, load: made.distribution === 'kind' ? 'kind load docker-image' : 'minikube image load' };
}

/** What becomes of the pod, and whether it never starts whatever the registries hold. */
function outcome(
  ref: string,
  policy: string | undefined,
  unservable: boolean,
  cluster: ReturnType<typeof createdCluster>,
): { effect: string; certain: boolean } {
  if (policy === 'Never')
    return cluster
      ? {
          effect: `with imagePullPolicy Never the kubelet pulls nothing, and the nodes of the cluster the tree creates (${cluster.command}) do not hold the local build, so the pod never starts (ErrImageNeverPull)`,
          certain: true,
        }
      : { effect: "with imagePullPolicy Never the pod starts only on a node that shares the builder's engine (assumed not)", certain: false };
  if (!unservable) return { effect: 'if it is not there the pod stays in ErrImagePull', certain: false };
  if (alwaysPulled(ref, policy))
    return {
      effect: `with ${policy === 'Always' ? 'imagePullPolicy Always' : ref.endsWith(':latest') ? ':latest' : 'no tag'} it pulls at every start (imagePullPolicy Always), so the pod never starts (ErrImagePull)`,
      certain: true,
    };
  if (cluster)
    return {
      effect: `the nodes of the cluster the tree creates (${cluster.command}) do not hold the local build, so the pod never starts (ErrImagePull)`,
      certain: true,
    };
  return { effect: "so the pod stays in ErrImagePull unless the node shares the builder's engine (assumed not)", certain: false };
}

/** The finding on one container that runs an image the tree builds. */
function finding(where: string, ref: string, policy: string | undefined, builds: readonly BuiltImage[], graph: ObjectGraph): Problem {
  const from = pulledFrom(ref);
  const cluster = createdCluster(graph);
  const { effect, certain } = outcome(ref, policy, from.naming === 'library' || from.naming === 'local-store', cluster);
  const tag = otherTag(ref, builds);
  const load = cluster ? `${cluster.load} ${ref}` : 'kind load docker-image, k3d image import, minikube image load';
  return {
    severity: certain ? 'error' : 'warning',
    message:
      `${where} runs '${ref}', which the tree builds (${builds[0].how}${tag ? `, tagged ${tag}, not the tag the container names` : ''}) and no step loads onto the nodes or pushes: ` +
      `${from.what}; ${effect}: push it to a registry and name that registry, or load it onto the nodes (${load}) with a pinned tag and imagePullPolicy: IfNotPresent`,
  };
}

export const localImageNotLoaded: Rule = {
  id: 'local-image-not-loaded',
  title: 'a container runs an image the tree builds locally, named with no registry, and no step loads it onto the nodes or pushes it',
  severity: 'warning',
  appliesTo: [ANY_KIND],
  premise:
    "a container's image has no registry part (`k8s-gpu-monitor:latest`, `team/app:1.0`), or names podman's local store (`localhost/app`), and its repository is one the tree builds (a `docker|podman|nerdctl build -t`, `buildah bud -t`, or a `docker tag SOURCE NAME` in a script, Makefile or README; a folder of that name holding a Dockerfile or Containerfile; a `Dockerfile.<name>`), and no step of the tree puts a built image where the nodes find it (`kind load`, `k3d image import`, `minikube image load`, `minikube image build`, `minikube [-p PROFILE] docker-env` or podman-env (a build into the node's own engine), `nerdctl --namespace k8s.io build`, `ctr … import`, a `docker|podman push`, `--push`, `skopeo copy`, a skaffold.yaml, Tiltfile or devspace.yaml). An error only where the pod cannot start whatever the registries hold: a one-part name that is none of Docker's official images (docker.io/library/<name> holds only those) or a `localhost/` name, pulled at every start (no tag or `:latest` and no imagePullPolicy IfNotPresent or Never, or Always) or on the nodes of a cluster the tree creates (`kind create cluster`, `minikube start` but with the none driver), which do not hold the local build; and imagePullPolicy Never on such a cluster, whatever the name. A warning otherwise: an `<org>/<name>` is docker.io/<org>/<name>, which the project may publish (the message says it may not be pullable), a one-part name of an official image pulls Docker's image, not the build, and a node sharing the builder's engine (Docker Desktop's) may hold the image",
  example: '`image: k8s-gpu-monitor:latest` with the tree building `docker build -t k8s-gpu-monitor:latest gpu-monitor/` and loading it nowhere',
  fix: 'push the image to a registry the nodes can reach and name it with that registry, or load it onto the nodes (kind load docker-image, k3d image import, minikube image load) with a pinned tag and imagePullPolicy: IfNotPresent',
  source:
    'distribution/reference normalize.go (a name with no domain is docker.io, a one-part name docker.io/library/<name>); docker-library/official-images library/ (the repositories docker.io/library serves); podman-build(1) (an image named with no registry is stored as localhost/<name>); Kubernetes "Images": imagePullPolicy defaults to Always for :latest or no tag, else IfNotPresent, and Never fails with ErrImageNeverPull where the node lacks the image; kind "Loading an Image Into Your Cluster" (do not use :latest with a loaded image)',
  check(o, { graph }) {
    const candidates = containers(o.manifest).flatMap(({ where, container }) => {
      const ref = text(container.image);
      return ref && !imageHoldsPlaceholder(ref) && (noRegistry(ref) || ref.startsWith(LOCAL_STORE)) ? [{ where, container, ref }] : [];
    });
    // the tree's images are read (its folders walked for Dockerfiles) only for an image with no registry
    if (!candidates.length) return [];
    const { built, delivered } = graph.treeImages;
    if (!built.length || delivered) return [];
    return candidates.flatMap(({ where, container, ref }) => {
      const builds = buildsOf(ref, built);
      return builds.length ? [finding(where, ref, text(container.imagePullPolicy), builds, graph)] : [];
    });
  },
};

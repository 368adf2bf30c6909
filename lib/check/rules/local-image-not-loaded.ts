import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { BuiltImage, imageRepository, LoadedImage, noRegistry } from '../../manifests/script-images';
import { referenceFault } from '../image-reference';
import { DOCKER_OFFICIAL_IMAGES } from '../docker-official-images';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { containersOf } from '../pods';
import { componentContainers, templateContainers } from '../pod-templates';
import { imageHoldsPlaceholder } from '../template-syntax';
import { KnativeResolution, knativeEffect, knativeResolution } from '../knative-tag-resolution';
import { ANY_KIND, CheckContext, Problem, Rule } from '../rule';

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
    ...componentContainers(m).map(({ where, container }) => ({ where, container })),
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
    what: `with no registry in its name the kubelet pulls docker.io/${repository}, the Docker Hub account's repository, which is how such an image is published: it holds the image if the build is pushed there (the tree does not show it)`,
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
      : {
          effect: "with imagePullPolicy Never the kubelet pulls nothing: the pod starts only on a node that shares the builder's engine (assumed not)",
          certain: false,
        };
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

/** The finding on one container that runs an image the tree builds; a note for a Docker Hub name of a user or organisation, which may be published. */
function finding(
  where: string,
  ref: string,
  policy: string | undefined,
  builds: readonly BuiltImage[],
  graph: ObjectGraph,
  knative?: KnativeResolution,
): Problem {
  const from = pulledFrom(ref);
  const cluster = createdCluster(graph);
  const unservable = from.naming === 'library' || from.naming === 'local-store';
  const tag = otherTag(ref, builds);
  const built = `${where} runs '${ref}', which the tree builds (${builds[0].how}${tag ? `, tagged ${tag}, not the tag the container names` : ''})`;
  const { effect, certain } = outcome(ref, policy, unservable, cluster);
  if (unservable && knative) {
    const k = knativeEffect(ref, knative);
    // where the mode is only assumed, a failure certain in raw deployment mode too is still certain
    const raw = knative.certain ? '' : ` (run as a raw Deployment instead, ${effect})`;
    return { severity: knative.certain || certain ? 'error' : 'warning', message: `${built} and no step pushes: ${from.what}; ${k.effect}${raw}: ${k.fix}` };
  }
  const load = cluster ? `${cluster.load} ${ref}` : 'kind load docker-image, k3d image import, minikube image load';
  // with Never the kubelet pulls nothing, so where the name would be pulled from is not what happens
  const why = policy === 'Never' ? effect : `${from.what}; ${effect}`;
  return {
    severity: certain ? 'error' : from.naming === 'organisation' ? 'info' : 'warning',
    message:
      `${built} and no step loads onto the nodes or pushes: ` +
      `${why}: push it to a registry and name that registry, or load it onto the nodes (${load}) with a pinned tag and imagePullPolicy: IfNotPresent`,
  };
}

/**
 * The finding on a container whose image the tree builds and loads onto the nodes by name, but pulls at every start (no
 * tag or `:latest` with no imagePullPolicy, or Always): the kubelet pulls from the registry the name resolves to and
 * never uses the loaded copy. An error where no registry can hold the name (a one-part name that is none of Docker's
 * official images, a `localhost/` name); a warning where a registry may (an official image's name pulls Docker's image,
 * not the build; `<org>/<name>` pulls what was pushed there, if anything).
 */
function loadedButPulled(where: string, ref: string, policy: string | undefined, how: string): Problem {
  const from = pulledFrom(ref);
  const why =
    policy === 'Always'
      ? 'imagePullPolicy Always'
      : `${ref.endsWith(':latest') ? ':latest' : 'no tag'} and no imagePullPolicy (the API server then defaults it to Always)`;
  const unservable = from.naming === 'library' || from.naming === 'local-store';
  const effect = unservable
    ? 'the pod never starts (ErrImagePull, ImagePullBackOff)'
    : from.naming === 'official'
      ? 'the pod runs that image, not the build'
      : 'the pod runs what the registry holds under that name, if anything, not the loaded build (ErrImagePull where nothing was pushed)';
  return {
    severity: unservable ? 'error' : 'warning',
    message: `${where} runs '${ref}', which the tree builds and ${how} loads onto the nodes, but with ${why} the kubelet pulls it at every start instead of using the loaded copy (${from.what}): ${effect}; set imagePullPolicy: IfNotPresent (or Never), and tag the build with a version rather than latest`,
  };
}

/**
 * Official images Docker has deprecated and dropped from docker-library/official-images library/, whose repositories
 * docker.io/library still serves (their tags are kept, not deleted): a one-part name of one pulls.
 */
const RETIRED_OFFICIAL_IMAGES: ReadonlySet<string> = new Set([
  'adoptopenjdk',
  'celery',
  'centos',
  'consul',
  'crux',
  'django',
  'docker-dev',
  'euleros',
  'fsharp',
  'glassfish',
  'hipache',
  'iojs',
  'java',
  'jenkins',
  'jobber',
  'known',
  'mono',
  'nats-streaming',
  'nuxeo',
  'opensuse',
  'owncloud',
  'piwik',
  'rails',
  'sentry',
  'sourcemage',
  'swarm',
  'thrift',
  'ubuntu-debootstrap',
  'ubuntu-upstart',
  'vault',
]);

/** A guide's fill-in for the reader's own image (`your-image`, `my_image`), not a name meant to be pulled as it is. */
const FILL_IN_NAME = /^(?:your|my)[-_.]?(?:image|app|registry|repo)\b/i;

/** OpenShift's annotations by which a workload's one-part image is resolved to an ImageStream's (image lookup, image triggers). */
const IMAGE_STREAM_ANNOTATIONS = ['alpha.image.policy.openshift.io/resolve-names', 'image.openshift.io/triggers'];

/**
 * Whether a one-part name may be an ImageStream of the cluster's: the workload asks OpenShift to resolve its images,
 * or the tree makes an ImageStream (or a build into one) of that name.
 */
function imageStreamOf(name: string, m: Loose, graph: ObjectGraph): boolean {
  const annotations = stringMap(mapping(m.metadata).annotations);
  if (IMAGE_STREAM_ANNOTATIONS.some((a) => annotations[a] !== undefined)) return true;
  const stream = (o: { manifest: Loose }) => text(mapping(o.manifest.metadata).name) === name;
  const output = (o: { manifest: Loose }) => (text(mapping(mapping(mapping(o.manifest.spec).output).to).name) ?? '').split(':')[0] === name;
  return graph.ofKind('ImageStream').some(stream) || graph.ofKind('BuildConfig').some(output);
}

/** What becomes of the pod of an image no registry holds and the tree neither builds nor loads by name, and whether surely. */
function unbuiltOutcome(ref: string, policy: string | undefined, cluster: ReturnType<typeof createdCluster>): { effect: string; certain: boolean } {
  if (policy === 'Never')
    return cluster
      ? {
          effect: `with imagePullPolicy Never the kubelet pulls nothing, and the nodes of the cluster the tree creates (${cluster.command}) hold only what is loaded onto them, so the pod never starts (ErrImageNeverPull)`,
          certain: true,
        }
      : {
          effect:
            'with imagePullPolicy Never the kubelet pulls nothing: the pod starts only on a node that already holds it (loaded there by hand: the tree does not show it)',
          certain: false,
        };
  if (alwaysPulled(ref, policy))
    return {
      effect: `with ${policy === 'Always' ? 'imagePullPolicy Always' : ref.endsWith(':latest') ? ':latest' : 'no tag'} the kubelet pulls it at every start, whatever a node holds, so the pod never starts (ErrImagePull)`,
      certain: true,
    };
  if (cluster)
    return {
      effect: `the nodes of the cluster the tree creates (${cluster.command}) hold only what is loaded onto them, so the pod never starts (ErrImagePull)`,
      certain: true,
    };
  return { effect: 'the pod stays in ErrImagePull unless every node already holds it (loaded there by hand: the tree does not show it)', certain: false };
}

/**
 * A reference as the node's runtime looks it up (distribution/reference ParseNormalizedNamed and TagNameOnly):
 * docker.io/ and docker.io/library/ are the same as no registry, and no tag (nor digest) is latest; a digest matches
 * whatever tag was loaded.
 */
function resolved(ref: string): { repository: string; tag?: string } {
  const written = imageRepository(ref);
  const repository = written.replace(/^(?:index\.)?docker\.io\//, '').replace(/^library\/(?=[^/]+$)/, '');
  return ref.includes('@') ? { repository } : { repository, tag: ref.slice(written.length + 1) || 'latest' };
}

/** Whether a load puts the image the container names on the nodes: the same repository, and its tag (any, where the load took each tag). */
function serves(l: LoadedImage, ref: string): boolean {
  if (l.unnamed) return false;
  const [loaded, run] = [resolved(l.name), resolved(ref)];
  return loaded.repository === run.repository && (l.everyTag === true || loaded.tag === undefined || run.tag === undefined || loaded.tag === run.tag);
}

/** The step of the tree, or of the repository above it, that loads the image onto the nodes by name, as the runtime names it. */
function loaderOf(ref: string, graph: ObjectGraph): LoadedImage | undefined {
  return (graph.treeImages.loaded ?? []).find((l) => serves(l, ref));
}

/**
 * A load of the image's repository under another name the runtime does not take for it: another tag
 * (`minikube image load app` is app:latest), or podman's localhost/ name of a podman save. Said, as the load the
 * container's name misses.
 */
function missedLoad(ref: string, graph: ObjectGraph): string | undefined {
  const bare = (r: string) => resolved(r).repository.replace(/^localhost\//, '');
  const near = (graph.treeImages.loaded ?? []).find((l) => !l.unnamed && bare(l.name) === bare(ref) && !serves(l, ref));
  if (!near) return undefined;
  const { repository, tag } = resolved(near.name);
  return `${near.how} loads ${repository}${tag ? `:${tag}` : ''}, which is not the image the runtime looks up for '${ref}'`;
}

/** What may give a one-part name an image outside the tree: an ImageStream on OpenShift, a pipeline setting a kustomize build's image. */
function unshownDelivery(o: GraphObject, ctx: CheckContext): { openShift: boolean; built: boolean } {
  return {
    // OpenShift resolves a one-part name to an ImageStream of the namespace with local lookup (`oc set image-lookup`),
    // made outside the tree, before the kubelet pulls: a tag pulled at every start is then no certainty either
    openShift: ctx.platform !== 'kserve' || ctx.platformOnOpenShift === true,
    // a kustomize build's one-part name is often a logical name a pipeline sets at deploy time (`kustomize edit set image
    // app=<registry>/app:<sha>`), in a step outside the checked folder: not a certainty either
    built: (o.kustomizations?.length ?? 0) > 0,
  };
}

/**
 * The finding on a one-part name no registry holds that Knative runs: it resolves the tag from the registry before any
 * pod starts, so a copy loaded onto the nodes does not serve it. An error where Knative certainly runs it and nothing
 * outside the tree may rename it.
 */
function knativeUnbuilt(
  where: string,
  ref: string,
  name: string,
  o: GraphObject,
  ctx: CheckContext,
  knative: KnativeResolution,
  loader: { how: string } | undefined,
  policy: string | undefined,
): Problem {
  const { openShift, built } = unshownDelivery(o, ctx);
  const { effect, fix } = knativeEffect(ref, knative);
  // where the mode is only assumed, a failure certain in raw deployment mode too (pulled at every start, a cluster the
  // tree creates) is still certain
  const plain = loader
    ? { effect: 'the kubelet pulls it at every start instead of using the loaded copy (ErrImagePull)', certain: alwaysPulled(ref, policy) }
    : unbuiltOutcome(ref, policy, createdCluster(ctx.graph));
  const raw = knative.certain ? '' : ` (run as a raw Deployment instead, ${plain.certain ? plain.effect : 'only a copy on every node would serve it'})`;
  const had = loader ? `which ${loader.how} loads onto the nodes` : 'which nothing in the tree builds, loads onto the nodes or pushes';
  const caveat = openShift
    ? ' (unless an ImageStream of that name resolves it on OpenShift, which the tree does not show)'
    : built
      ? ' (unless the delivery sets the image, as a pipeline running `kustomize edit set image` does, which the tree does not show)'
      : '';
  return {
    severity: (knative.certain || plain.certain) && !openShift && !built ? 'error' : 'warning',
    message: `${where} runs '${ref}', ${had}${caveat}: no registry holds docker.io/library/${name} (${name} is none of Docker's official images); ${effect}${raw}: ${fix}`,
  };
}

/**
 * The finding on a container whose one-part image is none of Docker's official images and that the tree does not
 * build: docker.io/library/<name> does not hold it. Silent where a step of the tree loads it onto the nodes by name
 * and the kubelet uses that copy, or where OpenShift may resolve it to an ImageStream.
 */
function unbuiltFinding(where: string, ref: string, policy: string | undefined, o: GraphObject, ctx: CheckContext): Problem[] {
  const { graph } = ctx;
  const m = o.manifest;
  const name = imageRepository(ref).replace(/^library\//, '');
  if (name.includes('/') || DOCKER_OFFICIAL_IMAGES.has(name) || RETIRED_OFFICIAL_IMAGES.has(name) || FILL_IN_NAME.test(name)) return [];
  if (referenceFault(ref) !== undefined || imageStreamOf(name, m, graph)) return [];
  const loads = graph.treeImages.loaded ?? [];
  const loader = loaderOf(ref, graph);
  const knative = knativeResolution(m, ref, ctx.platform, graph);
  if (knative) return [knativeUnbuilt(where, ref, name, o, ctx, knative, loader, policy)];
  const fix = `push it to a registry the nodes reach and name that registry, or load it onto the nodes (kind load docker-image, minikube image load) with a pinned tag and imagePullPolicy: IfNotPresent`;
  if (loader)
    return alwaysPulled(ref, policy)
      ? [
          {
            severity: 'error',
            message: `${where} runs '${ref}', which ${loader.how} loads onto the nodes, but with ${policy === 'Always' ? 'imagePullPolicy Always' : ref.endsWith(':latest') ? ':latest' : 'no tag'} the kubelet pulls it at every start instead of using the loaded copy, and docker.io/library/${name} holds no such image (it is none of Docker's official images), so the pod never starts (ErrImagePull): name a pinned tag of the loaded image and set imagePullPolicy: IfNotPresent`,
          },
        ]
      : [];
  // a load or build whose image is a variable (`kind load docker-image $IMAGE`), an archive or stream whose images the
  // tree does not tell, or a build into the node's engine, may be of this one
  const maybe =
    loads.find((l) => l.unnamed || /\$|\.tar(?:\.gz)?$/.test(l.name))?.how ??
    graph.treeImages.built.find((b) => b.repository.includes('$'))?.how ??
    (/docker-env|podman-env/.test(graph.treeImages.delivered ?? '') ? graph.treeImages.delivered : undefined);
  const { effect, certain } = unbuiltOutcome(ref, policy, createdCluster(graph));
  const { openShift, built } = unshownDelivery(o, ctx);
  const sure = certain && !openShift && !built && !(maybe && !alwaysPulled(ref, policy));
  const missed = maybe ? undefined : missedLoad(ref, graph);
  const caveat =
    (missed ? ` (${missed})` : '') +
    (maybe
      ? ` (unless ${maybe} loads it, which the tree does not tell)`
      : openShift
        ? ' (unless an ImageStream of that name resolves it on OpenShift, which the tree does not show)'
        : built
          ? ' (unless the delivery sets the image, as a pipeline running `kustomize edit set image` does, which the tree does not show)'
          : '');
  // with Never the kubelet pulls nothing: where the name would resolve matters only once the policy lets it pull
  const pulled =
    policy === 'Never'
      ? `and no registry could serve it were it pulled (docker.io/library/${name}, where a name with no registry resolves, holds only Docker's official images)`
      : `with no registry in its name the kubelet pulls docker.io/library/${name}, where only Docker's official images are, and ${name} is none of them`;
  return [
    {
      severity: sure ? 'error' : 'warning',
      message: `${where} runs '${ref}', which nothing in the tree builds, loads onto the nodes or pushes${caveat}: ${policy === 'Never' ? `${effect}, ${pulled}` : `${pulled}; ${effect}`}: ${fix}`,
    },
  ];
}

export const localImageNotLoaded: Rule = {
  id: 'local-image-not-loaded',
  title:
    "a container runs an image named with no registry that no registry serves (one the tree builds locally, or a one-part name that is none of Docker's official images), and no step loads it onto the nodes or pushes it",
  severity: 'warning',
  appliesTo: [ANY_KIND],
  premise:
    "a container's image has no registry part (`k8s-gpu-monitor:latest`, `team/app:1.0`), or names podman's local store (`localhost/app`), and its repository is one the tree builds (a `docker|podman|nerdctl build -t`, `buildah bud -t`, or a `docker tag SOURCE NAME` in a script, Makefile or README; a folder of that name holding a Dockerfile or Containerfile; a `Dockerfile.<name>`), and no step of the tree puts a built image where the nodes find it, nor does a step of the repository above it load that name (`kind load`, `k3d image import`, `minikube image load`, `minikube image build`, `minikube [-p PROFILE] docker-env` or podman-env (a build into the node's own engine), `nerdctl --namespace k8s.io build`, `ctr … import`, a `docker|podman push`, `--push`, `skopeo copy`, a skaffold.yaml, Tiltfile or devspace.yaml). An error only where the pod cannot start whatever the registries hold: a one-part name that is none of Docker's official images (docker.io/library/<name> holds only those) or a `localhost/` name, pulled at every start (no tag or `:latest` and no imagePullPolicy IfNotPresent or Never, or Always) or on the nodes of a cluster the tree creates (`kind create cluster`, `minikube start` but with the none driver), which do not hold the local build; and imagePullPolicy Never on such a cluster, whatever the name. Where a step of the tree, or of the repository above it, loads the built image onto the nodes by name (`kind load docker-image NAME`, `minikube image load NAME`) but the container pulls it at every start (no tag or `:latest` with no imagePullPolicy, which the API server defaults to Always, or Always), the kubelet pulls from the registry and never uses the loaded copy: an error for a one-part name that is none of Docker's official images or a `localhost/` name, a warning for an official image's name (Docker's image runs, not the build) or an `<org>/<name>` (what was pushed there runs, if anything). A warning otherwise: a one-part name of an official image pulls Docker's image, not the build, and a node sharing the builder's engine (Docker Desktop's) may hold the image; an `<org>/<name>` is docker.io/<org>/<name>, the usual way to publish an image, which the build may well be pushed to: a note. Where Knative runs the pod (a Knative Service, an InferenceService in Serverless mode) it resolves the tag to a digest from the registry when it creates the revision, unless the registry is one config-deployment's registries-skipping-tag-resolving lists (kind.local, ko.local, dev.local by default; a config-deployment ConfigMap or KnativeServing of the tree replaces the list): a one-part or `localhost/` name fails there even when loaded onto the nodes, an error where the mode is said (or the failure certain in raw mode too), a warning where the Serverless default is assumed. A one-part name the tree does not build (`my-server:latest`, `vllm-custom`) that is none of Docker's official images (nor one Docker retired but still serves, `centos`, `java`; nor a guide's `your-image`) is docker.io/library/<name>, which does not exist: silent where a step of the tree, or a README or script of the git repository above the checked folder, loads that name onto the nodes (`kind load docker-image NAME`, `minikube image load NAME`, `k3d image import NAME`, `minikube cache add NAME`; an archive or stream a `docker|podman save` of the same script wrote, loaded by `kind load image-archive`, `k3d image import`, `minikube image load`, `k3s|microk8s ctr images import`, `ctr -n k8s.io images import` (containerd's default namespace is not the kubelet's), `microk8s images import` or `nerdctl -n k8s.io load`, with sudo or not; a shell variable the script sets read as its value; the name matched as the node's runtime looks it up: no tag is latest, except that a `docker save` of a repository without a tag, as kind and k3d make, holds each of its tags; docker.io/library/ is the same as no registry; podman saves a name without a registry as localhost/<name>, which a load of it names) and the kubelet uses the loaded copy (a pinned tag, or imagePullPolicy IfNotPresent or Never), an error where it is loaded but pulled at every start; else an error where it is pulled at every start or runs on the nodes of a cluster the tree creates, a warning where a node may hold it (a pinned tag, no cluster the tree creates), where a kustomize build makes the object (a pipeline may set the image with `kustomize edit set image` in a step outside the checked folder), where a load or build of the tree names its image by a variable or builds into a node's engine (it may be this one), and on OpenShift, where an ImageStream of that name with local lookup resolves it; silent where the workload asks OpenShift to resolve its images (alpha.image.policy.openshift.io/resolve-names, image.openshift.io/triggers) or the tree makes an ImageStream or a BuildConfig output of that name",
  example: '`image: k8s-gpu-monitor:latest` with the tree building `docker build -t k8s-gpu-monitor:latest gpu-monitor/` and loading it nowhere',
  fix: 'push the image to a registry the nodes can reach and name it with that registry, or load it onto the nodes (kind load docker-image, k3d image import, minikube image load) with a pinned tag and imagePullPolicy: IfNotPresent',
  source:
    'distribution/reference normalize.go (a name with no domain is docker.io, a one-part name docker.io/library/<name>); docker-library/official-images library/ (the repositories docker.io/library serves); podman-build(1) (an image named with no registry is stored as localhost/<name>); Kubernetes "Images": imagePullPolicy defaults to Always for :latest or no tag, else IfNotPresent, and Never fails with ErrImageNeverPull where the node lacks the image; kind "Loading an Image Into Your Cluster" (do not use :latest with a loaded image) and pkg/cmd/kind/load (docker-image saves with `docker save`, image-archive loads archives); k3d docs k3d_image_import; minikube docs "image load"; containerd cmd/ctr/commands/images/import.go (`ctr images import FILE|-`, namespace `default` unless -n or CONTAINERD_NAMESPACE; the CRI plugin reads k8s.io), k3s-io/k3s pkg/ctr/main.go (k3s ctr defaults to k8s.io), canonical/microk8s default-args/ctr (--namespace k8s.io) and scripts/wrappers/images.py (`microk8s images import`, standard input by default); nerdctl docs "nerdctl load"; docker docs "docker image save" (a repository without a tag saves every tag); podman-save(1) and podman-build(1) (a name without a registry is localhost/<name>); knative/serving pkg/deployment/config.go (registries-skipping-tag-resolving, default kind.local, ko.local, dev.local) and pkg/reconciler/revision resolve.go digestResolver.Resolve (a tag of any other registry is resolved to a digest, or the revision fails "failed to resolve image to digest")',
  check(o, ctx) {
    const { graph } = ctx;
    const candidates = containers(o.manifest).flatMap(({ where, container }) => {
      const ref = text(container.image);
      return ref && !imageHoldsPlaceholder(ref) && (noRegistry(ref) || ref.startsWith(LOCAL_STORE)) ? [{ where, container, ref }] : [];
    });
    // the tree's images are read (its folders walked for Dockerfiles) only for an image with no registry
    if (!candidates.length) return [];
    const { built, delivered } = graph.treeImages;
    return candidates.flatMap(({ where, container, ref }) => {
      const builds = buildsOf(ref, built);
      const policy = text(container.imagePullPolicy);
      if (!builds.length) return unbuiltFinding(where, ref, policy, o, ctx);
      // Knative resolves the tag from a registry before any pod runs: loading the image onto the nodes does not serve it
      const knative = knativeResolution(o.manifest, ref, ctx.platform, graph);
      const loaded = loaderOf(ref, graph);
      if (knative && loaded && ['library', 'local-store'].includes(pulledFrom(ref).naming)) return [finding(where, ref, policy, builds, graph, knative)];
      // a build loaded onto the nodes by name but pulled at every start: the kubelet asks the registry, not the node
      if (loaded && alwaysPulled(ref, policy)) return [loadedButPulled(where, ref, policy, loaded.how)];
      // a tree that loads or pushes some image of its own is taken to deliver the ones it builds, as is one a step of
      // its repository loads by name (the README above the folder)
      return delivered || loaded ? [] : [finding(where, ref, policy, builds, graph, knative)];
    });
  },
};

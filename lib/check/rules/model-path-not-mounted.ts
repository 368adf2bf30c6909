import { mapping, mappings, text } from '../../manifests/access';
import { MODEL_SERVERS, pathUnder } from '../model-servers';
import { podTemplatesOf } from '../pod-templates';
import { podSpecOf, SERVICE_BACKEND_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { workloadVllmLines } from '../workload-lines';
import { localModel } from './model-path-not-filled';

/**
 * The servers' own images, which hold the server and no model (vLLM's Dockerfile, target vllm-openai; the images of
 * model-servers.ts): a local model path in one of them is on no volume only if the container mounts it.
 */
const SERVER_IMAGES = [/^(docker\.io\/)?vllm\/vllm-openai([:@]|$)/, ...MODEL_SERVERS.flatMap((s) => (s.image ? [s.image] : []))];

/** Paths the container's image or the kubelet provides whatever the tree says: the image's caches and the kubelet's mounts. */
const PROVIDED = /^\/(proc|sys|dev|etc|var\/run\/secrets)(\/|$)/;

export const modelPathNotMounted: Rule = {
  id: 'model-path-not-mounted',
  title: 'a model server is given a local model path that no volume of its container holds',
  severity: 'error',
  appliesTo: SERVICE_BACKEND_KINDS,
  premise:
    "a container starts vLLM with a local model path (`--model /models/x`, the positional model), or Triton, TGI/TEI (--model-id, MODEL_ID), llama.cpp (-m) or SGLang (--model-path) with one, and no volumeMount of the container is that path or a folder above it: the server reads the container's own filesystem there. " +
    "An error when the image is the server's own (vllm/vllm-openai, and the TGI, TEI, llama.cpp, Ollama and LocalAI images of model-servers.ts), which holds no model; a warning for any other image, which may have been built with the model inside. " +
    'Not judged: a pod KServe fills (an InferenceService, a storage-initializer annotation), a path the kubelet provides (/dev, /proc, /var/run/secrets)',
  example: '`args` holding `--model, /models/tiny-chat` in `image: vllm/vllm-openai:v0.11.0` with no volumeMounts',
  fix: 'mount the volume that holds the model at the path (a PVC the model was copied to, an image volume), or name a hub id the server downloads',
  source:
    'Kubernetes: a container sees its image filesystem except where volumeMounts put volumes (kubernetes.io docs, "Volumes"); vllm-project/vllm docker/Dockerfile (target vllm-openai: no model in the image); each server\'s image, named in lib/check/model-servers.ts',
  check(o) {
    const annotations = mapping(mapping(mapping(o.manifest.spec).template).metadata).annotations;
    if (Object.keys(mapping(annotations)).some((k) => k.startsWith('serving.kserve.io/storage-initializer'))) return [];
    if (podTemplatesOf(o.manifest).length || !podSpecOf(o.manifest)) return [];
    return workloadVllmLines(o.manifest).flatMap((c): Problem[] => {
      const model = localModel(c);
      if (!model || PROVIDED.test(model.path) || model.path.includes('$')) return [];
      const mounts = mappings(c.container.volumeMounts).map((m) => text(m.mountPath) ?? '');
      if (mounts.some((m) => pathUnder(model.path, m) || pathUnder(m, model.path))) return [];
      const own = SERVER_IMAGES.some((r) => r.test(text(c.container.image) ?? ''));
      return [
        {
          ...(own ? {} : { severity: 'warning' as const }),
          message:
            `${c.where} runs ${model.server} with ${model.flag} ${model.path}, but no volume of the container is mounted there (${mounts.length ? `it mounts ${mounts.join(', ')}` : 'it mounts no volume'}): ` +
            `the server reads the image's own filesystem, ${own ? `and ${text(c.container.image)} is the server's image, which holds no model` : 'which holds the model only if the image was built with it (the tree does not show it)'}, so it finds none and exits; mount the volume that holds the model at ${model.path}`,
        },
      ];
    });
  },
};

import { runChecks } from '../../lib';

/** The severity image-not-pinned gives each image, one Deployment per image. */
const severities = (images: string[]) =>
  runChecks(
    images.map((image, i) => ({
      manifest: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `app-${i}`, namespace: 'ai' },
        spec: {
          selector: { matchLabels: { app: `a${i}` } },
          template: { metadata: { labels: { app: `a${i}` } }, spec: { containers: [{ name: 'c', image }] } },
        },
      },
    })),
    { platform: 'kserve', rules: ['image-not-pinned'] },
  )
    .map((f) => [images[Number(/app-(\d+)$/.exec(f.object)?.[1])], f.severity])
    .sort();

describe('image-not-pinned: a version tag is a note, a moving or absent tag a warning (as kube-linter latest-tag blocks only latest and no tag)', () => {
  test('version tags, semver- and date-like: info', () => {
    const images = ['vllm/vllm-openai:v0.6.3', 'neo4j:5.11', 'python:3.11-slim', 'nvcr.io/nvidia/pytorch:24.05-py3', 'ghcr.io/org/app:2025-01-15'];
    expect(severities(images)).toEqual(images.map((i) => [i, 'info']).sort());
  });

  test('moving tags and no tag: warning', () => {
    const images = [
      'quay.io/org/app:latest',
      'quay.io/org/a:main',
      'quay.io/org/b:master',
      'quay.io/org/c:stable',
      'quay.io/org/d:nightly',
      'quay.io/org/e:dev',
      'quay.io/org/f:edge',
      'quay.io/org/g',
    ];
    expect(severities(images)).toEqual(images.map((i) => [i, 'warning']).sort());
  });

  // channel and build-flavour words (llama.cpp docs/docker.md, llama-swap's and LiteLLM's tag lists) name no release
  test('tags of channel and build-flavour words only: warning', () => {
    const images = [
      'ghcr.io/berriai/litellm:main-stable',
      'ghcr.io/mostlygeek/llama-swap:vulkan',
      'ghcr.io/mostlygeek/llama-swap:cuda',
      'ghcr.io/ggml-org/llama.cpp:server-cuda13',
      'docker.io/ollama/ollama:rocm',
    ];
    expect(severities(images)).toEqual(images.map((i) => [i, 'warning']).sort());
  });

  test('near miss: a release beside a channel or flavour word is a version tag, a note', () => {
    const images = [
      'ghcr.io/berriai/litellm:v1.80.11-stable.1',
      'ghcr.io/berriai/litellm:main-v1.41.2-stable',
      'ghcr.io/mostlygeek/llama-swap:v120-vulkan-b5000',
      'ghcr.io/ggml-org/llama.cpp:server-cuda-b4500',
      'nvidia/cuda:12.4.1-runtime-ubuntu22.04',
    ];
    expect(severities(images)).toEqual(images.map((i) => [i, 'info']).sort());
  });

  test('near miss: a digest gets nothing', () => {
    expect(severities([`quay.io/org/app@sha256:${'a'.repeat(64)}`])).toEqual([]);
  });

  // Istio docs, "Installing Gateways": `image: auto` in a pod Istio injects is replaced by its proxy image
  test("Istio's `image: auto` in a pod Istio injects is not judged; `auto` elsewhere is a moving tag", () => {
    const pod = (container: string, labels: Record<string, string>, annotations: Record<string, string> = {}) => ({
      manifest: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `gw-${Object.keys({ ...labels, ...annotations }).length}-${container}`, namespace: 'istio-ingress', labels, annotations },
        spec: { containers: [{ name: container, image: 'auto' }] },
      },
    });
    const findings = (...pods: ReturnType<typeof pod>[]) =>
      runChecks(pods, { platform: 'kserve', rules: ['image-not-pinned'] }).map((f) => [f.object, f.severity]);
    expect(findings(pod('proxy', { 'sidecar.istio.io/inject': 'true' }, { 'inject.istio.io/templates': 'gateway' }))).toEqual([]);
    expect(findings(pod('istio-proxy', {}))).toEqual([]);
    expect(findings(pod('proxy', { 'gateway.networking.k8s.io/gateway-name': 'edge' }))).toEqual([]);
    expect(findings(pod('proxy', { app: 'edge' }))).toEqual([['Pod/istio-ingress/gw-1-proxy', 'warning']]);
  });
});

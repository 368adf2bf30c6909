import { mapping, text } from '../../manifests/access';
import { onOpenShift } from '../platform';
import { Rule } from '../rule';

/** The GPU operator's driver image when the ClusterPolicy names none (NVIDIA/gpu-operator bundle defaults: nvcr.io/nvidia/driver). */
const DEFAULT_REPOSITORY = 'nvcr.io/nvidia';
const DEFAULT_IMAGE = 'driver';

/** Whether the ClusterPolicy leaves the driver image at NVIDIA's own (no repository or image, or nvcr.io/nvidia/driver). */
function nvidiaDriverImage(driver: Record<string, unknown>): boolean {
  const repository = text(driver.repository);
  const image = text(driver.image);
  if (image && image.includes('/')) return image.startsWith(`${DEFAULT_REPOSITORY}/${DEFAULT_IMAGE}`);
  return (repository ?? DEFAULT_REPOSITORY).replace(/\/$/, '') === DEFAULT_REPOSITORY && (image ?? DEFAULT_IMAGE) === DEFAULT_IMAGE;
}

export const gpuDriverPrecompiledUnavailable: Rule = {
  id: 'gpu-driver-precompiled-unavailable',
  title:
    "a ClusterPolicy asks for precompiled GPU drivers on OpenShift from NVIDIA's registry, which publishes none for RHCOS: the driver pods cannot pull their image",
  severity: 'error',
  appliesTo: ['ClusterPolicy'],
  premise:
    "a nvidia.com ClusterPolicy sets spec.driver.usePrecompiled: true (driver not disabled) and leaves the driver image at NVIDIA's (no repository or image, or nvcr.io/nvidia/driver); the nodes are RHCOS: an error where the tree subscribes the gpu-operator-certified package (OpenShift's certified catalog), a warning where only the platform judged is OpenShift; NVIDIA's registry holds precompiled driver tags for Ubuntu kernels only, and the RHCOS ones are Red Hat's (registry.redhat.io/nvidia/gpu-driver-rhel9) or built by the user, named in driver.repository, image and version",
  example: 'a ClusterPolicy with `usePrecompiled: true` and no driver repository, beside Subscription `gpu-operator-certified`',
  fix: 'drop usePrecompiled (the operator then builds the driver with the Driver Toolkit), or name a precompiled RHCOS driver image: driver.repository registry.redhat.io/nvidia, image gpu-driver-rhel9, version the driver branch',
  source:
    'NVIDIA GPU Operator docs "Precompiled Driver Containers" (Supported Precompiled Drivers: Ubuntu only; for OpenShift see "Precompiled Drivers for the NVIDIA GPU Operator for RHCOS": Red Hat publishes registry.redhat.io/nvidia/gpu-driver-rhel9, or build one, and set driver.repository, image and version); precompiled images are named driver:<branch>-<kernel>-<os> (same page)',
  check(o, ctx) {
    const m = o.manifest;
    if (!(text(m.apiVersion) ?? '').startsWith('nvidia.com/')) return [];
    const driver = mapping(mapping(m.spec).driver);
    if (driver.usePrecompiled !== true || driver.enabled === false || !nvidiaDriverImage(driver)) return [];
    const certified = ctx.graph.ofKind('Subscription').some((s) => text(mapping(s.manifest.spec).name) === 'gpu-operator-certified');
    if (!certified && !onOpenShift(ctx)) return [];
    return [
      {
        ...(certified ? {} : { severity: 'warning' as const }),
        message:
          `spec.driver.usePrecompiled: true with the driver image left at ${DEFAULT_REPOSITORY}/${DEFAULT_IMAGE}, on OpenShift${certified ? ' (the tree subscribes gpu-operator-certified)' : ''}: ` +
          'NVIDIA publishes precompiled driver images for Ubuntu kernels only, so no <branch>-<kernel>-<os> image exists there for the RHCOS kernel and its pods stay in ImagePullBackOff: no driver, no GPU on any node; ' +
          'drop usePrecompiled (the operator builds the driver with the Driver Toolkit) or set driver.repository registry.redhat.io/nvidia, image gpu-driver-rhel9 and version',
      },
    ];
  },
};

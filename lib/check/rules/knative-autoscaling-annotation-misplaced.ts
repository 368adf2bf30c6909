import { mapping } from '../../manifests/access';
import { Rule } from '../rule';

/** knative/serving pkg/apis/autoscaling GroupName: the prefix of every autoscaling annotation key. */
const AUTOSCALING_PREFIX = 'autoscaling.knative.dev';

export const knativeAutoscalingAnnotationMisplaced: Rule = {
  id: 'knative-autoscaling-annotation-misplaced',
  title: "a Knative Service or Configuration carries autoscaling.knative.dev annotations on its own metadata: Knative's webhook refuses it",
  severity: 'error',
  appliesTo: ['Service', 'Configuration'],
  premise:
    'the object is a serving.knative.dev Service or Configuration (as built: a kustomize patch that adds the keys counts) and its metadata.annotations hold a key starting with autoscaling.knative.dev; the same keys under spec.template.metadata.annotations are where they belong',
  example: '`path: /metadata/annotations/autoscaling.knative.dev~1minScale` in a kustomize patch of a serving.knative.dev/v1 Service',
  fix: 'move the annotations to spec.template.metadata.annotations (the revision template), where the autoscaler reads them',
  source:
    'knative/serving pkg/apis/serving/metadata_validation.go ValidateHasNoAutoscalingAnnotation, called by Service and Configuration Validate (refused since v0.18.0, knative/serving#9358: invalid key name … autoscaling annotations must be put under "spec.template.metadata.annotations" to work)',
  scope: 'object',
  check(o) {
    if (!String(o.manifest.apiVersion ?? '').startsWith('serving.knative.dev/')) return [];
    const keys = Object.keys(mapping(mapping(o.manifest.metadata).annotations)).filter((k) => k.startsWith(AUTOSCALING_PREFIX));
    if (!keys.length) return [];
    return [
      {
        message:
          `metadata.annotations holds ${keys.join(', ')}: Knative's webhook refuses the ${String(o.manifest.kind)} (invalid key name …: metadata.annotations, ` +
          '"autoscaling annotations must be put under spec.template.metadata.annotations to work"), so it is never created or updated; move them to spec.template.metadata.annotations',
      },
    ];
  },
};

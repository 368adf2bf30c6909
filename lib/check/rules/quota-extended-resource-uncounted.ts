import { mapping, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/**
 * The spec.hard names with a `/` that the quota does count without the `requests.` prefix: object counts
 * (`count/deployments.apps`), a storage class's storage (`<class>.storageclass.storage.k8s.io/requests.storage`) and
 * the resources of kubernetes.io domains (kubernetes pkg/apis/core/helper IsNativeResource, IsPrefixedNativeResource).
 */
const COUNTED = /^count\/|\.storageclass\.storage\.k8s\.io\/|kubernetes\.io\//;

/** The prefix a quota on an extended resource must carry (k8s.io/api core/v1 DefaultResourceRequestsPrefix). */
const REQUESTS_PREFIX = 'requests.';

export const quotaExtendedResourceUncounted: Rule = {
  id: 'quota-extended-resource-uncounted',
  title:
    "a ResourceQuota's hard limit names an extended resource (nvidia.com/gpu) without the requests. prefix: the API takes it and the quota never counts it",
  severity: 'warning',
  appliesTo: ['ResourceQuota'],
  premise:
    "a ResourceQuota's spec.hard has a resource name holding a `/` (an extended resource such as nvidia.com/gpu, or limits.nvidia.com/gpu) that does not start with requests., is not an object count (count/…), a storage class's storage, nor a kubernetes.io resource: the API server validates only names without a `/` against the standard quota names, so it stores the quota, but the pod evaluator counts an extended resource only as requests.<name>, so the limit is never enforced; where the same quota has requests.<name> too, that line caps the resource (an extended resource's limit equals its request) and the stray line is a note",
  example: '`nvidia.com/gpu: 4` under a ResourceQuota spec.hard',
  fix: 'write the limit as requests.nvidia.com/gpu (extended resources are not overcommitted, so the request is the whole use)',
  source:
    'kubernetes pkg/apis/core/validation validateResourceQuotaResourceName (a name with "/" is not checked against IsStandardQuotaResourceName); pkg/quota/v1/evaluator/core/pods.go isExtendedResourceNameForQuota (requests. prefix only); the ResourceQuota docs, "Resource quota for extended resources"',
  scope: 'object',
  check(o) {
    const hard = mapping(mapping(o.manifest.spec).hard);
    return Object.keys(hard)
      .filter((name) => name.includes('/') && !name.startsWith(REQUESTS_PREFIX) && !COUNTED.test(name))
      .map((name): Problem => {
        const resource = name.replace(/^limits\./, '');
        const counted = hard[`${REQUESTS_PREFIX}${resource}`];
        // the same quota's requests line caps the resource: an extended resource's limit equals its request
        // (the API server refuses a container whose request and limit of one differ), so the stray line costs nothing
        if (counted !== undefined)
          return {
            severity: 'info',
            message: `spec.hard '${name}: ${text(hard[name]) ?? String(hard[name])}' is never counted (the quota counts an extended resource only as ${REQUESTS_PREFIX}${resource}), but '${REQUESTS_PREFIX}${resource}: ${text(counted) ?? String(counted)}' of this quota caps ${resource} already; the ${name} line may be dropped`,
          };
        return {
          message: `spec.hard '${name}: ${text(hard[name]) ?? String(hard[name])}' is stored but never counted: the quota counts an extended resource only as ${REQUESTS_PREFIX}${resource}, so pods may use any amount of ${resource}; write it as ${REQUESTS_PREFIX}${resource}`,
        };
      });
  },
};

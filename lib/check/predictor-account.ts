import { mapping, mappings, stringMap, text } from '../manifests/access';
import type { Loose } from '../manifests/access';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';

/** The annotation that makes KServe give the storage initializer AWS IRSA env (kserve pkg/credentials AwsIrsaAnnotationKey). */
export const AWS_IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** The ServiceAccount KServe reads a predictor's download credentials from, as far as the tree tells it. */
export interface PredictorAccount {
  /** spec.predictor.serviceAccountName, or `default` when unset. */
  readonly name: string;
  /** Whether the name is `default` because serviceAccountName is unset. */
  readonly implicit: boolean;
  /** The tree's ServiceAccount of that name in the service's namespace, when it has one. */
  readonly account?: GraphObject;
  /** Whether the tree holds several differing accounts of that name the service may run as (none is then judged). */
  readonly ambiguous: boolean;
  /** The names of the Secrets the account lists. */
  readonly secrets: readonly string[];
  /** The listed Secrets the tree holds (fewer than `secrets` when some are made outside it). */
  readonly secretsInTree: readonly GraphObject[];
  /** Whether the account carries the AWS IRSA annotation. */
  readonly irsa: boolean;
}

/**
 * The predictor's ServiceAccount: KServe reads the Secrets and the IRSA annotation of spec.predictor.serviceAccountName,
 * or of `default` when it is unset (kserve pkg/credentials/service_account_credentials.go CreateSecretVolumeAndEnv).
 */
export function predictorAccountOf(graph: ObjectGraph, isvc: Loose): PredictorAccount {
  const named = text(mapping(mapping(isvc.spec).predictor).serviceAccountName);
  const name = named ?? 'default';
  const ns = graph.namespaceOf(isvc);
  const account = accountIn(graph, name, ns);
  const secrets = mappings(account?.manifest.secrets)
    .map((s) => text(s.name))
    .filter((n): n is string => n !== undefined);
  const secretsInTree = secrets.map((n) => graph.find('Secret', n, ns)).filter((s): s is GraphObject => s !== undefined);
  const irsa = AWS_IRSA_ANNOTATION in stringMap(mapping(account?.manifest.metadata).annotations);
  return { name, implicit: named === undefined, account: account || undefined, ambiguous: account === null, secrets, secretsInTree, irsa };
}

/**
 * The tree's account of the name in the namespace: one of that exact namespace first, else one whose namespace the
 * tree leaves open; null when those differ (copies of one page of docs, say), undefined when there is none.
 */
function accountIn(graph: ObjectGraph, name: string, ns: string | undefined): GraphObject | null | undefined {
  const reach = graph.ofKind('ServiceAccount').filter((a) => {
    const ans = graph.namespaceOf(a.manifest);
    return text(mapping(a.manifest.metadata).name) === name && (ns === undefined || ans === undefined || ans === ns);
  });
  const exact = reach.filter((a) => ns !== undefined && graph.namespaceOf(a.manifest) === ns);
  const tier = exact.length ? exact : reach;
  const said = (a: GraphObject) => JSON.stringify([a.manifest.secrets ?? [], stringMap(mapping(a.manifest.metadata).annotations)]);
  return tier.every((a) => said(a) === said(tier[0])) ? tier[0] : null;
}

/** Whether a Secret of the tree has the key, in data or stringData. */
export function secretHasKey(secret: GraphObject, key: string): boolean {
  return key in mapping(secret.manifest.data) || key in mapping(secret.manifest.stringData);
}

/**
 * Whether a Secret holds a value at a key: present and not empty (stringData over data, as the API server merges
 * them). An empty value reaches the container as an empty variable, which a client reads as no credential.
 */
export function secretKeyFilled(secret: GraphObject, key: string): boolean {
  const { data, stringData } = secret.manifest;
  const value = key in mapping(stringData) ? mapping(stringData)[key] : mapping(data)[key];
  return value !== undefined && value !== null && value !== '';
}

import { mapping, stringMap } from '../manifests/access';
import { MODEL_PROFILE_ANNOTATION, NODE_SHAPE_ANNOTATION } from '../k8s/keys';
import { GraphObject } from './graph-object';

/**
 * Whether cdk8s-vllm's constructs rendered an object, so that advice may name a construct's props: in an app, an
 * object under one of its constructs (the app's checks know them); in a rendered tree, an object carrying what only
 * the constructs record (the model profile, the node shape). Anything else is a plain manifest, and its advice names
 * the manifest's fields: nobody wrote it with the constructs.
 */
export function renderedByConstructs(o: GraphObject): boolean {
  if (o.construct !== undefined) return true;
  const annotations = stringMap(mapping(o.manifest.metadata).annotations);
  return annotations[MODEL_PROFILE_ANNOTATION] !== undefined || annotations[NODE_SHAPE_ANNOTATION] !== undefined;
}

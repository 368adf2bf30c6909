import { Chart } from 'cdk8s';
import { Construct } from 'constructs';

/** The namespace an object lands in: the construct's own, else its chart's. Throws when neither is set. */
export function resolveNamespace(scope: Construct, where: string, namespace: string | undefined): string {
  const ns = namespace ?? Chart.of(scope).namespace;
  if (!ns) {
    throw new Error(`${where}: no namespace: set 'namespace' on the construct or on its Chart`);
  }
  return ns;
}

/** Kind and path of a construct, for error messages: `VllmRuntime serving/Runtime`. */
export function constructPath(kind: string, scope: Construct): string {
  return `${kind} ${scope.node.path}`;
}

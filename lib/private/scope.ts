import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';

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

/** Holds one piece of state in the construct tree; renders nothing. */
class StateHolder<T> extends Construct {
  constructor(
    scope: IConstruct,
    id: string,
    public readonly state: T,
  ) {
    super(scope, id);
  }
}

/**
 * State shared by the constructs under `scope` (an app's root, a chart), found through the construct tree: the
 * first caller creates it as a hidden child of `scope`, later ones find it there. Unlike a module-level map, it
 * lives and dies with its tree, and two apps never see each other's.
 */
export function stateIn<T>(scope: IConstruct, id: string, create: () => T): T {
  const found = scope.node.tryFindChild(id);
  if (found instanceof StateHolder) return found.state as T;
  if (found) throw new Error(`${scope.node.path || 'App'}: the id '${id}' is reserved by cdk8s-vllm; rename the construct that has it`);
  return new StateHolder(scope, id, create()).state;
}

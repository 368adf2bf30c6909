import { Construct } from 'constructs';
import { registerConstruct } from './app-checks';

/**
 * The base of every cdk8s-vllm construct. The first one created in an app registers the app's checks on the root
 * of the construct tree (once; later ones find them there), so no construct wires the rule engine itself and the
 * rules stay independent of the constructs: they see only the rendered objects, and which construct rendered them
 * (GraphObject.construct), for advice in the constructs' terms.
 */
export abstract class VllmConstruct extends Construct {
  protected constructor(scope: Construct, id: string) {
    super(scope, id);
    registerConstruct(this);
  }
}

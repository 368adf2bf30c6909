import { Lazy } from 'cdk8s';

/**
 * A value produced at synth, typed as what it produces. cdk8s's `Lazy.any` is typed `any`; the bindings'
 * fields want the value's own type, which this states once instead of a cast at every use.
 */
export function lazy<T>(produce: () => T): T {
  return Lazy.any({ produce }) as T;
}

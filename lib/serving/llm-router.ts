import { requireDnsSubdomain } from '../private/names';

/** How requests reach the pods: the managed llm-d router, an existing InferencePool, or none. */
export class LlmRouter {
  /** A managed Gateway route, HTTPRoute and inference scheduler (endpoint picker) with its own InferencePool. */
  public static managed(): LlmRouter {
    return new LlmRouter({ gateway: {}, route: {}, scheduler: {} });
  }

  /**
   * A managed route to an `InferencePool` (`inference.networking.k8s.io/v1`) of the namespace that exists already,
   * with its own endpoint picker.
   */
  public static existingPool(name: string): LlmRouter {
    requireDnsSubdomain('LlmRouter.existingPool', 'name', name);
    return new LlmRouter({ gateway: {}, route: {}, scheduler: { pool: { ref: { name } } } });
  }

  /** No router: clients call the workload Service directly (no LLM-aware scheduling). */
  public static none(): LlmRouter {
    return new LlmRouter(undefined);
  }

  private constructor(public readonly spec: Readonly<Record<string, unknown>> | undefined) {}
}

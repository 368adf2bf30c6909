import { Construct } from 'constructs';
import { ModelProfile } from '../planning/model-profile';
import { PriceList } from '../catalog/prices';
import { describeShape, longestServedContext, searchShapes, ShapeOption, unpricedTypes } from '../planning/plan';
import { constructPath } from '../private/scope';
import { requirePositiveInteger } from '../private/names';
import { WorkloadDemand } from './gpu-demand';
import { IGpuPlacement, NodeTaint } from './gpu-placement';
import { InstancePrices } from './instance-prices';
import { VllmConstruct } from '../check/app-construct';

/** Properties of a `PlannedPlacement`. */
export interface PlannedPlacementProps {
  /** The model to serve. */
  readonly model: ModelProfile;
  /** Longest sequence one request may have. */
  readonly maxModelLen: number;
  /**
   * Sequences of max-model-len the KV cache must hold at once.
   * @default 1
   */
  readonly minConcurrency?: number;
  /** Where the service may run: the planner picks the cheapest that serves the model. */
  readonly candidates: IGpuPlacement[];
  /** @default 0.9 */
  readonly gpuMemoryUtilization?: number;
  /**
   * Runners-up recorded in PLAN.md beside the choice.
   * @default 3
   */
  readonly runnersUp?: number;
  /**
   * The prices the choice is made by.
   * @default - the app's `InstancePrices`, else the catalog's on-demand list prices
   */
  readonly prices?: PriceList;
}

/**
 * A placement chosen by the planner at synth: of the candidate placements, the cheapest shape (node price, then
 * concurrency) on which the model starts and holds the target, with the tensor-parallel size and KV-cache dtype that
 * make it fit. A service placed here takes that tensor-parallel size (and an FP8 KV cache when the choice needs it)
 * unless it sets its own; PLAN.md records the choice and the runners-up, so the pull request shows why.
 */
export class PlannedPlacement extends VllmConstruct implements IGpuPlacement {
  /** The chosen candidate. */
  public readonly chosen: IGpuPlacement;
  /** The chosen shape, as the planner ranked it. */
  public readonly shape: ShapeOption;
  /** The next cheapest shapes among the candidates. */
  public readonly runnersUp: readonly ShapeOption[];

  constructor(scope: Construct, id: string, props: PlannedPlacementProps) {
    super(scope, id);
    const where = constructPath('PlannedPlacement', this);
    if (!Array.isArray(props.candidates) || !props.candidates.length)
      throw new Error(`${where}: candidates is empty; give the placements the planner may choose from`);
    // a number that is not one would end in "no candidate serves", a verdict on nothing
    requirePositiveInteger(where, 'maxModelLen', props.maxModelLen);
    if (props.minConcurrency !== undefined) requirePositiveInteger(where, 'minConcurrency', props.minConcurrency);
    if (
      props.gpuMemoryUtilization !== undefined &&
      !(typeof props.gpuMemoryUtilization === 'number' && props.gpuMemoryUtilization > 0 && props.gpuMemoryUtilization <= 1)
    ) {
      throw new Error(
        `${where}: gpuMemoryUtilization must be a number in (0, 1], got ${String(props.gpuMemoryUtilization)}; it is a fraction of each GPU's memory, e.g. 0.9`,
      );
    }
    if (props.runnersUp !== undefined && !(Number.isInteger(props.runnersUp) && props.runnersUp >= 0)) {
      throw new Error(`${where}: runnersUp must be a whole number, 0 or more, got ${String(props.runnersUp)}`);
    }
    const target = {
      model: props.model,
      maxModelLen: props.maxModelLen,
      minConcurrency: props.minConcurrency,
      gpuMemoryUtilization: props.gpuMemoryUtilization,
      instanceTypes: [...new Set(props.candidates.map((c) => c.instanceType))],
      prices: props.prices ?? InstancePrices.of(this),
    };
    // the choice is by price: a candidate without one cannot be weighed against the others
    const unpriced = unpricedTypes(target);
    if (unpriced.length) {
      throw new Error(
        `${where}: ${unpriced.map((t) => t.name).join(', ')} ${unpriced.length === 1 ? 'has' : 'have'} no price to rank ${unpriced.length === 1 ? 'it' : 'them'} by: ` +
          'give the shape a usdPerHour, or the app an InstancePrices with its price',
      );
    }
    const shapes = searchShapes(target);
    if (!shapes.length) {
      const longest = longestServedContext(target);
      throw new Error(
        `${where}: no candidate serves ${props.model.name} at max-model-len ${props.maxModelLen}` +
          (props.minConcurrency ? ` with ${props.minConcurrency} concurrent sequences` : '') +
          (longest.option ? `; the longest context a candidate serves is ${longest.maxModelLen} (${describeShape(longest.option)})` : '') +
          `: add a larger candidate (plan --shapes lists the catalog's) or lower maxModelLen`,
      );
    }
    this.shape = shapes[0];
    this.runnersUp = shapes.slice(1, 1 + (props.runnersUp ?? 3));
    this.chosen = props.candidates.find((c) => c.instanceType.name === this.shape.instanceType)!;
  }

  public get instanceType() {
    return this.chosen.instanceType;
  }

  public get nodeSelector(): { readonly [key: string]: string } {
    return this.chosen.nodeSelector;
  }

  public get taints(): readonly NodeTaint[] {
    return this.chosen.taints;
  }

  public get nodeCount(): number {
    return this.chosen.nodeCount;
  }

  public get description(): string {
    return `${this.chosen.description} (chosen by the planner)`;
  }

  /** The tensor-parallel size the choice needs. */
  public get tensorParallelSize(): number {
    return this.shape.tensorParallelSize;
  }

  public place(demand: WorkloadDemand): void {
    this.chosen.place(demand);
  }
}

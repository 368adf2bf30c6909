import { Construct, IConstruct } from 'constructs';
import { GpuInstanceType } from '../catalog/instance-type';
import { PriceList } from '../catalog/prices';
import { VllmConstruct } from '../check/app-construct';

/** Properties of `InstancePrices`. */
export interface InstancePricesProps {
  /**
   * A price file (JSON): instance type → USD per hour, or `{label, region, prices}` (see `PriceList`).
   * @default - `prices` must be given
   */
  readonly file?: string;
  /**
   * The prices themselves, in the same form as a price file.
   * @default - `file` must be given
   */
  readonly prices?: PriceList;
}

/**
 * The team's own prices for the whole app — committed-use, reserved, spot or negotiated, in its region — used instead of
 * the catalog's on-demand list prices by `PlannedPlacement` (which shape is cheapest) and PLAN.md (what it costs, and
 * from which source). Declare it on the app before the placements that should use it; renders nothing.
 */
export class InstancePrices extends VllmConstruct {
  /** The app's prices: the `InstancePrices` declared on the app `scope` belongs to, if any. */
  public static of(scope: IConstruct): PriceList | undefined {
    const root = scope.node.root;
    const found = root.node.children.filter((c): c is InstancePrices => c instanceof InstancePrices);
    return found[0]?.prices;
  }

  /** The prices. */
  public readonly prices: PriceList;

  constructor(scope: Construct, id: string, props: InstancePricesProps) {
    super(scope, id);
    const where = `InstancePrices ${this.node.path}`;
    if (scope.node.scope !== undefined)
      throw new Error(`${where}: declare it on the app itself (new InstancePrices(app, …)), so every chart uses the same prices`);
    if (scope.node.children.some((c) => c !== this && c instanceof InstancePrices))
      throw new Error(`${where}: the app already has InstancePrices; declare one per app`);
    if ((props.file === undefined) === (props.prices === undefined)) throw new Error(`${where}: give exactly one of file or prices`);
    try {
      this.prices = props.prices ?? PriceList.fromFile(props.file!);
      // a name the catalog does not know is a typo that would leave the list price in place; custom types carry usdPerHour
      this.prices.requireKnown(GpuInstanceType.all());
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
  }
}

import { GpuInstanceType } from '../catalog/instance-type';
import { PriceList } from '../catalog/prices';
import { InputError } from './command';

/** Reads `--prices <file>`: the team's price list, every name a catalog instance type; an input error otherwise. */
export function priceFileOption(file: string | undefined): PriceList | undefined {
  if (file === undefined) return undefined;
  try {
    const prices = PriceList.fromFile(file);
    prices.requireKnown(GpuInstanceType.all());
    return prices;
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

/** `--prices <file>`, declared once for the commands that read a price list; `use` says what the command does with it. */
export function pricesOption(use: string) {
  return {
    prices: { type: 'string', value: '<file>', help: `${use}; the file is JSON: instance type → USD per hour, or {label, region, prices}` },
  } as const;
}

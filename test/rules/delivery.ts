import { RuleFixture } from './fixture';

/** Fixtures of the delivery rules. */
export const DELIVERY_FIXTURES: Record<string, RuleFixture> = {};

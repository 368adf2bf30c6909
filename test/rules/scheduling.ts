import { RuleFixture } from './fixture';

/** Fixtures of the scheduling rules. */
export const SCHEDULING_FIXTURES: Record<string, RuleFixture> = {};

import { RuleFixture } from './fixture';

/** Fixtures of the serving rules. */
export const SERVING_FIXTURES: Record<string, RuleFixture> = {};

import { describeMutations } from './setup/fuzz-check';

// single-field mutations 601–900 of the seeded sequence (test/setup/fuzz-check.ts): one slice, so that workers run the slices side by side
describeMutations(600, 900);

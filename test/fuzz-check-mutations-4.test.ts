import { describeMutations } from './setup/fuzz-check';

// single-field mutations 901–1200 of the seeded sequence (test/setup/fuzz-check.ts): one slice, so that workers run the slices side by side
describeMutations(900, 1200);

import { describeMutations } from './setup/fuzz-check';

// single-field mutations 1–300 of the seeded sequence (test/setup/fuzz-check.ts): one slice, so that workers run the slices side by side
describeMutations(0, 300);

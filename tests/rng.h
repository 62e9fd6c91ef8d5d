/*
 * A reproducible random stream for the randomized tests: xorshift64*, its
 * state kept by the caller (a nonzero seed), so a failing seed repeats.
 */
#ifndef SMMU_TESTS_RNG_H
#define SMMU_TESTS_RNG_H

#include <stdint.h>

static inline uint64_t test_rnd(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * UINT64_C(0x2545F4914F6CDD1D);
}

/* A number below n. */
static inline unsigned test_pick(uint64_t *state, unsigned n)
{
	return (unsigned)(test_rnd(state) % n);
}

#endif /* SMMU_TESTS_RNG_H */

/*
 * Bit-field helpers in the style of the kernel's GENMASK/FIELD_GET/FIELD_PREP.
 *
 * Concepts: every architectural field in <smmu/arch.h> is a contiguous mask
 * of a 64-bit word.  Code never shifts by a bare number: it extracts a field
 * with SMMU_FIELD_GET(mask, word) and builds one with SMMU_FIELD_PREP(mask,
 * value).  With a constant mask both fold to a shift and an AND at -O1.
 * SMMU_FIELD_FITS() lets builders reject a value that would be truncated.
 */
#ifndef SMMU_BITS_H
#define SMMU_BITS_H

#include <stdbool.h>
#include <stdint.h>

#define SMMU_BIT(n) (UINT64_C(1) << (n))
/* Bits h..l inclusive, h >= l, both in [0, 63]. */
#define SMMU_GENMASK(h, l) \
	((~UINT64_C(0) << (l)) & (~UINT64_C(0) >> (63 - (h))))

#define SMMU_MASK_SHIFT(mask) ((unsigned)__builtin_ctzll(mask))

#define SMMU_FIELD_GET(mask, word) \
	((uint64_t)(((uint64_t)(word) & (uint64_t)(mask)) >> SMMU_MASK_SHIFT(mask)))
#define SMMU_FIELD_PREP(mask, val) \
	((((uint64_t)(val)) << SMMU_MASK_SHIFT(mask)) & (uint64_t)(mask))
/* True when val survives a PREP/GET round trip through mask. */
#define SMMU_FIELD_FITS(mask, val) \
	(((uint64_t)(val) & ~((uint64_t)(mask) >> SMMU_MASK_SHIFT(mask))) == 0)
/* Replace one field of word. */
#define SMMU_FIELD_SET(mask, word, val) \
	(((uint64_t)(word) & ~(uint64_t)(mask)) | SMMU_FIELD_PREP(mask, val))

static inline unsigned smmu_ilog2(uint64_t v)
{
	return v ? 63u - (unsigned)__builtin_clzll(v) : 0u;
}

static inline bool smmu_is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

#endif /* SMMU_BITS_H */

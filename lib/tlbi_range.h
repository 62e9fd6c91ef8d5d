/*
 * Ranged TLB and ATC invalidation maths.
 *
 * Concepts: an unmap of [iova, iova + size) must reach the IOTLB as
 * commands the SMMU understands.  Without range invalidation (IDR3.RIL)
 * that is one TLBI per granule.  With RIL one command covers
 * (NUM + 1) << SCALE pages of the leaf page size (TG), and a TTL hint tells
 * the SMMU which level the leaves live at; the range is split into as few
 * commands as NUM's five bits allow (the kernel's batch_add_range).  An
 * ATC_INV covers an aligned power-of-two span of 4 KiB pages, so the span
 * is grown to the smallest aligned one holding the range.  These functions
 * are pure: they describe the commands, the invalidation walk encodes them.
 */
#ifndef SMMU_LIB_TLBI_RANGE_H
#define SMMU_LIB_TLBI_RANGE_H

#include <stdbool.h>
#include <stdint.h>

/* One address-based TLBI; num/scale/tg/ttl are the command's field values. */
struct smmu_tlbi_range {
	uint64_t addr;
	unsigned num;   /* NUM field: range = (num + 1) << scale pages */
	unsigned scale;
	unsigned tg;    /* enum smmu_tlbi_tg; SMMU_TLBI_TG_NONE without RIL */
	unsigned ttl;   /* 0: no level hint */
	bool leaf;
};

struct smmu_tlbi_range_req {
	uint64_t iova;
	uint64_t size;        /* bytes, > 0 */
	uint64_t granule;     /* size of the unmapped leaves (or walk step) */
	unsigned pgsize_log2; /* log2 of the smallest page size (RIL only) */
	bool ril;
	bool leaf;
};

/* Called once per command, in address order; a non-zero return stops. */
typedef int (*smmu_tlbi_range_fn)(void *opaque,
				  const struct smmu_tlbi_range *cmd);

/*
 * Expand a request into commands.  Returns 0, the callback's first
 * non-zero return, or -EINVAL (size 0, granule not a power of two of at
 * least 4 KiB, RIL page size other than 4K/16K/64K, iova or size not
 * aligned to the page size, or a range that wraps).
 */
int smmu_tlbi_range_expand(const struct smmu_tlbi_range_req *req,
			   smmu_tlbi_range_fn fn, void *opaque);

/* ATC_INV address and SIZE field (2^size 4 KiB pages) for a range. */
struct smmu_atc_span {
	uint64_t addr;
	unsigned size_log2;
};

/* size 0, or a range reaching the end of the address space, means all. */
struct smmu_atc_span smmu_atc_inv_span(uint64_t iova, uint64_t size);

#endif /* SMMU_LIB_TLBI_RANGE_H */

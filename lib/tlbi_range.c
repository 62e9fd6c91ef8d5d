/*
 * Ranged TLB and ATC invalidation maths (see tlbi_range.h).
 *
 * Concepts: with RIL the remaining page count is consumed from its lowest
 * set bit upwards; each command takes SCALE = that bit's index and the
 * five bits of count from there (NUM + 1), so a range needs one command
 * per five-bit group of its page count that is not zero.  A non-leaf request (table freed) passes a nominal
 * granule, so no TTL hint is given; the kernel then avoids the
 * NUM = SCALE = 0 single-page form (an erratum on some SMMUs) by
 * widening an odd one-page remainder to two pages.
 */
#include <errno.h>
#include <smmu/arch.h>
#include <smmu/bits.h>

#include "tlbi_range.h"

#define TLBI_NUM_MASK (SMMU_TLBI_NUM_MAX - 1u)

static int tlbi_tg_encode(unsigned pgsize_log2)
{
	switch (pgsize_log2) {
	case SMMU_GRANULE_4K_LOG2:
		return SMMU_TLBI_TG_4K;
	case SMMU_GRANULE_16K_LOG2:
		return SMMU_TLBI_TG_16K;
	case SMMU_GRANULE_64K_LOG2:
		return SMMU_TLBI_TG_64K;
	default:
		return -1;
	}
}

/* Level the leaves of size granule live at, as TTL encodes it (1..3). */
static unsigned tlbi_ttl(uint64_t granule, unsigned pgsize_log2)
{
	unsigned bits_per_level = pgsize_log2 - SMMU_PTE_SIZE_LOG2;
	unsigned levels_above = (smmu_ilog2(granule) - SMMU_PTE_SIZE_LOG2) /
				bits_per_level;

	if (levels_above >= SMMU_MAX_LEVELS)
		return 0;
	/* Level-1 leaves do not exist with 16K pages (no DS): TTL 1 is illegal. */
	if (pgsize_log2 == SMMU_GRANULE_16K_LOG2 && levels_above == 3)
		return 0;
	return SMMU_MAX_LEVELS - levels_above;
}

static bool tlbi_range_req_valid(const struct smmu_tlbi_range_req *req)
{
	uint64_t page;

	if (!req->size || !smmu_is_pow2(req->granule) ||
	    req->granule < (UINT64_C(1) << SMMU_GRANULE_4K_LOG2) ||
	    req->iova + req->size < req->iova)
		return false;
	if (!req->ril)
		return true;
	if (tlbi_tg_encode(req->pgsize_log2) < 0)
		return false;
	page = UINT64_C(1) << req->pgsize_log2;
	return !(req->iova & (page - 1)) && !(req->size & (page - 1)) &&
	       req->granule >= page;
}

static int tlbi_expand_per_granule(const struct smmu_tlbi_range_req *req,
				   smmu_tlbi_range_fn fn, void *opaque)
{
	struct smmu_tlbi_range cmd = { .leaf = req->leaf };
	uint64_t end = req->iova + req->size;
	int ret;

	for (uint64_t iova = req->iova; iova < end; iova += req->granule) {
		cmd.addr = iova;
		ret = fn(opaque, &cmd);
		if (ret)
			return ret;
		if (iova + req->granule < iova)
			break;
	}
	return 0;
}

static int tlbi_expand_ril(const struct smmu_tlbi_range_req *req,
			   smmu_tlbi_range_fn fn, void *opaque)
{
	struct smmu_tlbi_range cmd = {
		.tg = (unsigned)tlbi_tg_encode(req->pgsize_log2),
		.leaf = req->leaf,
	};
	uint64_t pages = req->size >> req->pgsize_log2;
	uint64_t iova = req->iova;
	int ret;

	if (req->leaf)
		cmd.ttl = tlbi_ttl(req->granule, req->pgsize_log2);
	else if ((pages & TLBI_NUM_MASK) == 1)
		pages++;

	while (pages) {
		unsigned scale = (unsigned)__builtin_ctzll(pages);
		uint64_t num = (pages >> scale) & TLBI_NUM_MASK;

		cmd.addr = iova;
		cmd.scale = scale;
		cmd.num = (unsigned)num - 1u;
		ret = fn(opaque, &cmd);
		if (ret)
			return ret;
		pages -= num << scale;
		iova += num << (scale + req->pgsize_log2);
	}
	return 0;
}

int smmu_tlbi_range_expand(const struct smmu_tlbi_range_req *req,
			   smmu_tlbi_range_fn fn, void *opaque)
{
	if (!req || !fn || !tlbi_range_req_valid(req))
		return -EINVAL;
	if (req->ril)
		return tlbi_expand_ril(req, fn, opaque);
	return tlbi_expand_per_granule(req, fn, opaque);
}

struct smmu_atc_span smmu_atc_inv_span(uint64_t iova, uint64_t size)
{
	struct smmu_atc_span all = { .addr = 0, .size_log2 = SMMU_ATC_INV_SIZE_ALL };
	uint64_t first, last, diff;
	unsigned span;

	if (!size || iova + size - 1 < iova)
		return all;
	first = iova >> SMMU_ATC_INV_PAGE_LOG2;
	last = (iova + size - 1) >> SMMU_ATC_INV_PAGE_LOG2;
	diff = first ^ last;
	/* fls(): how many low page-number bits the span must cover */
	span = diff ? smmu_ilog2(diff) + 1u : 0u;
	if (span >= SMMU_ATC_INV_SIZE_ALL)
		return all;
	first &= ~((UINT64_C(1) << span) - 1);
	return (struct smmu_atc_span){
		.addr = first << SMMU_ATC_INV_PAGE_LOG2,
		.size_log2 = span,
	};
}

/*
 * The walk cache's entries (wcache.h has the concepts): a table descriptor
 * as an IOTLB fill, and back.
 */
#include "wcache.h"

bool smmu_wcache_lookup(struct smmu_iotlb *c, const struct smmu_iotlb_tag *tag, uint64_t ia,
			unsigned granule_log2, struct smmu_walk_table *t)
{
	const struct smmu_iotlb_entry *e = smmu_iotlb_lookup(c, tag, ia);

	if (!e || e->granule_log2 != granule_log2)
		return false;
	*t = (struct smmu_walk_table){
		.level = e->level, .span_log2 = e->size_log2, .granule_log2 = e->granule_log2,
		.next = e->oa, .attrs = SMMU_FIELD_PREP(SMMU_PTE_TBL_ATTRS, e->perms),
	};
	return true;
}

void smmu_wcache_insert(struct smmu_iotlb *c, const struct smmu_iotlb_tag *tag, bool global,
			uint64_t ia, const struct smmu_walk_table *t)
{
	struct smmu_iotlb_fill fill = {
		.ia = ia, .oa = t->next, .size_log2 = t->span_log2, .level = (unsigned)t->level,
		.granule_log2 = t->granule_log2,
		.perms = (unsigned)SMMU_FIELD_GET(SMMU_PTE_TBL_ATTRS, t->attrs),
		.global = global, .table = true,
	};

	/* A walk cache may always forget: an entry it cannot keep is not kept. */
	(void)smmu_iotlb_insert(c, tag, &fill);
}

bool smmu_wcache_tlbi(const struct smmu_tlbi *req, struct smmu_tlbi *out)
{
	if (req->leaf)
		return false;
	*out = *req;
	out->ttl = 0;
	return true;
}

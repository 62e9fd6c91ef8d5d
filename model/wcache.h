/*
 * The walk cache of weakest-legal mode: table descriptors walks have read.
 *
 * Concepts: an SMMU may keep the table descriptors of a walk (the
 * architecture's walk caches) and start later walks for the same tag from
 * the deepest one on the address's path, without reading the tables above
 * it again; only a TLBI that is not Leaf-only (Leaf = 0, or a whole-tag
 * TLBI) has to remove them.  The weakest-legal model does exactly that, so
 * a driver that frees or replaces a table and invalidates with Leaf = 1
 * keeps walking the old one, as hardware may.  The entries live in an
 * IOTLB instance of their own (iotlb.h, fill.table), covering what their
 * level covers and tagged like the translations of their stage (a nested
 * stream's stage-1 descriptors with its nested tag, every stage-2 one with
 * its VMID's stage-2 tag), so TLBI scopes, deferral to the CMD_SYNC and
 * eviction are the IOTLB's.  A range
 * TLBI's TTL names the level of the leaf, not of the tables above it, so
 * it does not spare table entries (over-invalidation is always legal).
 */
#ifndef SMMU_MODEL_WCACHE_H
#define SMMU_MODEL_WCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "iotlb.h"
#include "tlb.h"
#include "walk.h"

/* The deepest table descriptor cached on ia's path, for this granule. */
bool smmu_wcache_lookup(struct smmu_iotlb *c, const struct smmu_iotlb_tag *tag, uint64_t ia,
			unsigned granule_log2, struct smmu_walk_table *t);
/* Keep a table descriptor a walk read for ia (dropped if it cannot be kept). */
void smmu_wcache_insert(struct smmu_iotlb *c, const struct smmu_iotlb_tag *tag, bool global,
			uint64_t ia, const struct smmu_walk_table *t);
/* What a TLBI asks of a walk cache, in *out; false when nothing (Leaf = 1). */
bool smmu_wcache_tlbi(const struct smmu_tlbi *req, struct smmu_tlbi *out);

#endif /* SMMU_MODEL_WCACHE_H */

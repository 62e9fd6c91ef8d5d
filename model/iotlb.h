/*
 * The model's simulated IOTLB: cached leaf translations and their exact
 * invalidation scopes.
 *
 * Concepts: an entry maps one block or page (of any granule and level) of
 * input addresses to output addresses with the permissions its walk
 * granted.  Entries are grouped by tag: kind (stage 1 only, stage 2 only,
 * nested stage 1+2 combined, or EL2), VMID, and ASID or "global" (nG == 0).
 * A hash indexed by (group, aligned input address, size) makes a hit cost
 * one probe per leaf size that group has cached, and each group keeps a
 * list of its entries so that invalidating a tag or a range touches only
 * the entries it can remove, however full the IOTLB is.  Capacity is fixed;
 * a full IOTLB evicts with the clock algorithm.  The IOTLB holds leaf
 * entries only, so TLBI Leaf=0 and Leaf=1 remove the same entries; the
 * walk cache (wcache.h) is an instance of its own that holds table entries
 * instead (fill.table: the output is the next-level table, kept whole).
 * Not thread-safe: the translation layer serialises access.
 */
#ifndef SMMU_MODEL_IOTLB_H
#define SMMU_MODEL_IOTLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <smmu/arch.h>

#include "tlb.h"

enum smmu_iotlb_kind {
	SMMU_IOTLB_S1,           /* stage 1 only (tagged with the STE's VMID) */
	SMMU_IOTLB_S2,           /* stage 2 only: IPA -> PA, no ASID */
	SMMU_IOTLB_NESTED,       /* stage 1 + 2 combined: VA -> PA */
	SMMU_IOTLB_EL2,          /* EL2 / EL2-E2H stage 1: no VMID */
	SMMU_IOTLB_KINDS,
};

struct smmu_iotlb_tag {
	enum smmu_iotlb_kind kind;
	uint16_t vmid;           /* ignored for EL2 */
	uint16_t asid;           /* ignored for S2 */
};

/* A cached translation; at most 64 bytes with its share of the index. */
struct smmu_iotlb_entry {
	uint64_t ia;             /* input base, aligned to 1 << size_log2 */
	uint64_t oa;             /* output base, same alignment */
	uint32_t group;          /* tag group; SMMU_IOTLB_NONE when free */
	uint32_t hash_next;      /* address-hash chain, or free list */
	uint32_t group_next;
	uint32_t group_prev;
	uint8_t size_log2;
	uint8_t level;           /* stage-1 level for nested entries */
	uint8_t granule_log2;    /* stage-1 granule for nested entries */
	uint8_t perms;           /* enum smmu_perm */
	uint8_t memattr;
	bool global;
	bool referenced;         /* clock bit */
	bool table;              /* a walk-cache entry: oa is a table's address */
};

#define SMMU_IOTLB_NONE UINT32_MAX

/* What the walk found, to be cached. */
struct smmu_iotlb_fill {
	uint64_t ia;             /* any address inside the leaf */
	uint64_t oa;             /* its output address */
	unsigned size_log2;
	unsigned level;
	unsigned granule_log2;
	unsigned perms;
	uint8_t memattr;
	bool global;
	bool table;              /* a table descriptor: oa is not aligned to the size */
};

struct smmu_iotlb_stats {
	uint64_t hits;
	uint64_t misses;
	uint64_t inserts;
	uint64_t evictions;
	/*
	 * Inserts at an address already cached, which change what a lookup
	 * finds there: an entry overwritten in place, or one a lookup now
	 * finds the new entry before.
	 */
	uint64_t overlaps;
	uint64_t invalidated;
	/* Entries removed, by TLBI opcode. */
	uint64_t invalidated_by_op[SMMU_CMD_IMPDEF_FIRST];
};

struct smmu_iotlb;

/* NULL with errno EINVAL (capacity 0 or too large) or ENOMEM. */
struct smmu_iotlb *smmu_iotlb_new(size_t capacity);
void smmu_iotlb_free(struct smmu_iotlb *t);

/* The entry translating addr for tag (its own ASID, else global), or NULL. */
const struct smmu_iotlb_entry *smmu_iotlb_lookup(struct smmu_iotlb *t,
						 const struct smmu_iotlb_tag *tag,
						 uint64_t addr);
/* The same without counting it or touching its clock bit. */
const struct smmu_iotlb_entry *smmu_iotlb_peek(struct smmu_iotlb *t,
					       const struct smmu_iotlb_tag *tag,
					       uint64_t addr);
/* Cache a translation (replacing an equal one); 0, -EINVAL or -ENOMEM. */
int smmu_iotlb_insert(struct smmu_iotlb *t, const struct smmu_iotlb_tag *tag,
		      const struct smmu_iotlb_fill *fill);
/* Apply one TLBI_* command; returns the number of entries removed. */
size_t smmu_iotlb_invalidate(struct smmu_iotlb *t, const struct smmu_tlbi *req);
void smmu_iotlb_flush_all(struct smmu_iotlb *t);
/*
 * Weakest-legal hardware completes a TLBI no earlier than the CMD_SYNC
 * that follows it: queue it (0 or -ENOMEM) and apply the queue at the sync.
 */
int smmu_iotlb_defer(struct smmu_iotlb *t, const struct smmu_tlbi *req);
size_t smmu_iotlb_sync(struct smmu_iotlb *t);
/* TLBIs deferred to the next smmu_iotlb_sync. */
size_t smmu_iotlb_deferred(const struct smmu_iotlb *t);

size_t smmu_iotlb_count(const struct smmu_iotlb *t);
/* Entries of one tag (non-global ones for ASID-tagged kinds). */
size_t smmu_iotlb_count_tag(const struct smmu_iotlb *t, const struct smmu_iotlb_tag *tag);
size_t smmu_iotlb_capacity(const struct smmu_iotlb *t);
/* Memory held per entry of capacity, index included. */
size_t smmu_iotlb_bytes_per_entry(const struct smmu_iotlb *t);
const struct smmu_iotlb_stats *smmu_iotlb_stats(const struct smmu_iotlb *t);

#endif /* SMMU_MODEL_IOTLB_H */

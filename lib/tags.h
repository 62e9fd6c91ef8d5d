/*
 * IOTLB cache tags: the ASID and VMID an attachment uses on one SMMU.
 *
 * Concepts (linux-driver.md 2, patches 03-08): a tag is not a property of
 * a domain but of the domain's attachment to one SMMU, and lives as entry
 * 0 of each master's contribution to the domain's invalidation array.
 * find_iotlb_tag looks in that array for a live tag of the right type on
 * the SMMU; alloc_iotlb_tag reuses it or takes a fresh ID: an ASID from
 * the map shared by every SMMU of the tag context (bounded by each SMMU's
 * asid_bits), a VMID from the SMMU's own map, or the vSMMU's VMID for a
 * nested domain.  iotlb_tag_free runs when the last user of a tag
 * detaches: it invalidates everything the IOTLB holds for the tag (with a
 * CMD_SYNC) and only then releases the ID, so an ID in a map's free pool
 * is always clean.  The tag context also holds the attach lock (the
 * kernel's arm_smmu_asid_lock), which serialises every change to tags and
 * invalidation arrays of the SMMUs that share it.
 */
#ifndef SMMU_LIB_TAGS_H
#define SMMU_LIB_TAGS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <smmu/domain.h>

#include "invs.h"

struct smmu_idmap;

struct smmu_tag_ctx {
	pthread_mutex_t lock;           /* the attach lock */
	struct smmu_idmap *asid_map;    /* [1, 2^16 - 1], ASID -> domain */
	unsigned users;                 /* probed SMMUs and live domains */
	bool implicit;                  /* made by probe: freed with its last user */
};

/* Probe/remove: join opts.tags (or a private context) and make the VMID map. */
int smmu_tags_dev_init(struct smmu_dev *dev);
void smmu_tags_dev_fini(struct smmu_dev *dev);

/* A domain keeps its context (its ASID space and lock) alive. */
void smmu_tag_ctx_get(struct smmu_tag_ctx *ctx);
void smmu_tag_ctx_put(struct smmu_tag_ctx *ctx);

void smmu_attach_lock(struct smmu_tag_ctx *ctx);
void smmu_attach_unlock(struct smmu_tag_ctx *ctx);

/* The tag type a domain of this type uses; false for identity/blocked. */
bool smmu_domain_tag_type(enum smmu_domain_type type, enum smmu_inv_type *out);

/*
 * The live tag the domain's array holds for smmu: 0, or -ENOENT.  For a
 * nested domain the array is its stage-2 parent's and the tag the vSMMU's.
 * Caller holds the attach lock (or accepts a racy answer).
 */
int smmu_find_iotlb_tag(struct smmu_domain *domain, struct smmu_dev *smmu,
			struct smmu_inv_tag *tag);
/* A VMID from the SMMU's map, lowest free first: 0, -ENOSPC, -EINVAL. */
int smmu_vmid_alloc(struct smmu_dev *smmu, void *owner, uint32_t *id);

/*
 * Find, else allocate: 0 with *tag and *fresh (true when a new ID was
 * taken, which the caller must give back with smmu_iotlb_tag_release if
 * the attach fails before anyone used it), -ENOSPC (nothing taken),
 * -EINVAL.  Caller holds the attach lock.
 */
int smmu_alloc_iotlb_tag(struct smmu_domain *domain, struct smmu_dev *smmu,
			 struct smmu_inv_tag *tag, bool *fresh);
/* Return an ID the hardware never saw (no flush needed). */
void smmu_iotlb_tag_release(const struct smmu_inv_tag *tag);
/*
 * The tag lost its last user: TLBI everything for it + CMD_SYNC, then
 * release the ID.  A vSMMU's VMID is left to the vSMMU.  If the flush
 * fails the ID is kept out of the pool for good: reusing it could expose
 * stale translations.
 */
void smmu_iotlb_tag_free(const struct smmu_inv_tag *tag);

#endif /* SMMU_LIB_TAGS_H */

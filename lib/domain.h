/*
 * Domains and virtual SMMUs (internal view; the API is <smmu/domain.h>).
 *
 * Concepts: a paging domain owns an io-pgtable and an invalidation array
 * published under RCU; it keeps no list of SMMUs or masters, only the
 * array (whose entries say which SMMU queues to invalidate on) and a count
 * of attachments (and vSMMUs built on it) so it cannot be freed in use.  The compatibility
 * data (stage, page sizes, address sizes, coherent walk) is what the
 * kernel's can_share rule compares with each SMMU the domain meets.
 * Identity and blocked domains have no page table and no tags.  A nested
 * domain holds only the guest's STE words: its translations are its
 * vSMMU's stage-2 parent, whose array also carries its invalidations.
 * Fields changed on attach/detach are changed under the tag context's
 * attach lock.
 */
#ifndef SMMU_LIB_DOMAIN_H
#define SMMU_LIB_DOMAIN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <smmu/domain.h>

#include "dev.h"
#include "invs.h"

struct smmu_pgtable;

/* Leaves unmapped by one map/unmap call, invalidated together. */
struct smmu_domain_gather {
	uint64_t start, end;    /* end == 0: empty */
	uint64_t granule;
	int err;
};

struct smmu_domain {
	enum smmu_domain_type type;
	struct smmu_tag_ctx *tags;      /* the ASID space it may use */
	struct smmu_pgtable *pgtable;   /* S1 and S2 only */
	struct smmu_invs *invs;         /* RCU-published; never NULL */
	/* What can_share compares. */
	uint64_t pgsize_bitmap;
	unsigned ias_bits, oas_bits;
	bool coherent_walk;
	bool nest_parent;
	/* NESTED only. */
	struct smmu_vsmmu *vsmmu;
	uint64_t guest_ste[2];
	unsigned refs;                  /* attachments and vSMMUs using it */
	pthread_mutex_t gather_lock;    /* one gather per map/unmap */
	struct smmu_domain_gather gather;
};

struct smmu_vsmmu {
	struct smmu_dev *dev;
	struct smmu_domain *s2_parent;
	uint32_t vmid;
	unsigned nested;                /* nested domains allocated on it */
};

static inline bool smmu_domain_is_paging(const struct smmu_domain *d)
{
	return d->type == SMMU_DOMAIN_S1 || d->type == SMMU_DOMAIN_S2 ||
	       d->type == SMMU_DOMAIN_NESTED;
}

/* The domain whose array and page table serve d's translations. */
static inline struct smmu_domain *smmu_domain_devices(struct smmu_domain *d)
{
	return d->type == SMMU_DOMAIN_NESTED ? d->vsmmu->s2_parent : d;
}

/* May d be attached to masters of smmu (the kernel's domain_can_share)? */
bool smmu_domain_can_share(const struct smmu_domain *d,
			   const struct smmu_dev *smmu);

/* Invalidate everything (size 0) or a range of d through its array. */
int smmu_domain_inv_range(struct smmu_domain *d, uint64_t iova, uint64_t size,
			  uint64_t granule, bool leaf);

#endif /* SMMU_LIB_DOMAIN_H */

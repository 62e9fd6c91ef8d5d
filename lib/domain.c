/*
 * Domains: io-pgtable ownership, map/unmap with gathered invalidation,
 * and the can_share rule.
 *
 * Concepts: the page table reports what it changed through three hooks.
 * Unmapped leaves are gathered into one contiguous range of one leaf size
 * (a disjoint leaf or a different size flushes the gather first, as the
 * kernel's iommu_iotlb_gather does, because one TLBI range carries one
 * TTL hint) and invalidated once when the call returns; table pages
 * unhooked mid-walk are invalidated at once as non-leaf (the walk caches
 * must forget them before the page is freed); a full flush is a size-0
 * walk.  Invalidation walks the domain's published array under RCU and
 * sends the commands to each SMMU's queue (smmu_invs_inv_range_cmdq).
 */
#include <errno.h>
#include <stdlib.h>
#include <smmu/arch.h>

#include "cmdq.h"
#include "domain.h"
#include "log.h"
#include "pgtable.h"
#include "tags.h"

#define PGTABLE_MAX_BITS 48u

void smmu_thread_register(void)
{
	urcu_memb_register_thread();
}

void smmu_thread_unregister(void)
{
	urcu_memb_unregister_thread();
}

int smmu_domain_inv_range(struct smmu_domain *d, uint64_t iova, uint64_t size,
			  uint64_t granule, bool leaf)
{
	return smmu_invs_inv_range_cmdq(&d->invs, iova, size, granule, leaf);
}

/* ---- io-pgtable hooks and the gather ------------------------------------ */

static void gather_note_err(struct smmu_domain *d, int err)
{
	if (err && !d->gather.err)
		d->gather.err = err;
}

static void gather_sync(struct smmu_domain *d)
{
	struct smmu_domain_gather *g = &d->gather;

	if (g->end == g->start)
		return;
	gather_note_err(d, smmu_domain_inv_range(d, g->start, g->end - g->start,
						 g->granule, true));
	g->start = g->end = 0;
}

static void domain_tlb_add_page(void *cookie, uint64_t iova, uint64_t granule)
{
	struct smmu_domain *d = cookie;
	struct smmu_domain_gather *g = &d->gather;

	if (g->end != g->start &&
	    (granule != g->granule || (iova != g->end && iova + granule != g->start)))
		gather_sync(d);
	if (g->end == g->start) {
		g->start = iova;
		g->end = iova + granule;
		g->granule = granule;
		return;
	}
	if (iova < g->start)
		g->start = iova;
	else
		g->end = iova + granule;
}

static void domain_tlb_flush_walk(void *cookie, uint64_t iova, uint64_t size,
				  uint64_t granule)
{
	struct smmu_domain *d = cookie;

	gather_note_err(d, smmu_domain_inv_range(d, iova, size, granule, false));
}

static void domain_tlb_flush_all(void *cookie)
{
	struct smmu_domain *d = cookie;

	/*
	 * Only smmu_pgtable_destroy flushes everything, and a domain is freed
	 * unattached: its array is empty, and every tag it held was flushed
	 * when its last user left.
	 */
	if (d->refs)
		smmu_domain_inv_range(d, 0, 0, 0, false);
}

static const struct smmu_pgtable_flush_ops domain_flush_ops = {
	.tlb_flush_all = domain_tlb_flush_all,
	.tlb_flush_walk = domain_tlb_flush_walk,
	.tlb_add_page = domain_tlb_add_page,
};

/* ---- Allocation ---------------------------------------------------------- */

static int pick_granule(const struct smmu_dev *dev, unsigned want, unsigned *out)
{
	static const unsigned granules[] = {
		SMMU_GRANULE_4K_LOG2, SMMU_GRANULE_16K_LOG2, SMMU_GRANULE_64K_LOG2,
	};

	for (unsigned i = 0; i < sizeof(granules) / sizeof(granules[0]); i++) {
		if (want && want != granules[i])
			continue;
		if (dev->feat.pgsize_bitmap & (UINT64_C(1) << granules[i])) {
			*out = granules[i];
			return 0;
		}
	}
	return -EINVAL;
}

static unsigned cap_bits(unsigned bits)
{
	return bits < PGTABLE_MAX_BITS ? bits : PGTABLE_MAX_BITS;
}

static int domain_init_pgtable(struct smmu_domain *d, struct smmu_dev *dev,
			       const struct smmu_domain_config *cfg)
{
	bool s1 = cfg->type == SMMU_DOMAIN_S1;
	struct smmu_pgtable_cfg pcfg = {
		.stage = s1 ? SMMU_PGTABLE_S1 : SMMU_PGTABLE_S2,
		.oas = cap_bits(dev->feat.oas_bits),
		.coherent_walk = dev->feat.coherent,
		.plat = &dev->plat,
		.tlb = &domain_flush_ops,
		.cookie = d,
	};
	unsigned max_ias = cap_bits(s1 ? dev->feat.ias_bits : dev->feat.oas_bits);
	int ret;

	if ((s1 && !dev->feat.trans_s1) || (!s1 && !dev->feat.trans_s2) ||
	    (cfg->nest_parent && (s1 || !dev->feat.nesting)) ||
	    cfg->ias_bits > max_ias)
		return -EINVAL;
	ret = pick_granule(dev, cfg->granule_log2, &pcfg.granule_log2);
	if (ret)
		return ret;
	pcfg.ias = cfg->ias_bits ? cfg->ias_bits : max_ias;
	ret = smmu_pgtable_create(&pcfg, &d->pgtable);
	if (ret)
		return ret;
	d->pgsize_bitmap = smmu_pgtable_pgsize_bitmap(d->pgtable);
	d->ias_bits = pcfg.ias;
	d->oas_bits = pcfg.oas;
	d->coherent_walk = pcfg.coherent_walk;
	d->nest_parent = cfg->nest_parent;
	return 0;
}

/* The bits a guest may set in its STE (linux-driver.md 4.1). */
#define GUEST_STE0_BITS (SMMU_STE0_V | SMMU_STE0_CONFIG | SMMU_STE0_S1FMT | \
			 SMMU_STE0_S1CTXPTR | SMMU_STE0_S1CDMAX)
#define GUEST_STE1_BITS (SMMU_STE1_S1DSS | SMMU_STE1_S1CIR | SMMU_STE1_S1COR | \
			 SMMU_STE1_S1CSH | SMMU_STE1_S1STALLD | SMMU_STE1_EATS)

static bool guest_ste_valid(const uint64_t ste[2])
{
	unsigned config = (unsigned)SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]);

	if ((ste[0] & ~GUEST_STE0_BITS) || (ste[1] & ~GUEST_STE1_BITS))
		return false;
	if (!(ste[0] & SMMU_STE0_V))
		return true;
	return config == SMMU_STE_CFG_ABORT || config == SMMU_STE_CFG_BYPASS ||
	       config == SMMU_STE_CFG_S1;
}

static int domain_init_nested(struct smmu_domain *d, struct smmu_dev *dev,
			      const struct smmu_domain_config *cfg)
{
	struct smmu_vsmmu *v = cfg->vsmmu;

	if (!v || v->dev != dev || !guest_ste_valid(cfg->guest_ste))
		return -EINVAL;
	d->vsmmu = v;
	d->guest_ste[0] = cfg->guest_ste[0];
	d->guest_ste[1] = cfg->guest_ste[1];
	smmu_attach_lock(dev->tags);
	v->nested++;
	smmu_attach_unlock(dev->tags);
	return 0;
}

static int domain_init(struct smmu_domain *d, struct smmu_dev *dev,
		       const struct smmu_domain_config *cfg)
{
	switch (cfg->type) {
	case SMMU_DOMAIN_BLOCKED:
	case SMMU_DOMAIN_IDENTITY:
		return cfg->nest_parent || cfg->vsmmu ? -EINVAL : 0;
	case SMMU_DOMAIN_S1:
	case SMMU_DOMAIN_S2:
		return cfg->vsmmu ? -EINVAL : domain_init_pgtable(d, dev, cfg);
	case SMMU_DOMAIN_NESTED:
		return cfg->nest_parent ? -EINVAL : domain_init_nested(d, dev, cfg);
	default:
		return -EINVAL;
	}
}

int smmu_domain_alloc(struct smmu_dev *dev, const struct smmu_domain_config *cfg,
		      struct smmu_domain **out)
{
	struct smmu_domain *d;
	int ret;

	if (!dev || !cfg || !out || !dev->tags)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->type = cfg->type;
	d->tags = dev->tags;
	/* Readers never see NULL: an empty array from the start. */
	d->invs = smmu_invs_alloc(0);
	if (!d->invs || pthread_mutex_init(&d->gather_lock, NULL)) {
		smmu_invs_free(d->invs);
		free(d);
		return -ENOMEM;
	}
	ret = domain_init(d, dev, cfg);
	if (ret) {
		if (ret == -EINVAL)
			smmu_warn(dev, "domain of type %d: configuration not usable here",
				  (int)cfg->type);
		pthread_mutex_destroy(&d->gather_lock);
		smmu_invs_free(d->invs);
		free(d);
		return ret;
	}
	smmu_tag_ctx_get(d->tags);
	*out = d;
	return 0;
}

int smmu_domain_free(struct smmu_domain *d)
{
	if (!d)
		return -EINVAL;
	smmu_attach_lock(d->tags);
	if (d->refs) {
		smmu_attach_unlock(d->tags);
		return -EBUSY;
	}
	if (d->type == SMMU_DOMAIN_NESTED)
		d->vsmmu->nested--;
	smmu_attach_unlock(d->tags);
	smmu_pgtable_destroy(d->pgtable);
	smmu_tag_ctx_put(d->tags);
	pthread_mutex_destroy(&d->gather_lock);
	smmu_invs_free(d->invs);
	free(d);
	return 0;
}

enum smmu_domain_type smmu_domain_type(const struct smmu_domain *d)
{
	return d ? d->type : SMMU_DOMAIN_BLOCKED;
}

/* ---- Map, unmap, lookups ------------------------------------------------ */

static bool has_pgtable(const struct smmu_domain *d)
{
	return d && d->pgtable;
}

int smmu_domain_map(struct smmu_domain *d, uint64_t iova, uint64_t pa,
		    uint64_t size, unsigned prot)
{
	int ret;

	if (!has_pgtable(d))
		return -EINVAL;
	pthread_mutex_lock(&d->gather_lock);
	d->gather = (struct smmu_domain_gather){ 0 };
	ret = smmu_pgtable_map(d->pgtable, iova, pa, size, prot);
	/* A failed map unmapped what it had mapped: forget it everywhere. */
	gather_sync(d);
	pthread_mutex_unlock(&d->gather_lock);
	return ret;
}

int64_t smmu_domain_unmap(struct smmu_domain *d, uint64_t iova, uint64_t size)
{
	uint64_t unmapped;
	int err;

	if (!has_pgtable(d))
		return -EINVAL;
	pthread_mutex_lock(&d->gather_lock);
	d->gather = (struct smmu_domain_gather){ 0 };
	unmapped = smmu_pgtable_unmap(d->pgtable, iova, size);
	gather_sync(d);
	err = d->gather.err;
	pthread_mutex_unlock(&d->gather_lock);
	return err ? err : (int64_t)unmapped;
}

int smmu_domain_iova_to_phys(struct smmu_domain *d, uint64_t iova, uint64_t *pa)
{
	if (!has_pgtable(d) || !pa)
		return -EINVAL;
	return smmu_pgtable_iova_to_phys(d->pgtable, iova, pa);
}

int smmu_domain_get_tag(struct smmu_domain *d, struct smmu_dev *dev,
			uint32_t *id)
{
	enum smmu_inv_type type;
	struct smmu_inv_tag tag;
	int ret;

	if (!d || !dev || !id)
		return -EINVAL;
	if (!smmu_domain_tag_type(d->type, &type))
		return -ENOENT;
	smmu_attach_lock(d->tags);
	ret = smmu_find_iotlb_tag(d, dev, &tag);
	smmu_attach_unlock(d->tags);
	if (!ret)
		*id = tag.id;
	return ret;
}

/* ---- Sharing a domain across SMMUs (linux-driver.md 2, patch 10) -------- */

bool smmu_domain_can_share(const struct smmu_domain *d, const struct smmu_dev *smmu)
{
	const struct smmu_features *f = &smmu->feat;

	if (d->tags != smmu->tags)
		return false;   /* another ASID space and attach lock */
	switch (d->type) {
	case SMMU_DOMAIN_BLOCKED:
	case SMMU_DOMAIN_IDENTITY:
		return true;
	case SMMU_DOMAIN_NESTED:
		return d->vsmmu->dev == smmu;
	case SMMU_DOMAIN_S1:
		if (!f->trans_s1 || d->ias_bits > f->ias_bits)
			return false;
		break;
	case SMMU_DOMAIN_S2:
		if (!f->trans_s2 || d->ias_bits > f->oas_bits ||
		    (d->nest_parent && !f->nesting))
			return false;
		break;
	}
	return (d->pgsize_bitmap & ~f->pgsize_bitmap) == 0 &&
	       d->oas_bits <= f->oas_bits && (!d->coherent_walk || f->coherent);
}

/*
 * Per-master CD tables, linear or two-level (see cdtab.h).
 *
 * Concepts: the table memory is DMA memory from the platform; the driver
 * writes it through CPU pointers with single 64-bit stores (entry.h) and
 * the SMMU reads it at the bus addresses.  Every table is allocated
 * naturally aligned to its size (at least 64 bytes), which satisfies the
 * alignment S1ContextPtr and L1CD.L2Ptr demand.  A failed allocation
 * leaves the table exactly as it was.
 */
#include "cdtab.h"

#include <errno.h>
#include <stdlib.h>

#include "entry.h"

#define CDS_PER_LEAF  (1u << SMMU_CD_L2_SHIFT_64K)
#define LEAF_SIZE     ((size_t)CDS_PER_LEAF * SMMU_CD_SIZE)
/* Without CD2L the kernel caps a linear table at one leaf's worth. */
#define LINEAR_MAX_BITS SMMU_CD_L2_SHIFT_64K
#define MIN_TABLE_ALIGN 64u

struct cdtab_leaf {
	uint64_t *cpu;
	uint64_t bus;
};

struct smmu_cdtab {
	const struct smmu_platform *plat;
	struct smmu_cdtab_inv inv;
	unsigned s1fmt, s1cdmax;
	uint64_t *table;        /* the CDs (linear) or the L1 descriptors */
	uint64_t table_bus;
	size_t table_size;
	struct cdtab_leaf *leaves;      /* two-level only */
	unsigned num_leaves;
	unsigned used_ssids;
};

/* The writer's sync for one CD: invalidate it through every SID. */
struct cd_sync_ctx {
	const struct smmu_cdtab *tab;
	uint32_t ssid;
};

static int cd_sync(void *ctx)
{
	const struct cd_sync_ctx *c = ctx;

	return c->tab->inv.inv_cd(c->tab->inv.ctx, c->ssid, true);
}

static const struct smmu_entry_ops cd_entry_ops = {
	.num_words = SMMU_CD_DWORDS,
	.get_used = smmu_cd_get_used,
	.sync = cd_sync,
};

static size_t table_bytes(size_t size)
{
	return size < MIN_TABLE_ALIGN ? MIN_TABLE_ALIGN : size;
}

static int table_alloc(const struct smmu_platform *plat, size_t size,
		       uint64_t **cpu, uint64_t *bus)
{
	void *ptr;
	int ret = plat->dma_alloc(plat->opaque, table_bytes(size),
				  table_bytes(size), &ptr, bus);

	if (ret)
		return ret;
	*cpu = ptr;
	return 0;
}

static void table_free(const struct smmu_platform *plat, uint64_t *cpu,
		       uint64_t bus, size_t size)
{
	plat->dma_free(plat->opaque, cpu, bus, table_bytes(size));
}

static int cdtab_alloc_tables(struct smmu_cdtab *tab)
{
	size_t num_cds = (size_t)1 << tab->s1cdmax;

	if (tab->s1fmt == SMMU_S1FMT_LINEAR) {
		tab->table_size = num_cds * SMMU_CD_SIZE;
	} else {
		tab->num_leaves = (unsigned)(num_cds / CDS_PER_LEAF);
		tab->leaves = calloc(tab->num_leaves, sizeof(*tab->leaves));
		if (!tab->leaves)
			return -ENOMEM;
		tab->table_size = (size_t)tab->num_leaves * SMMU_L1_DESC_SIZE;
	}
	return table_alloc(tab->plat, tab->table_size, &tab->table,
			   &tab->table_bus);
}

int smmu_cdtab_new(struct smmu_dev *dev, unsigned master_ssid_bits,
		   const struct smmu_cdtab_inv *inv, struct smmu_cdtab **out)
{
	struct smmu_cdtab *tab;
	unsigned bits;
	int ret;

	if (!dev || !inv || !inv->inv_cd || !out || !dev->feat.trans_s1 ||
	    !dev->plat.dma_alloc || !dev->plat.dma_free ||
	    !SMMU_FIELD_FITS(SMMU_STE0_S1CDMAX, dev->feat.ssid_bits))
		return -EINVAL;
	bits = master_ssid_bits < dev->feat.ssid_bits ? master_ssid_bits :
							dev->feat.ssid_bits;
	if (!dev->feat.cd2l && bits > LINEAR_MAX_BITS)
		bits = LINEAR_MAX_BITS;

	tab = calloc(1, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	tab->plat = &dev->plat;
	tab->inv = *inv;
	tab->s1cdmax = bits;
	tab->s1fmt = bits > SMMU_CD_L2_SHIFT_64K ? SMMU_S1FMT_1024_L2 :
						   SMMU_S1FMT_LINEAR;
	ret = cdtab_alloc_tables(tab);
	if (ret) {
		free(tab->leaves);
		free(tab);
		return ret;
	}
	*out = tab;
	return 0;
}

void smmu_cdtab_free(struct smmu_cdtab *tab)
{
	if (!tab)
		return;
	for (unsigned i = 0; i < tab->num_leaves; i++)
		if (tab->leaves[i].cpu)
			table_free(tab->plat, tab->leaves[i].cpu,
				   tab->leaves[i].bus, LEAF_SIZE);
	table_free(tab->plat, tab->table, tab->table_bus, tab->table_size);
	free(tab->leaves);
	free(tab);
}

void smmu_cdtab_ste_cfg(const struct smmu_cdtab *tab,
			struct smmu_ste_cdtab_cfg *cfg)
{
	cfg->cdtab_bus = tab->table_bus;
	cfg->s1fmt = tab->s1fmt;
	cfg->s1cdmax = tab->s1cdmax;
}

static bool ssid_in_table(const struct smmu_cdtab *tab, uint32_t ssid)
{
	return (ssid >> tab->s1cdmax) == 0;
}

/* The CD of ssid, or NULL when its leaf does not exist yet. */
static uint64_t *cd_ptr(const struct smmu_cdtab *tab, uint32_t ssid)
{
	const struct cdtab_leaf *leaf;

	if (!tab->leaves)
		return tab->table + (size_t)ssid * SMMU_CD_DWORDS;
	leaf = &tab->leaves[ssid / CDS_PER_LEAF];
	if (!leaf->cpu)
		return NULL;
	return leaf->cpu + (size_t)(ssid % CDS_PER_LEAF) * SMMU_CD_DWORDS;
}

/*
 * Allocate the leaf of ssid and publish it.  The leaf is zeroed (all CDs
 * invalid) before the one store that makes it reachable; the release of
 * that store orders the zeroing first.
 */
static int cdtab_alloc_leaf(struct smmu_cdtab *tab, uint32_t ssid)
{
	unsigned idx = ssid / CDS_PER_LEAF;
	uint64_t *cpu, bus;
	int ret;

	ret = table_alloc(tab->plat, LEAF_SIZE, &cpu, &bus);
	if (ret)
		return ret;
	tab->leaves[idx] = (struct cdtab_leaf){ .cpu = cpu, .bus = bus };
	smmu_entry_store_word(&tab->table[idx],
			      SMMU_L1CD_V | (bus & SMMU_L1CD_L2PTR));
	/*
	 * The SMMU may have cached the invalid L1 descriptor.  If this
	 * fails the leaf stays published: its CDs are all invalid, so the
	 * table is consistent either way.
	 */
	return tab->inv.inv_cd(tab->inv.ctx, ssid, false);
}

static bool cd_target_valid(const struct smmu_cd *target)
{
	uint64_t used[SMMU_CD_DWORDS] = { 0 };

	smmu_cd_get_used(target->dw, used);
	for (unsigned i = 0; i < SMMU_CD_DWORDS; i++)
		if (target->dw[i] & ~used[i])
			return false;
	return true;
}

static int cdtab_write(struct smmu_cdtab *tab, uint32_t ssid, uint64_t *cd,
		       const struct smmu_cd *target)
{
	struct cd_sync_ctx ctx = { .tab = tab, .ssid = ssid };
	const struct smmu_entry_writer writer = {
		.ops = &cd_entry_ops, .ctx = &ctx,
	};
	bool was_valid = smmu_entry_load_word(&cd[0]) & SMMU_CD0_V;
	bool now_valid = target->dw[0] & SMMU_CD0_V;
	int ret = smmu_entry_write(&writer, cd, target->dw);

	/* The target was checked, so memory holds it even after an error. */
	if (ssid == 0)
		return ret;
	if (now_valid && !was_valid)
		tab->used_ssids++;
	else if (was_valid && !now_valid)
		tab->used_ssids--;
	return ret;
}

int smmu_cdtab_write_cd(struct smmu_cdtab *tab, uint32_t ssid,
			const struct smmu_cd *target)
{
	uint64_t *cd;
	int ret;

	if (!tab || !target || !ssid_in_table(tab, ssid) ||
	    !cd_target_valid(target))
		return -EINVAL;
	cd = cd_ptr(tab, ssid);
	if (!cd) {
		ret = cdtab_alloc_leaf(tab, ssid);
		if (ret)
			return ret;
		cd = cd_ptr(tab, ssid);
	}
	return cdtab_write(tab, ssid, cd, target);
}

int smmu_cdtab_clear_cd(struct smmu_cdtab *tab, uint32_t ssid)
{
	static const struct smmu_cd invalid;
	uint64_t *cd;

	if (!tab || !ssid_in_table(tab, ssid))
		return -EINVAL;
	cd = cd_ptr(tab, ssid);
	return cd ? cdtab_write(tab, ssid, cd, &invalid) : 0;
}

int smmu_cdtab_get_cd(const struct smmu_cdtab *tab, uint32_t ssid,
		      const uint64_t **cd)
{
	if (!tab || !cd || !ssid_in_table(tab, ssid))
		return -EINVAL;
	*cd = cd_ptr(tab, ssid);
	return *cd ? 0 : -ENOENT;
}

unsigned smmu_cdtab_used_ssids(const struct smmu_cdtab *tab)
{
	return tab ? tab->used_ssids : 0;
}

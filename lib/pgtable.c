/*
 * io-pgtable for the AArch64 long-descriptor format (see pgtable.h).
 *
 * Concepts: the geometry follows the architecture: each level resolves
 * granule_log2 - 3 bits; the walk starts at the level that leaves the top
 * table at most one granule (stage 2 may instead concatenate up to 16 top
 * tables, as Linux does, to save a level and to reach start levels SL0
 * can encode).  Next to every DMA table the driver keeps a host-side
 * node: its bus address, the count of valid entries (so emptiness is
 * known without scanning) and, for non-leaf levels, the child nodes (so
 * the walk never has to turn a bus address back into a pointer).
 */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <smmu/arch.h>
#include <smmu/bits.h>

#include "pgtable.h"

#define LAST_LEVEL (SMMU_MAX_LEVELS - 1u)
#define MAX_OAS_BITS 48u
#define MIN_IAS_BITS 32u
#define MIN_TABLE_ALIGN 64u /* architectural minimum for a small top table */

struct pt_table {
	uint64_t *cpu;
	uint64_t bus;
	size_t bytes;               /* at least MIN_TABLE_ALIGN */
	size_t entries;
	unsigned live;              /* valid entries */
	struct pt_table **child;    /* NULL at the last level */
};

struct smmu_pgtable {
	struct smmu_pgtable_cfg cfg;
	pthread_mutex_t lock;
	unsigned bpl;               /* index bits per level */
	unsigned start_level;
	unsigned top_bits;          /* index bits of the top table */
	uint64_t pgsize_bitmap;
	struct pt_table *root;
};

/* ---- geometry --------------------------------------------------------- */

static unsigned lvl_shift(const struct smmu_pgtable *pt, unsigned level)
{
	return pt->cfg.granule_log2 + (LAST_LEVEL - level) * pt->bpl;
}

static unsigned lvl_bits(const struct smmu_pgtable *pt, unsigned level)
{
	return level == pt->start_level ? pt->top_bits : pt->bpl;
}

static unsigned lvl_index(const struct smmu_pgtable *pt, unsigned level,
			  uint64_t iova)
{
	return (unsigned)((iova >> lvl_shift(pt, level)) &
			  ((UINT64_C(1) << lvl_bits(pt, level)) - 1));
}

/* Blocks exist at level 1 (4K granule only) and level 2. */
static bool lvl_has_blocks(const struct smmu_pgtable *pt, unsigned level)
{
	unsigned first = pt->cfg.granule_log2 == SMMU_GRANULE_4K_LOG2 ? 1u : 2u;

	return level >= first && level >= pt->start_level;
}

static bool cfg_valid(const struct smmu_pgtable_cfg *cfg)
{
	if (!cfg->plat || !cfg->plat->dma_alloc || !cfg->plat->dma_free ||
	    !cfg->tlb || !cfg->tlb->tlb_flush_all || !cfg->tlb->tlb_flush_walk ||
	    !cfg->tlb->tlb_add_page)
		return false;
	if (cfg->stage != SMMU_PGTABLE_S1 && cfg->stage != SMMU_PGTABLE_S2)
		return false;
	if (cfg->granule_log2 != SMMU_GRANULE_4K_LOG2 &&
	    cfg->granule_log2 != SMMU_GRANULE_16K_LOG2 &&
	    cfg->granule_log2 != SMMU_GRANULE_64K_LOG2)
		return false;
	return cfg->ias >= MIN_IAS_BITS && cfg->ias <= MAX_OAS_BITS &&
	       cfg->oas <= MAX_OAS_BITS && smmu_oas_encode(cfg->oas) >= 0;
}

static int pt_geometry(struct smmu_pgtable *pt)
{
	unsigned g = pt->cfg.granule_log2, levels;

	pt->bpl = g - SMMU_PTE_SIZE_LOG2;
	levels = (pt->cfg.ias - g + pt->bpl - 1) / pt->bpl;
	pt->start_level = SMMU_MAX_LEVELS - levels;
	pt->top_bits = pt->cfg.ias - g - (levels - 1) * pt->bpl;
	if (pt->cfg.stage == SMMU_PGTABLE_S2 && pt->start_level == 0 &&
	    pt->top_bits <= SMMU_S2_MAX_CONCAT_LOG2) {
		pt->start_level++;
		pt->top_bits += pt->bpl;
	}
	if (pt->cfg.stage == SMMU_PGTABLE_S2 &&
	    smmu_s2sl0_encode(g, pt->start_level) < 0)
		return -EINVAL;
	pt->pgsize_bitmap = UINT64_C(1) << g;
	for (unsigned level = 1; level < LAST_LEVEL; level++)
		if (lvl_has_blocks(pt, level))
			pt->pgsize_bitmap |= UINT64_C(1) << lvl_shift(pt, level);
	return 0;
}

/* ---- descriptors ------------------------------------------------------ */

static uint64_t pte_load(const struct pt_table *t, unsigned idx)
{
	return le64toh(__atomic_load_n(&t->cpu[idx], __ATOMIC_RELAXED));
}

static void pte_store(struct pt_table *t, unsigned idx, uint64_t pte)
{
	__atomic_store_n(&t->cpu[idx], htole64(pte), __ATOMIC_RELEASE);
}

static bool pte_valid(uint64_t pte)
{
	return pte & SMMU_PTE_VALID;
}

static bool pte_is_table(uint64_t pte, unsigned level)
{
	return level < LAST_LEVEL && pte_valid(pte) && (pte & SMMU_PTE_TYPE);
}

static uint64_t pte_s1_attrs(unsigned prot)
{
	uint64_t pte = SMMU_PTE_NG;
	unsigned idx = SMMU_MAIR_IDX_NC;

	if (!(prot & SMMU_PROT_WRITE))
		pte |= SMMU_PTE_AP_RDONLY;
	if (!(prot & SMMU_PROT_PRIV))
		pte |= SMMU_PTE_AP_UNPRIV;
	if (prot & SMMU_PROT_MMIO)
		idx = SMMU_MAIR_IDX_DEV;
	else if (prot & SMMU_PROT_CACHE)
		idx = SMMU_MAIR_IDX_CACHE;
	return pte | SMMU_FIELD_PREP(SMMU_PTE_ATTRINDX, idx);
}

static uint64_t pte_s2_attrs(unsigned prot)
{
	uint64_t pte = 0;
	unsigned memattr = SMMU_S2_MEMATTR_NC;

	if (prot & SMMU_PROT_READ)
		pte |= SMMU_PTE_S2AP_READ;
	if (prot & SMMU_PROT_WRITE)
		pte |= SMMU_PTE_S2AP_WRITE;
	if (prot & SMMU_PROT_MMIO)
		memattr = SMMU_S2_MEMATTR_DEVICE_NGNRE;
	else if (prot & SMMU_PROT_CACHE)
		memattr = SMMU_S2_MEMATTR_WB;
	return pte | SMMU_FIELD_PREP(SMMU_PTE_S2_MEMATTR, memattr);
}

/* Everything of a leaf but VALID, TYPE and the output address. */
static uint64_t pte_leaf_attrs(const struct smmu_pgtable *pt, unsigned prot)
{
	bool s1 = pt->cfg.stage == SMMU_PGTABLE_S1;
	uint64_t pte = SMMU_PTE_AF;
	unsigned sh = (prot & SMMU_PROT_CACHE) ? SMMU_SH_ISH : SMMU_SH_OSH;

	pte |= SMMU_FIELD_PREP(SMMU_PTE_SH, sh);
	pte |= s1 ? pte_s1_attrs(prot) : pte_s2_attrs(prot);
	if (!(prot & SMMU_PROT_EXEC))
		pte |= s1 ? (SMMU_PTE_UXN | SMMU_PTE_PXN) :
			    SMMU_FIELD_PREP(SMMU_PTE_S2_XN, SMMU_S2_XN_NEVER);
	return pte;
}

static uint64_t pte_leaf(unsigned level, uint64_t pa, uint64_t attrs)
{
	uint64_t pte = SMMU_PTE_VALID | attrs | (pa & SMMU_PTE_OA);

	return level == LAST_LEVEL ? pte | SMMU_PTE_TYPE : pte;
}

/* ---- table nodes ------------------------------------------------------ */

static void table_free(const struct smmu_pgtable *pt, struct pt_table *t)
{
	pt->cfg.plat->dma_free(pt->cfg.plat->opaque, t->cpu, t->bus, t->bytes);
	free(t->child);
	free(t);
}

static struct pt_table *table_alloc(const struct smmu_pgtable *pt,
				    unsigned level)
{
	size_t entries = (size_t)1 << lvl_bits(pt, level);
	struct pt_table *t = calloc(1, sizeof(*t));
	void *cpu;

	if (!t)
		return NULL;
	t->entries = entries;
	t->bytes = entries * sizeof(uint64_t);
	if (t->bytes < MIN_TABLE_ALIGN)
		t->bytes = MIN_TABLE_ALIGN;
	if (level < LAST_LEVEL) {
		t->child = calloc(entries, sizeof(*t->child));
		if (!t->child) {
			free(t);
			return NULL;
		}
	}
	if (pt->cfg.plat->dma_alloc(pt->cfg.plat->opaque, t->bytes, t->bytes,
				    &cpu, &t->bus)) {
		free(t->child);
		free(t);
		return NULL;
	}
	t->cpu = cpu;
	return t;
}

/* Free a subtree whose span the caller has already flushed. */
static void table_free_tree(const struct smmu_pgtable *pt, struct pt_table *t)
{
	for (size_t i = 0; t->child && i < t->entries; i++)
		if (t->child[i])
			table_free_tree(pt, t->child[i]);
	table_free(pt, t);
}

static void table_clear(struct pt_table *t, unsigned idx)
{
	pte_store(t, idx, 0);
	t->live--;
	if (t->child)
		t->child[idx] = NULL;
}

/* ---- create / destroy / registers ------------------------------------- */

int smmu_pgtable_create(const struct smmu_pgtable_cfg *cfg,
			struct smmu_pgtable **out)
{
	struct smmu_pgtable *pt;
	int ret;

	if (!cfg || !out || !cfg_valid(cfg))
		return -EINVAL;
	pt = calloc(1, sizeof(*pt));
	if (!pt)
		return -ENOMEM;
	pt->cfg = *cfg;
	ret = pt_geometry(pt);
	if (ret) {
		free(pt);
		return ret;
	}
	pt->root = table_alloc(pt, pt->start_level);
	if (!pt->root || pthread_mutex_init(&pt->lock, NULL)) {
		if (pt->root)
			table_free(pt, pt->root);
		free(pt);
		return -ENOMEM;
	}
	*out = pt;
	return 0;
}

void smmu_pgtable_destroy(struct smmu_pgtable *pt)
{
	if (!pt)
		return;
	pt->cfg.tlb->tlb_flush_all(pt->cfg.cookie);
	table_free_tree(pt, pt->root);
	pthread_mutex_destroy(&pt->lock);
	free(pt);
}

uint64_t smmu_pgtable_pgsize_bitmap(const struct smmu_pgtable *pt)
{
	return pt ? pt->pgsize_bitmap : 0;
}

static unsigned walk_cacheability(const struct smmu_pgtable *pt)
{
	return pt->cfg.coherent_walk ? SMMU_CACHE_WB : SMMU_CACHE_NC;
}

static unsigned walk_shareability(const struct smmu_pgtable *pt)
{
	return pt->cfg.coherent_walk ? SMMU_SH_ISH : SMMU_SH_OSH;
}

int smmu_pgtable_s1_tcr(const struct smmu_pgtable *pt,
			struct smmu_pgtable_s1_tcr *tcr)
{
	static const unsigned tg0[] = {
		[SMMU_GRANULE_4K_LOG2] = SMMU_TG0_4K,
		[SMMU_GRANULE_16K_LOG2] = SMMU_TG0_16K,
		[SMMU_GRANULE_64K_LOG2] = SMMU_TG0_64K,
	};

	if (!pt || !tcr || pt->cfg.stage != SMMU_PGTABLE_S1)
		return -EINVAL;
	*tcr = (struct smmu_pgtable_s1_tcr){
		.ttbr = pt->root->bus,
		.t0sz = 64u - pt->cfg.ias,
		.tg0 = tg0[pt->cfg.granule_log2],
		.irgn0 = walk_cacheability(pt),
		.orgn0 = walk_cacheability(pt),
		.sh0 = walk_shareability(pt),
		.ips = (unsigned)smmu_oas_encode(pt->cfg.oas),
		.mair = (uint64_t)SMMU_MAIR_ATTR_NC << (SMMU_MAIR_IDX_NC * SMMU_MAIR_ATTR_BITS) |
			(uint64_t)SMMU_MAIR_ATTR_WBRWA << (SMMU_MAIR_IDX_CACHE * SMMU_MAIR_ATTR_BITS) |
			(uint64_t)SMMU_MAIR_ATTR_DEVICE_NGNRE << (SMMU_MAIR_IDX_DEV * SMMU_MAIR_ATTR_BITS),
	};
	return 0;
}

int smmu_pgtable_s2_vtcr(const struct smmu_pgtable *pt,
			 struct smmu_pgtable_s2_vtcr *vtcr)
{
	static const unsigned tg[] = {
		[SMMU_GRANULE_4K_LOG2] = SMMU_S2TG_4K,
		[SMMU_GRANULE_16K_LOG2] = SMMU_S2TG_16K,
		[SMMU_GRANULE_64K_LOG2] = SMMU_S2TG_64K,
	};

	if (!pt || !vtcr || pt->cfg.stage != SMMU_PGTABLE_S2)
		return -EINVAL;
	*vtcr = (struct smmu_pgtable_s2_vtcr){
		.vttbr = pt->root->bus,
		.t0sz = 64u - pt->cfg.ias,
		.sl0 = (unsigned)smmu_s2sl0_encode(pt->cfg.granule_log2,
						   pt->start_level),
		.irgn0 = walk_cacheability(pt),
		.orgn0 = walk_cacheability(pt),
		.sh0 = walk_shareability(pt),
		.tg = tg[pt->cfg.granule_log2],
		.ps = (unsigned)smmu_oas_encode(pt->cfg.oas),
	};
	return 0;
}

/* ---- map / unmap ------------------------------------------------------ */

static uint64_t pt_granule(const struct smmu_pgtable *pt)
{
	return UINT64_C(1) << pt->cfg.granule_log2;
}

/* Largest page or block size aligned to addr_bits and at most size. */
static uint64_t pick_pgsize(const struct smmu_pgtable *pt, uint64_t addr_bits,
			    uint64_t size)
{
	uint64_t sizes = pt->pgsize_bitmap;
	uint64_t align = addr_bits & (~addr_bits + 1);

	sizes &= (UINT64_C(2) << smmu_ilog2(size)) - 1;
	if (align)
		sizes &= align | (align - 1);
	return sizes ? UINT64_C(1) << smmu_ilog2(sizes) : 0;
}

static unsigned level_of(const struct smmu_pgtable *pt, uint64_t pgsize)
{
	unsigned level = LAST_LEVEL;

	while (level > pt->start_level && lvl_shift(pt, level) < smmu_ilog2(pgsize))
		level--;
	return level;
}

/* Unhook an empty table just hooked by a failed map, then free it. */
static void pt_drop_new_table(struct smmu_pgtable *pt, struct pt_table *t,
			      unsigned level, uint64_t iova)
{
	uint64_t span = UINT64_C(1) << lvl_shift(pt, level);
	struct pt_table *child = t->child[lvl_index(pt, level, iova)];

	table_clear(t, lvl_index(pt, level, iova));
	pt->cfg.tlb->tlb_flush_walk(pt->cfg.cookie, iova & ~(span - 1), span,
				    pt_granule(pt));
	table_free(pt, child);
}

static int pt_map_at(struct smmu_pgtable *pt, struct pt_table *t,
		     unsigned level, uint64_t iova, uint64_t pa,
		     unsigned target, uint64_t attrs)
{
	unsigned idx = lvl_index(pt, level, iova);
	uint64_t pte = pte_load(t, idx);
	struct pt_table *child;
	int ret;

	if (level == target) {
		if (pte_valid(pte))
			return -EEXIST;
		pte_store(t, idx, pte_leaf(level, pa, attrs));
		t->live++;
		return 0;
	}
	if (pte_valid(pte) && !pte_is_table(pte, level))
		return -EEXIST;
	child = t->child[idx];
	if (!child) {
		child = table_alloc(pt, level + 1);
		if (!child)
			return -ENOMEM;
		t->child[idx] = child;
		/* The zeroed table is visible before the descriptor (release). */
		pte_store(t, idx, SMMU_PTE_VALID | SMMU_PTE_TYPE |
				  (child->bus & SMMU_PTE_TBL_ADDR));
		t->live++;
	}
	ret = pt_map_at(pt, child, level + 1, iova, pa, target, attrs);
	if (ret && !child->live)
		pt_drop_new_table(pt, t, level, iova);
	return ret;
}

/*
 * Remove the entry at path[level] for iova.  Tables left empty on the way
 * up are unhooked; if anything is freed, one non-leaf flush over the span
 * of the highest cleared entry covers the leaves and the walk caches, and
 * the tables are freed only after it.
 */
static void pt_remove(struct smmu_pgtable *pt, struct pt_table **path,
		      unsigned level, uint64_t iova, uint64_t pgsize)
{
	struct pt_table *t = path[level];
	unsigned idx = lvl_index(pt, level, iova), top = level;
	struct pt_table *sub = t->child ? t->child[idx] : NULL;
	uint64_t span;

	table_clear(t, idx);
	while (top > pt->start_level && !path[top]->live) {
		top--;
		table_clear(path[top], lvl_index(pt, top, iova));
	}
	if (top == level && !sub) {
		pt->cfg.tlb->tlb_add_page(pt->cfg.cookie, iova, pgsize);
		return;
	}
	span = UINT64_C(1) << lvl_shift(pt, top);
	pt->cfg.tlb->tlb_flush_walk(pt->cfg.cookie, iova & ~(span - 1), span,
				    pt_granule(pt));
	if (sub)
		table_free_tree(pt, sub);
	for (unsigned k = top + 1; k <= level; k++)
		table_free(pt, path[k]);
}

/* Unmap one page or block of size pgsize; 0 if it is not mapped whole. */
static uint64_t pt_unmap_one(struct smmu_pgtable *pt, uint64_t iova,
			     uint64_t pgsize)
{
	struct pt_table *path[SMMU_MAX_LEVELS];
	unsigned target = level_of(pt, pgsize), level = pt->start_level;
	struct pt_table *t = pt->root;

	for (;;) {
		uint64_t pte = pte_load(t, lvl_index(pt, level, iova));

		path[level] = t;
		if (!pte_valid(pte))
			return 0;
		if (level == target)
			break;
		if (!pte_is_table(pte, level))
			return 0; /* part of a block: refused, as in Linux */
		t = t->child[lvl_index(pt, level, iova)];
		level++;
	}
	pt_remove(pt, path, level, iova, pgsize);
	return pgsize;
}

/* Unmap in the chunks a map with this (iova | pa) alignment would use. */
static uint64_t pt_unmap_range(struct smmu_pgtable *pt, uint64_t iova,
			       uint64_t size, uint64_t pa)
{
	uint64_t done = 0;

	while (done < size) {
		uint64_t pgsize = pick_pgsize(pt, (iova + done) | (pa + done),
					      size - done);
		uint64_t n = pgsize ? pt_unmap_one(pt, iova + done, pgsize) : 0;

		if (!n)
			break;
		done += n;
	}
	return done;
}

static bool range_fits(uint64_t addr, uint64_t size, unsigned bits)
{
	return addr + size >= addr && addr + size <= (UINT64_C(1) << bits);
}

static bool map_args_valid(const struct smmu_pgtable *pt, uint64_t iova,
			   uint64_t pa, uint64_t size, unsigned prot)
{
	uint64_t page_mask = pt_granule(pt) - 1;

	return size && !((iova | pa | size) & page_mask) &&
	       range_fits(iova, size, pt->cfg.ias) &&
	       range_fits(pa, size, pt->cfg.oas) &&
	       (prot & (SMMU_PROT_READ | SMMU_PROT_WRITE));
}

int smmu_pgtable_map(struct smmu_pgtable *pt, uint64_t iova, uint64_t pa,
		     uint64_t size, unsigned prot)
{
	uint64_t attrs, done = 0;
	int ret = 0;

	if (!pt || !map_args_valid(pt, iova, pa, size, prot))
		return -EINVAL;
	attrs = pte_leaf_attrs(pt, prot);
	pthread_mutex_lock(&pt->lock);
	while (done < size) {
		uint64_t pgsize = pick_pgsize(pt, (iova + done) | (pa + done),
					      size - done);

		ret = pt_map_at(pt, pt->root, pt->start_level, iova + done,
				pa + done, level_of(pt, pgsize), attrs);
		if (ret)
			break;
		done += pgsize;
	}
	if (ret)
		pt_unmap_range(pt, iova, done, pa);
	pthread_mutex_unlock(&pt->lock);
	return ret;
}

uint64_t smmu_pgtable_unmap(struct smmu_pgtable *pt, uint64_t iova,
			    uint64_t size)
{
	uint64_t done;

	if (!pt || !size || ((iova | size) & (pt_granule(pt) - 1)) ||
	    !range_fits(iova, size, pt->cfg.ias))
		return 0;
	pthread_mutex_lock(&pt->lock);
	done = pt_unmap_range(pt, iova, size, 0);
	pthread_mutex_unlock(&pt->lock);
	return done;
}

int smmu_pgtable_iova_to_phys(struct smmu_pgtable *pt, uint64_t iova,
			      uint64_t *pa)
{
	struct pt_table *t;
	unsigned level;
	int ret = -ENOENT;

	if (!pt || !pa || !range_fits(iova, 1, pt->cfg.ias))
		return -EINVAL;
	pthread_mutex_lock(&pt->lock);
	for (t = pt->root, level = pt->start_level; t; level++) {
		uint64_t pte = pte_load(t, lvl_index(pt, level, iova));
		uint64_t block = (UINT64_C(1) << lvl_shift(pt, level)) - 1;

		if (!pte_valid(pte))
			break;
		if (!pte_is_table(pte, level)) {
			*pa = ((pte & SMMU_PTE_OA) & ~block) | (iova & block);
			ret = 0;
			break;
		}
		t = t->child[lvl_index(pt, level, iova)];
	}
	pthread_mutex_unlock(&pt->lock);
	return ret;
}

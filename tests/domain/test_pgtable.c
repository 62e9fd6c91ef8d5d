/*
 * Unit tests for the io-pgtable, per granule (4K/16K/64K) and stage: the
 * TCR/VTCR values, map/unmap/iova_to_phys of pages and blocks, -EEXIST
 * with nothing changed, partial-block unmap refused, empty tables freed
 * after a walk flush (counted by a fake DMA allocator), permission and
 * attribute bits, and allocation failures.  Descriptors are checked by
 * walking them here, independently of the code under test, from the
 * TTBR/T0SZ/SL0 values it reports.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmu/arch.h>
#include <smmu/bits.h>

#include "pgtable.h"

#define MAX_FLUSH 64 /* flushes recorded; more are only counted */

/* DMA memory is host memory here: the bus address is the pointer. */
struct fake {
	struct smmu_platform plat;
	unsigned live_allocs, total_allocs;
	unsigned fail_at;            /* fail the n-th allocation (1-based) */
	unsigned flush_all;
	unsigned nwalk, npage;
	uint64_t walk_iova[MAX_FLUSH], walk_size[MAX_FLUSH];
	uint64_t page_iova[MAX_FLUSH], page_size[MAX_FLUSH];
};

static int fake_dma_alloc(void *opaque, size_t size, size_t align, void **cpu,
			  uint64_t *bus)
{
	struct fake *f = opaque;

	assert_int_equal(size % align, 0);
	if (f->fail_at && ++f->total_allocs == f->fail_at)
		return -ENOMEM;
	*cpu = aligned_alloc(align, size);
	assert_non_null(*cpu);
	memset(*cpu, 0, size);
	*bus = (uint64_t)(uintptr_t)*cpu;
	f->live_allocs++;
	return 0;
}

static void fake_dma_free(void *opaque, void *cpu, uint64_t bus, size_t size)
{
	struct fake *f = opaque;

	(void)size;
	assert_int_equal(bus, (uint64_t)(uintptr_t)cpu);
	free(cpu);
	f->live_allocs--;
}

static void fake_flush_all(void *cookie)
{
	((struct fake *)cookie)->flush_all++;
}

static void fake_flush_walk(void *cookie, uint64_t iova, uint64_t size,
			    uint64_t granule)
{
	struct fake *f = cookie;

	(void)granule;
	if (f->nwalk < MAX_FLUSH) {
		f->walk_iova[f->nwalk] = iova;
		f->walk_size[f->nwalk] = size;
	}
	f->nwalk++;
}

static void fake_add_page(void *cookie, uint64_t iova, uint64_t granule)
{
	struct fake *f = cookie;

	if (f->npage < MAX_FLUSH) {
		f->page_iova[f->npage] = iova;
		f->page_size[f->npage] = granule;
	}
	f->npage++;
}

static const struct smmu_pgtable_flush_ops fake_tlb = {
	fake_flush_all, fake_flush_walk, fake_add_page,
};

struct geom {
	enum smmu_pgtable_stage stage;
	unsigned ias, granule_log2;
	unsigned start_level;   /* expected */
	uint64_t pgsizes;       /* expected */
};

#define SZ_4K  UINT64_C(0x1000)
#define SZ_16K UINT64_C(0x4000)
#define SZ_64K UINT64_C(0x10000)
#define SZ_2M  UINT64_C(0x200000)
#define SZ_32M UINT64_C(0x2000000)
#define SZ_512M UINT64_C(0x20000000)
#define SZ_1G  UINT64_C(0x40000000)

static const struct geom geoms[] = {
	{ SMMU_PGTABLE_S1, 48, 12, 0, SZ_4K | SZ_2M | SZ_1G },
	{ SMMU_PGTABLE_S1, 48, 14, 0, SZ_16K | SZ_32M },
	{ SMMU_PGTABLE_S1, 48, 16, 1, SZ_64K | SZ_512M },
	{ SMMU_PGTABLE_S1, 32, 12, 1, SZ_4K | SZ_2M | SZ_1G },
	{ SMMU_PGTABLE_S2, 48, 12, 0, SZ_4K | SZ_2M | SZ_1G },
	{ SMMU_PGTABLE_S2, 40, 12, 1, SZ_4K | SZ_2M | SZ_1G }, /* 2 concatenated */
	{ SMMU_PGTABLE_S2, 48, 14, 1, SZ_16K | SZ_32M },       /* 2 concatenated */
	{ SMMU_PGTABLE_S2, 36, 14, 2, SZ_16K | SZ_32M },
	{ SMMU_PGTABLE_S2, 48, 16, 1, SZ_64K | SZ_512M },
};

struct ctx {
	struct fake fake;
	struct smmu_pgtable *pt;
	const struct geom *g;
	uint64_t ttbr;
	unsigned start_level;   /* decoded from the registers */
};

static void ctx_init(struct ctx *c, const struct geom *g)
{
	struct smmu_pgtable_cfg cfg = {
		.stage = g->stage, .ias = g->ias, .oas = 48,
		.granule_log2 = g->granule_log2, .coherent_walk = true,
		.plat = &c->fake.plat, .tlb = &fake_tlb, .cookie = &c->fake,
	};

	memset(c, 0, sizeof(*c));
	c->g = g;
	c->fake.plat.opaque = &c->fake;
	c->fake.plat.dma_alloc = fake_dma_alloc;
	c->fake.plat.dma_free = fake_dma_free;
	assert_int_equal(smmu_pgtable_create(&cfg, &c->pt), 0);
	assert_int_equal(c->fake.live_allocs, 1);
}

static void ctx_fini(struct ctx *c)
{
	smmu_pgtable_destroy(c->pt);
	assert_int_equal(c->fake.live_allocs, 0);
	assert_int_equal(c->fake.flush_all, 1);
}

/* ---- an independent descriptor walker --------------------------------- */

static unsigned t_shift(const struct ctx *c, unsigned level)
{
	unsigned g = c->g->granule_log2;

	return g + (3 - level) * (g - 3);
}

/* Decode TTBR and the start level from the reported TCR/VTCR fields. */
static void decode_registers(struct ctx *c)
{
	unsigned g = c->g->granule_log2, ias;

	if (c->g->stage == SMMU_PGTABLE_S1) {
		struct smmu_pgtable_s1_tcr tcr;
		static const unsigned tg0_log2[] = { [SMMU_TG0_4K] = 12,
			[SMMU_TG0_64K] = 16, [SMMU_TG0_16K] = 14 };

		assert_int_equal(smmu_pgtable_s1_tcr(c->pt, &tcr), 0);
		assert_int_equal(tg0_log2[tcr.tg0], g);
		assert_int_equal(tcr.irgn0, SMMU_CACHE_WB);
		assert_int_equal(tcr.orgn0, SMMU_CACHE_WB);
		assert_int_equal(tcr.sh0, SMMU_SH_ISH);
		assert_int_equal(tcr.ips, SMMU_OAS_48);
		assert_int_equal((tcr.mair >> (8 * SMMU_MAIR_IDX_CACHE)) & 0xff,
				 SMMU_MAIR_ATTR_WBRWA);
		ias = 64 - tcr.t0sz;
		c->ttbr = tcr.ttbr;
		/* S1: the first level whose span covers the input size */
		c->start_level = 3;
		while (t_shift(c, c->start_level) + (g - 3) < ias)
			c->start_level--;
	} else {
		struct smmu_pgtable_s2_vtcr vtcr;
		static const unsigned tg_log2[] = { [SMMU_S2TG_4K] = 12,
			[SMMU_S2TG_64K] = 16, [SMMU_S2TG_16K] = 14 };

		assert_int_equal(smmu_pgtable_s2_vtcr(c->pt, &vtcr), 0);
		assert_int_equal(tg_log2[vtcr.tg], g);
		assert_int_equal(vtcr.ps, SMMU_OAS_48);
		assert_int_equal(vtcr.sh0, SMMU_SH_ISH);
		ias = 64 - vtcr.t0sz;
		c->ttbr = vtcr.vttbr;
		c->start_level = (g == 12 ? 2 : 3) - vtcr.sl0;
	}
	assert_int_equal(ias, c->g->ias);
	assert_int_equal(c->start_level, c->g->start_level);
}

/* Leaf descriptor for iova and its level, or 0 when the walk faults. */
static uint64_t t_walk(struct ctx *c, uint64_t iova, unsigned *level_out)
{
	const uint64_t *table = (const uint64_t *)(uintptr_t)c->ttbr;
	unsigned level = c->start_level;
	unsigned bits = c->g->ias - t_shift(c, level);

	for (;;) {
		uint64_t idx = (iova >> t_shift(c, level)) & ((UINT64_C(1) << bits) - 1);
		uint64_t pte = table[idx];

		if (!(pte & SMMU_PTE_VALID))
			return 0;
		if (level == 3 || !(pte & SMMU_PTE_TYPE)) {
			if (level == 3)
				assert_true(pte & SMMU_PTE_TYPE);
			*level_out = level;
			return pte;
		}
		table = (const uint64_t *)(uintptr_t)(pte & SMMU_PTE_TBL_ADDR);
		level++;
		bits = c->g->granule_log2 - 3;
	}
}

static void assert_maps_to(struct ctx *c, uint64_t iova, uint64_t pa,
			   unsigned want_level)
{
	unsigned level = 99;
	uint64_t pte = t_walk(c, iova, &level), out;
	uint64_t block = (UINT64_C(1) << t_shift(c, level)) - 1;

	assert_int_not_equal(pte, 0);
	assert_int_equal(level, want_level);
	assert_true(pte & SMMU_PTE_AF);
	assert_int_equal((pte & SMMU_PTE_OA & ~block) | (iova & block), pa);
	assert_int_equal(smmu_pgtable_iova_to_phys(c->pt, iova, &out), 0);
	assert_int_equal(out, pa);
}

static void assert_unmapped(struct ctx *c, uint64_t iova)
{
	unsigned level;
	uint64_t out;

	assert_int_equal(t_walk(c, iova, &level), 0);
	assert_int_equal(smmu_pgtable_iova_to_phys(c->pt, iova, &out), -ENOENT);
}

/* ---- tests ------------------------------------------------------------ */

static void test_geometry_and_registers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(geoms) / sizeof(geoms[0]); i++) {
		struct ctx c;

		ctx_init(&c, &geoms[i]);
		decode_registers(&c);
		assert_int_equal(smmu_pgtable_pgsize_bitmap(c.pt), geoms[i].pgsizes);
		ctx_fini(&c);
	}
}

static void test_bad_config(void **state)
{
	struct fake f = { .plat = { .opaque = &f, .dma_alloc = fake_dma_alloc,
				    .dma_free = fake_dma_free } };
	struct smmu_pgtable_cfg cfg = {
		.stage = SMMU_PGTABLE_S1, .ias = 48, .oas = 48, .granule_log2 = 12,
		.plat = &f.plat, .tlb = &fake_tlb, .cookie = &f,
	};
	struct smmu_pgtable *pt = NULL;

	(void)state;
	cfg.granule_log2 = 13;
	assert_int_equal(smmu_pgtable_create(&cfg, &pt), -EINVAL);
	cfg.granule_log2 = 12;
	cfg.ias = 49;
	assert_int_equal(smmu_pgtable_create(&cfg, &pt), -EINVAL);
	cfg.ias = 48;
	cfg.oas = 50;
	assert_int_equal(smmu_pgtable_create(&cfg, &pt), -EINVAL);
	cfg.oas = 52;
	assert_int_equal(smmu_pgtable_create(&cfg, &pt), -EINVAL);
	cfg.oas = 48;
	cfg.tlb = NULL;
	assert_int_equal(smmu_pgtable_create(&cfg, &pt), -EINVAL);
	cfg.tlb = &fake_tlb;
	cfg.stage = 3;
	assert_int_equal(smmu_pgtable_create(&cfg, &pt), -EINVAL);
	cfg.stage = SMMU_PGTABLE_S1;
	f.fail_at = 1;
	assert_int_equal(smmu_pgtable_create(&cfg, &pt), -ENOMEM);
	assert_null(pt);
	assert_int_equal(f.live_allocs, 0);
}

/* Per geometry: page, block, block + page, misaligned PA -> pages only. */
static void test_map_pages_and_blocks(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(geoms) / sizeof(geoms[0]); i++) {
		struct ctx c;
		uint64_t pg, blk, base = UINT64_C(1) << 31;
		unsigned rw = SMMU_PROT_READ | SMMU_PROT_WRITE;

		ctx_init(&c, &geoms[i]);
		decode_registers(&c);
		pg = UINT64_C(1) << geoms[i].granule_log2;
		blk = pg << (geoms[i].granule_log2 - 3);

		assert_int_equal(smmu_pgtable_map(c.pt, pg, 0x80000000 + 5 * pg, pg, rw), 0);
		assert_maps_to(&c, pg, 0x80000000 + 5 * pg, 3);
		assert_unmapped(&c, 2 * pg);

		assert_int_equal(smmu_pgtable_map(c.pt, base, 4 * blk, blk + pg, rw), 0);
		assert_maps_to(&c, base, 4 * blk, 2);
		assert_maps_to(&c, base + blk - pg + 8, 5 * blk - pg + 8, 2);
		assert_maps_to(&c, base + blk, 5 * blk, 3);

		/* PA not block-aligned: the same span needs pages */
		assert_int_equal(smmu_pgtable_map(c.pt, base + 4 * blk, 8 * blk + pg, blk, rw), 0);
		assert_maps_to(&c, base + 4 * blk, 8 * blk + pg, 3);
		assert_maps_to(&c, base + 5 * blk - pg, 9 * blk, 3);

		/* The last page of the input range: every top-index bit set */
		assert_int_equal(smmu_pgtable_map(c.pt, (UINT64_C(1) << geoms[i].ias) - pg,
						  pg, pg, rw), 0);
		assert_maps_to(&c, (UINT64_C(1) << geoms[i].ias) - 8, pg * 2 - 8, 3);
		ctx_fini(&c);
	}
}

static void test_eexist_changes_nothing(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(geoms) / sizeof(geoms[0]); i++) {
		struct ctx c;
		uint64_t pg = UINT64_C(1) << geoms[i].granule_log2;
		uint64_t blk = pg << (geoms[i].granule_log2 - 3);
		unsigned r = SMMU_PROT_READ, allocs;

		ctx_init(&c, &geoms[i]);
		decode_registers(&c);
		assert_int_equal(smmu_pgtable_map(c.pt, 3 * blk + 2 * pg, 0x100000000, pg, r), 0);
		allocs = c.fake.live_allocs;
		/* Overlap at the end of a range: the first pages are rolled back. */
		assert_int_equal(smmu_pgtable_map(c.pt, 3 * blk, 0x200000000, 4 * pg, r),
				 -EEXIST);
		assert_unmapped(&c, 3 * blk);
		assert_unmapped(&c, 3 * blk + pg);
		assert_maps_to(&c, 3 * blk + 2 * pg, 0x100000000, 3);
		assert_int_equal(c.fake.live_allocs, allocs);
		/* A block over a table that holds a page */
		assert_int_equal(smmu_pgtable_map(c.pt, 3 * blk, 0x200000000, blk, r),
				 -EEXIST);
		/* A page under a block */
		assert_int_equal(smmu_pgtable_map(c.pt, 6 * blk, 0x200000000, blk, r), 0);
		allocs = c.fake.live_allocs;
		assert_int_equal(smmu_pgtable_map(c.pt, 6 * blk + pg, 0x300000000, pg, r),
				 -EEXIST);
		assert_maps_to(&c, 6 * blk + pg, 0x200000000 + pg, 2);
		assert_int_equal(c.fake.live_allocs, allocs);
		ctx_fini(&c);
	}
}

static void test_unmap_and_table_freeing(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(geoms) / sizeof(geoms[0]); i++) {
		struct ctx c;
		uint64_t pg = UINT64_C(1) << geoms[i].granule_log2;
		uint64_t blk = pg << (geoms[i].granule_log2 - 3);
		unsigned rw = SMMU_PROT_READ | SMMU_PROT_WRITE;

		ctx_init(&c, &geoms[i]);
		decode_registers(&c);
		/* Two pages in one table: the first unmap frees nothing. */
		assert_int_equal(smmu_pgtable_map(c.pt, blk, 0x40000000, 2 * pg, rw), 0);
		assert_true(c.fake.live_allocs > 1);
		assert_int_equal(smmu_pgtable_unmap(c.pt, blk, pg), pg);
		assert_int_equal(c.fake.npage, 1);
		assert_int_equal(c.fake.page_iova[0], blk);
		assert_int_equal(c.fake.page_size[0], pg);
		assert_int_equal(c.fake.nwalk, 0);
		assert_unmapped(&c, blk);
		/* The last page: every table on the way up is freed after one flush. */
		assert_int_equal(smmu_pgtable_unmap(c.pt, blk + pg, pg), pg);
		assert_int_equal(c.fake.npage, 1);
		assert_int_equal(c.fake.nwalk, 1);
		assert_true(c.fake.walk_iova[0] <= blk + pg);
		assert_true(c.fake.walk_iova[0] + c.fake.walk_size[0] >= blk + 2 * pg);
		assert_int_equal(c.fake.live_allocs, 1);
		assert_int_equal(smmu_pgtable_unmap(c.pt, blk + pg, pg), 0);

		/* Unmapping a whole block-sized span of pages drops its table. */
		assert_int_equal(smmu_pgtable_map(c.pt, 2 * blk, 0x40000000 + pg, 3 * pg, rw), 0);
		assert_int_equal(smmu_pgtable_map(c.pt, 3 * blk, 0x40000000, pg, rw), 0);
		assert_int_equal(smmu_pgtable_unmap(c.pt, 2 * blk, blk), blk);
		assert_int_equal(c.fake.nwalk, 2);
		assert_int_equal(c.fake.walk_iova[1], 2 * blk);
		assert_int_equal(c.fake.walk_size[1], blk);
		assert_unmapped(&c, 2 * blk + pg);
		assert_maps_to(&c, 3 * blk, 0x40000000, 3);

		/* Blocks: partial unmap refused, whole unmap reported as one page. */
		assert_int_equal(smmu_pgtable_map(c.pt, 8 * blk, 8 * blk, blk, rw), 0);
		assert_int_equal(smmu_pgtable_unmap(c.pt, 8 * blk + pg, pg), 0);
		assert_maps_to(&c, 8 * blk + pg, 8 * blk + pg, 2);
		assert_int_equal(smmu_pgtable_unmap(c.pt, 8 * blk, blk), blk);
		assert_int_equal(c.fake.page_iova[c.fake.npage - 1], 8 * blk);
		assert_int_equal(c.fake.page_size[c.fake.npage - 1], blk);
		/* A hole stops the unmap */
		assert_int_equal(smmu_pgtable_unmap(c.pt, 8 * blk, blk), 0);
		ctx_fini(&c);
	}
}

static uint64_t leaf_of(struct ctx *c, uint64_t iova)
{
	unsigned level;

	return t_walk(c, iova, &level);
}

static void test_s1_permissions(void **state)
{
	struct ctx c;
	uint64_t pte;

	(void)state;
	ctx_init(&c, &geoms[0]);
	decode_registers(&c);
	assert_int_equal(smmu_pgtable_map(c.pt, 0x1000, 0x1000, SZ_4K, SMMU_PROT_READ), 0);
	pte = leaf_of(&c, 0x1000);
	assert_true(pte & SMMU_PTE_AP_RDONLY);
	assert_true(pte & SMMU_PTE_AP_UNPRIV);
	assert_true(pte & SMMU_PTE_UXN);
	assert_true(pte & SMMU_PTE_PXN);
	assert_true(pte & SMMU_PTE_NG);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_ATTRINDX, pte), SMMU_MAIR_IDX_NC);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_SH, pte), SMMU_SH_OSH);

	assert_int_equal(smmu_pgtable_map(c.pt, 0x2000, 0x2000, SZ_4K,
					  SMMU_PROT_READ | SMMU_PROT_WRITE |
					  SMMU_PROT_EXEC | SMMU_PROT_PRIV |
					  SMMU_PROT_CACHE), 0);
	pte = leaf_of(&c, 0x2000);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_AP, pte), 0);
	assert_false(pte & (SMMU_PTE_UXN | SMMU_PTE_PXN));
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_ATTRINDX, pte), SMMU_MAIR_IDX_CACHE);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_SH, pte), SMMU_SH_ISH);

	assert_int_equal(smmu_pgtable_map(c.pt, 0x3000, 0x3000, SZ_4K,
					  SMMU_PROT_WRITE | SMMU_PROT_MMIO), 0);
	pte = leaf_of(&c, 0x3000);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_ATTRINDX, pte), SMMU_MAIR_IDX_DEV);
	assert_false(pte & SMMU_PTE_AP_RDONLY);
	assert_int_equal(smmu_pgtable_map(c.pt, 0x4000, 0x4000, SZ_4K, SMMU_PROT_EXEC),
			 -EINVAL);
	ctx_fini(&c);
}

static void test_s2_permissions(void **state)
{
	struct ctx c;
	uint64_t pte;

	(void)state;
	ctx_init(&c, &geoms[4]);
	decode_registers(&c);
	assert_int_equal(smmu_pgtable_map(c.pt, 0x1000, 0x1000, SZ_4K, SMMU_PROT_READ), 0);
	pte = leaf_of(&c, 0x1000);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_S2AP, pte), 1);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_S2_XN, pte), SMMU_S2_XN_NEVER);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_S2_MEMATTR, pte), SMMU_S2_MEMATTR_NC);
	assert_false(pte & SMMU_PTE_NG);

	assert_int_equal(smmu_pgtable_map(c.pt, 0x2000, 0x2000, SZ_4K,
					  SMMU_PROT_READ | SMMU_PROT_WRITE |
					  SMMU_PROT_EXEC | SMMU_PROT_CACHE), 0);
	pte = leaf_of(&c, 0x2000);
	assert_true(pte & SMMU_PTE_S2AP_READ);
	assert_true(pte & SMMU_PTE_S2AP_WRITE);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_S2_XN, pte), SMMU_S2_XN_EXEC);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_S2_MEMATTR, pte), SMMU_S2_MEMATTR_WB);

	assert_int_equal(smmu_pgtable_map(c.pt, 0x3000, 0x3000, SZ_4K,
					  SMMU_PROT_WRITE | SMMU_PROT_MMIO), 0);
	pte = leaf_of(&c, 0x3000);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_S2AP, pte), 2);
	assert_int_equal(SMMU_FIELD_GET(SMMU_PTE_S2_MEMATTR, pte),
			 SMMU_S2_MEMATTR_DEVICE_NGNRE);
	ctx_fini(&c);
}

/* Every allocation of a map can fail: nothing stays allocated or mapped. */
static void test_map_enomem(void **state)
{
	(void)state;
	for (unsigned fail = 1; fail <= 3; fail++) {
		struct ctx c;

		ctx_init(&c, &geoms[0]);
		decode_registers(&c);
		c.fake.total_allocs = 1; /* the root */
		c.fake.fail_at = 1 + fail;
		assert_int_equal(smmu_pgtable_map(c.pt, 0x7000, 0x7000, SZ_4K,
						  SMMU_PROT_READ), -ENOMEM);
		assert_int_equal(c.fake.live_allocs, 1);
		assert_unmapped(&c, 0x7000);
		for (size_t i = 0; i < 512; i++)
			assert_int_equal(((uint64_t *)(uintptr_t)c.ttbr)[i], 0);
		c.fake.fail_at = 0;
		assert_int_equal(smmu_pgtable_map(c.pt, 0x7000, 0x7000, SZ_4K,
						  SMMU_PROT_READ), 0);
		ctx_fini(&c);
	}
}

static void test_bad_arguments(void **state)
{
	struct ctx c;
	unsigned r = SMMU_PROT_READ;
	uint64_t pa;

	(void)state;
	ctx_init(&c, &geoms[3]); /* S1 4K, 32-bit input */
	assert_int_equal(smmu_pgtable_map(c.pt, 0x800, 0, SZ_4K, r), -EINVAL);
	assert_int_equal(smmu_pgtable_map(c.pt, 0, 0x800, SZ_4K, r), -EINVAL);
	assert_int_equal(smmu_pgtable_map(c.pt, 0, 0, 0x800, r), -EINVAL);
	assert_int_equal(smmu_pgtable_map(c.pt, 0, 0, 0, r), -EINVAL);
	assert_int_equal(smmu_pgtable_map(c.pt, UINT64_C(1) << 32, 0, SZ_4K, r), -EINVAL);
	assert_int_equal(smmu_pgtable_map(c.pt, 0, UINT64_C(1) << 48, SZ_4K, r), -EINVAL);
	assert_int_equal(smmu_pgtable_map(NULL, 0, 0, SZ_4K, r), -EINVAL);
	assert_int_equal(smmu_pgtable_unmap(c.pt, 0x800, SZ_4K), 0);
	assert_int_equal(smmu_pgtable_unmap(c.pt, 0, SZ_4K), 0);
	assert_int_equal(smmu_pgtable_iova_to_phys(c.pt, UINT64_C(1) << 32, &pa), -EINVAL);
	assert_int_equal(smmu_pgtable_iova_to_phys(c.pt, 0, &pa), -ENOENT);
	assert_int_equal(smmu_pgtable_s2_vtcr(c.pt, &(struct smmu_pgtable_s2_vtcr){ 0 }),
			 -EINVAL);
	assert_int_equal(c.fake.live_allocs, 1);
	ctx_fini(&c);
}

/* Two threads map and unmap pages that share tables: meant for TSan. */
struct racer {
	struct ctx *c;
	uint64_t base;
};

static void *race_map_unmap(void *arg)
{
	struct racer *r = arg;
	uint64_t pa;

	for (unsigned i = 0; i < 300; i++) {
		uint64_t iova = r->base + (i % 8) * SZ_4K;

		assert_int_equal(smmu_pgtable_map(r->c->pt, iova, iova, SZ_4K,
						  SMMU_PROT_READ), 0);
		assert_int_equal(smmu_pgtable_iova_to_phys(r->c->pt, iova, &pa), 0);
		assert_int_equal(pa, iova);
		assert_int_equal(smmu_pgtable_unmap(r->c->pt, iova, SZ_4K), SZ_4K);
	}
	return NULL;
}

static void test_concurrent_map_unmap(void **state)
{
	struct ctx c;
	struct racer r[2];
	pthread_t t[2];

	(void)state;
	ctx_init(&c, &geoms[0]);
	for (unsigned i = 0; i < 2; i++) {
		r[i] = (struct racer){ .c = &c, .base = 0x100000 + i * 0x10000 };
		assert_int_equal(pthread_create(&t[i], NULL, race_map_unmap, &r[i]), 0);
	}
	for (unsigned i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(c.fake.live_allocs, 1);
	assert_true(c.fake.nwalk + c.fake.npage >= 600);
	ctx_fini(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry_and_registers),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_map_pages_and_blocks),
		cmocka_unit_test(test_eexist_changes_nothing),
		cmocka_unit_test(test_unmap_and_table_freeing),
		cmocka_unit_test(test_s1_permissions),
		cmocka_unit_test(test_s2_permissions),
		cmocka_unit_test(test_map_enomem),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_concurrent_map_unmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

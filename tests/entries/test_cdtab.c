/*
 * Unit tests of per-master CD tables on a fake platform.
 *
 * Concepts: the fake platform's dma_alloc is malloc-backed (bus address =
 * CPU address), counts live buffers to catch leaks, records alignments,
 * and can be told to fail the n-th allocation.  The invalidation callback
 * records (ssid, leaf) and, for leaf=0, checks that the L1 descriptor it
 * invalidates is already published.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cdtab.h"
#include "fixtures.h"

#define MAX_INVS 16

struct fake {
	struct smmu_dev dev;
	struct fx_dma dma;
	struct { uint32_t ssid; bool leaf; } inv[MAX_INVS];
	unsigned num_inv;
	int inv_ret;
	const uint64_t *l1;     /* two-level tables: the L1 descriptors */
	struct smmu_cdtab *tab;
};

static int fake_inv_cd(void *ctx, uint32_t ssid, bool leaf)
{
	struct fake *f = ctx;

	assert_true(f->num_inv < MAX_INVS);
	f->inv[f->num_inv].ssid = ssid;
	f->inv[f->num_inv].leaf = leaf;
	f->num_inv++;
	if (!leaf && f->l1)
		assert_true(f->l1[ssid / 1024] & SMMU_L1CD_V);
	return f->inv_ret;
}

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	fx_features(&f->dev.feat);
	fx_dma_attach(&f->dma, &f->dev.plat);
}

static int fake_new_tab(struct fake *f, unsigned master_bits)
{
	const struct smmu_cdtab_inv inv = { .inv_cd = fake_inv_cd, .ctx = f };

	return smmu_cdtab_new(&f->dev, master_bits, &inv, &f->tab);
}

static void fake_done(struct fake *f)
{
	smmu_cdtab_free(f->tab);
	assert_int_equal(f->dma.live_allocs, 0);
}

static void s1_cd(const struct fake *f, struct smmu_cd *cd, uint16_t asid)
{
	struct smmu_cd_s1_cfg cfg;

	fx_s1_cd_cfg(&cfg, asid);
	assert_int_equal(smmu_cd_make_s1(&f->dev.feat, &cfg, cd), 0);
}

static void assert_cd_is(const struct fake *f, uint32_t ssid,
			 const struct smmu_cd *cd)
{
	const uint64_t *live;

	assert_int_equal(smmu_cdtab_get_cd(f->tab, ssid, &live), 0);
	assert_memory_equal(live, cd->dw, sizeof(cd->dw));
}

static void test_linear_table(void **state)
{
	struct smmu_ste_cdtab_cfg cfg;
	struct smmu_cd cd;
	struct fake f;

	(void)state;
	fake_init(&f);
	assert_int_equal(fake_new_tab(&f, 4), 0);
	assert_int_equal(f.dma.live_allocs, 1);
	assert_int_equal(f.dma.last_size, 16 * SMMU_CD_SIZE);
	smmu_cdtab_ste_cfg(f.tab, &cfg);
	assert_int_equal(cfg.s1fmt, SMMU_S1FMT_LINEAR);
	assert_int_equal(cfg.s1cdmax, 4);

	s1_cd(&f, &cd, 42);
	assert_int_equal(smmu_cdtab_write_cd(f.tab, 3, &cd), 0);
	assert_cd_is(&f, 3, &cd);
	/* Invalid -> valid: two syncs, each a leaf CFGI_CD for SSID 3. */
	assert_int_equal(f.num_inv, 2);
	for (unsigned i = 0; i < f.num_inv; i++) {
		assert_int_equal(f.inv[i].ssid, 3);
		assert_true(f.inv[i].leaf);
	}
	assert_int_equal(smmu_cdtab_used_ssids(f.tab), 1);
	/* The CD sits at its index in the table the STE points to. */
	assert_memory_equal((const uint64_t *)(uintptr_t)cfg.cdtab_bus +
			    3 * SMMU_CD_DWORDS, cd.dw, sizeof(cd.dw));

	assert_int_equal(smmu_cdtab_write_cd(f.tab, 0, &cd), 0);
	assert_int_equal(smmu_cdtab_used_ssids(f.tab), 1);
	assert_int_equal(smmu_cdtab_clear_cd(f.tab, 3), 0);
	assert_int_equal(smmu_cdtab_used_ssids(f.tab), 0);
	assert_int_equal(smmu_cdtab_write_cd(f.tab, 16, &cd), -EINVAL);
	fake_done(&f);
}

static void test_s1cdmax_is_min_of_master_and_smmu(void **state)
{
	struct smmu_ste_cdtab_cfg cfg;
	struct fake f;

	(void)state;
	fake_init(&f);
	f.dev.feat.ssid_bits = 8;
	assert_int_equal(fake_new_tab(&f, 20), 0);
	smmu_cdtab_ste_cfg(f.tab, &cfg);
	assert_int_equal(cfg.s1cdmax, 8);
	assert_int_equal(cfg.s1fmt, SMMU_S1FMT_LINEAR);
	fake_done(&f);

	/* A master without PASIDs: one CD. */
	fake_init(&f);
	assert_int_equal(fake_new_tab(&f, 0), 0);
	smmu_cdtab_ste_cfg(f.tab, &cfg);
	assert_int_equal(cfg.s1cdmax, 0);
	assert_int_equal(f.dma.last_size, SMMU_CD_SIZE);
	fake_done(&f);
}

static void test_linear_cap_without_cd2l(void **state)
{
	struct smmu_ste_cdtab_cfg cfg;
	struct fake f;

	(void)state;
	fake_init(&f);
	f.dev.feat.cd2l = false;
	assert_int_equal(fake_new_tab(&f, 16), 0);
	smmu_cdtab_ste_cfg(f.tab, &cfg);
	assert_int_equal(cfg.s1fmt, SMMU_S1FMT_LINEAR);
	assert_int_equal(cfg.s1cdmax, 10);
	assert_int_equal(f.dma.last_size, 1024 * SMMU_CD_SIZE);
	fake_done(&f);
}

static void test_two_level_lazy_leaves(void **state)
{
	const uint32_t ssid = 5000;     /* leaf 4 */
	struct smmu_ste_cdtab_cfg cfg;
	const uint64_t *l1, *live;
	struct smmu_cd cd;
	struct fake f;

	(void)state;
	fake_init(&f);
	assert_int_equal(fake_new_tab(&f, 16), 0);
	smmu_cdtab_ste_cfg(f.tab, &cfg);
	assert_int_equal(cfg.s1fmt, SMMU_S1FMT_1024_L2);
	assert_int_equal(cfg.s1cdmax, 16);
	assert_int_equal(f.dma.live_allocs, 1);
	assert_int_equal(f.dma.last_size, 64 * SMMU_L1_DESC_SIZE);
	l1 = (const uint64_t *)(uintptr_t)cfg.cdtab_bus;
	f.l1 = l1;
	assert_int_equal(smmu_cdtab_get_cd(f.tab, ssid, &live), -ENOENT);
	/* Clearing a CD whose leaf never existed does nothing. */
	assert_int_equal(smmu_cdtab_clear_cd(f.tab, ssid), 0);
	assert_int_equal(f.num_inv, 0);

	s1_cd(&f, &cd, 1);
	assert_int_equal(smmu_cdtab_write_cd(f.tab, ssid, &cd), 0);
	assert_int_equal(f.dma.live_allocs, 2);
	assert_int_equal(f.dma.last_size, 1024 * SMMU_CD_SIZE);
	assert_true(l1[4] & SMMU_L1CD_V);
	assert_cd_is(&f, ssid, &cd);
	assert_int_equal(smmu_cdtab_get_cd(f.tab, ssid, &live), 0);
	assert_int_equal((uintptr_t)(l1[4] & SMMU_L1CD_L2PTR) +
			 (ssid % 1024) * SMMU_CD_SIZE, (uintptr_t)live);
	/* L1 published, then CFGI_CD leaf=0, then the CD's own syncs. */
	assert_int_equal(f.num_inv, 3);
	assert_false(f.inv[0].leaf);
	assert_int_equal(f.inv[0].ssid, ssid);
	assert_true(f.inv[1].leaf && f.inv[2].leaf);
	for (unsigned i = 0; i < 64; i++)
		if (i != 4)
			assert_int_equal(l1[i], 0);

	/* Same leaf: no new allocation, no leaf=0 invalidation. */
	f.num_inv = 0;
	assert_int_equal(smmu_cdtab_write_cd(f.tab, ssid + 1, &cd), 0);
	assert_int_equal(f.dma.live_allocs, 2);
	assert_int_equal(f.num_inv, 2);
	assert_true(f.inv[0].leaf);
	assert_int_equal(smmu_cdtab_used_ssids(f.tab), 2);
	assert_int_equal(smmu_cdtab_write_cd(f.tab, 1u << 16, &cd), -EINVAL);
	fake_done(&f);
}

static void test_leaf_alloc_failure_changes_nothing(void **state)
{
	struct smmu_ste_cdtab_cfg cfg;
	const uint64_t *live;
	struct smmu_cd cd;
	struct fake f;

	(void)state;
	fake_init(&f);
	assert_int_equal(fake_new_tab(&f, 12), 0);
	smmu_cdtab_ste_cfg(f.tab, &cfg);
	s1_cd(&f, &cd, 1);
	f.dma.fail_alloc = f.dma.alloc_calls + 1;
	assert_int_equal(smmu_cdtab_write_cd(f.tab, 2048, &cd), -ENOMEM);
	assert_int_equal(((const uint64_t *)(uintptr_t)cfg.cdtab_bus)[2], 0);
	assert_int_equal(f.num_inv, 0);
	assert_int_equal(f.dma.live_allocs, 1);
	assert_int_equal(smmu_cdtab_get_cd(f.tab, 2048, &live), -ENOENT);
	assert_int_equal(smmu_cdtab_used_ssids(f.tab), 0);
	/* The next attempt succeeds. */
	assert_int_equal(smmu_cdtab_write_cd(f.tab, 2048, &cd), 0);
	assert_cd_is(&f, 2048, &cd);
	fake_done(&f);
}

static void test_table_alloc_failure(void **state)
{
	struct smmu_cdtab *before;
	struct fake f;

	(void)state;
	fake_init(&f);
	f.dma.fail_alloc = 1;
	before = (struct smmu_cdtab *)&f;       /* any sentinel */
	f.tab = before;
	assert_int_equal(fake_new_tab(&f, 16), -ENOMEM);
	assert_ptr_equal(f.tab, before);
	assert_int_equal(f.dma.live_allocs, 0);
}

static void test_bad_arguments(void **state)
{
	const struct smmu_cdtab_inv no_cb = { 0 };
	struct smmu_cd bad = { { 0 } };
	struct smmu_cdtab *tab = NULL;
	struct fake f;

	(void)state;
	fake_init(&f);
	assert_int_equal(smmu_cdtab_new(&f.dev, 4, &no_cb, &tab), -EINVAL);
	assert_int_equal(smmu_cdtab_new(NULL, 4, &no_cb, &tab), -EINVAL);
	f.dev.feat.trans_s1 = false;
	assert_int_equal(fake_new_tab(&f, 4), -EINVAL);
	f.dev.feat.trans_s1 = true;
	f.dev.plat.dma_alloc = NULL;
	assert_int_equal(fake_new_tab(&f, 4), -EINVAL);
	assert_null(tab);
	assert_int_equal(f.dma.live_allocs, 0);

	/* An invalid CD with other bits set is refused before any change. */
	fake_init(&f);
	assert_int_equal(fake_new_tab(&f, 16), 0);
	bad.dw[1] = 0x1000;
	assert_int_equal(smmu_cdtab_write_cd(f.tab, 4096, &bad), -EINVAL);
	assert_int_equal(f.dma.live_allocs, 1);
	assert_int_equal(f.num_inv, 0);
	assert_int_equal(smmu_cdtab_write_cd(NULL, 0, &bad), -EINVAL);
	fake_done(&f);
}

/* A failing invalidation is reported; memory still holds the CD. */
static void test_sync_error_reported(void **state)
{
	struct smmu_cd cd;
	struct fake f;

	(void)state;
	fake_init(&f);
	assert_int_equal(fake_new_tab(&f, 4), 0);
	s1_cd(&f, &cd, 5);
	f.inv_ret = -ETIMEDOUT;
	assert_int_equal(smmu_cdtab_write_cd(f.tab, 1, &cd), -ETIMEDOUT);
	assert_cd_is(&f, 1, &cd);
	assert_int_equal(smmu_cdtab_used_ssids(f.tab), 1);
	fake_done(&f);
}

/* The table's fields make a valid CD-table STE. */
static void test_ste_from_table(void **state)
{
	/* The master's own fields (ATS, stall) are the caller's. */
	struct smmu_ste_cdtab_cfg cfg = { .ats = true };
	struct smmu_ste ste;
	struct fake f;

	(void)state;
	fake_init(&f);
	assert_int_equal(fake_new_tab(&f, 20), 0);
	smmu_cdtab_ste_cfg(f.tab, &cfg);
	cfg.s1dss = SMMU_S1DSS_SSID0;
	assert_int_equal(smmu_ste_make_cdtable(&f.dev.feat, &cfg, &ste), 0);
	assert_int_equal(ste.dw[0] & SMMU_STE0_S1CTXPTR, cfg.cdtab_bus);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STE0_S1CDMAX, ste.dw[0]), 20);
	fake_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linear_table),
		cmocka_unit_test(test_s1cdmax_is_min_of_master_and_smmu),
		cmocka_unit_test(test_linear_cap_without_cd2l),
		cmocka_unit_test(test_two_level_lazy_leaves),
		cmocka_unit_test(test_leaf_alloc_failure_changes_nothing),
		cmocka_unit_test(test_table_alloc_failure),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_sync_error_reported),
		cmocka_unit_test(test_ste_from_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

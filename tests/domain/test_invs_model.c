/*
 * Integration: the invalidation walk issuing through the driver's command
 * queue into the model.  Every command the walk builds, for stage 1,
 * stage 2, nested and ATS entries, with and without RIL, 4K/16K/64K leaf
 * sizes, leaf and non-leaf, must be legal: the model executes it (counted
 * by opcode) and never reports CERROR_ILL, and one CMD_SYNC completes per
 * submitted batch.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <smmu/arch.h>
#include <smmu/model.h>

#include "dev.h"
#include "harness.h"
#include "invs.h"

#define SZ_4K  UINT64_C(0x1000)
#define SZ_16K UINT64_C(0x4000)
#define SZ_64K UINT64_C(0x10000)
#define SZ_1G  UINT64_C(0x40000000)

/* Counts submits and forwards everything to the command-queue ops. */
struct counting {
	struct smmu_invs_cmdq q;
	unsigned submits;
};

static int counting_emit(void *opaque, struct smmu_dev *smmu,
			 const struct smmu_inv_cmd *cmd)
{
	return smmu_invs_cmdq_ops.emit(&((struct counting *)opaque)->q, smmu, cmd);
}

static int counting_submit(void *opaque, struct smmu_dev *smmu)
{
	struct counting *c = opaque;

	c->submits++;
	return smmu_invs_cmdq_ops.submit(&c->q, smmu);
}

static const struct smmu_inv_ops counting_ops = { counting_emit, counting_submit };

static struct smmu_invs *array_for(struct smmu_dev *dev, uint64_t pgsizes)
{
	const uint32_t s1_sids[] = { 3 }, nested_sids[] = { 4, 5 };
	const struct smmu_master_invs_desc descs[] = {
		{ .tag = { dev, SMMU_INV_S1_ASID, 5 }, .pgsize_bitmap = pgsizes,
		  .ats = true, .ssid = 1, .sids = s1_sids, .nsids = 1 },
		{ .tag = { dev, SMMU_INV_S2_VMID, 7 }, .pgsize_bitmap = pgsizes },
		{ .tag = { dev, SMMU_INV_S2_VMID_VSMMU, 8 }, .pgsize_bitmap = pgsizes,
		  .nest_parent = true, .ats = true, .sids = nested_sids, .nsids = 2 },
	};
	struct smmu_invs *invs = smmu_invs_alloc(0), *scratch, *merged;

	scratch = smmu_invs_alloc_scratch(true, 2);
	for (size_t i = 0; i < sizeof(descs) / sizeof(descs[0]); i++) {
		assert_int_equal(smmu_invs_build_master(scratch, &descs[i]), 0);
		assert_int_equal(smmu_invs_merge(invs, scratch, &merged), 0);
		smmu_invs_free(invs);
		invs = merged;
	}
	smmu_invs_free(scratch);
	return invs;
}

struct range {
	uint64_t iova, size, granule;
	bool leaf;
};

static void run_config(bool ril, uint64_t page)
{
	const struct range ranges[] = {
		{ 0x100000, page, page, true },
		{ 0x100000, page, page, false },       /* errata: never NUM=SCALE=0 */
		{ 0x100000, 35 * page, page, true },
		{ 0x100000, 33 * page, page, false },
		{ SZ_1G, 512 * page, page, true },      /* too big without RIL */
		{ SZ_1G, SZ_1G, page << (smmu_ilog2(page) - 3), true }, /* blocks */
		/* a level-1 granule: TTL 1 is legal for 4K and 64K, not 16K */
		{ SZ_1G, SZ_1G, page << (2 * (smmu_ilog2(page) - 3)), true },
		{ 0, 0, 0, false },                      /* everything */
	};
	struct smmu_model_config cfg;
	struct smmu_model_stats st;
	struct counting counting;
	struct smmu_invs *invs;
	struct harness *h;
	int ret = -1;

	smmu_model_config_default(&cfg);
	cfg.ril = ril;
	h = harness_new(&cfg, false, &ret);
	assert_non_null(h);
	assert_int_equal(ret, 0);
	assert_int_equal(h->dev->feat.ril, ril);
	invs = array_for(h->dev, page | (page << (smmu_ilog2(page) - 3)));
	smmu_model_reset_stats(h->model);
	counting.submits = 0;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		smmu_cmdq_batch_init(&counting.q.batch);
		assert_int_equal(smmu_invs_walk_range(invs, ranges[i].iova,
						      ranges[i].size,
						      ranges[i].granule,
						      ranges[i].leaf, &counting_ops,
						      &counting), 0);
	}
	assert_int_equal(smmu_model_get_stats(h->model, &st), 0);
	assert_int_equal(st.cmd_errors[SMMU_CERROR_ILL], 0);
	assert_int_equal(atomic_load(&h->nerrors), 0);
	assert_int_equal(st.syncs, counting.submits);
	assert_true(st.cmds[SMMU_CMD_TLBI_NH_VA] > 0);
	assert_true(st.cmds[SMMU_CMD_TLBI_S2_IPA] > 0);
	assert_true(st.cmds[SMMU_CMD_TLBI_NH_ALL] > 0);
	assert_true(st.cmds[SMMU_CMD_TLBI_S12_VMALL] > 0);
	/* one ATC_INV per ATS entry per walk */
	assert_int_equal(st.cmds[SMMU_CMD_ATC_INV], 3 * (sizeof(ranges) / sizeof(ranges[0])));
	smmu_invs_free(invs);
	harness_free(h);
}

static void test_ril_4k(void **state) { (void)state; run_config(true, SZ_4K); }
static void test_ril_16k(void **state) { (void)state; run_config(true, SZ_16K); }
static void test_ril_64k(void **state) { (void)state; run_config(true, SZ_64K); }
static void test_no_ril_4k(void **state) { (void)state; run_config(false, SZ_4K); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ril_4k),
		cmocka_unit_test(test_ril_16k),
		cmocka_unit_test(test_ril_64k),
		cmocka_unit_test(test_no_ril_4k),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests for the invalidation walk wired to the command queue: each
 * decoded walk command encodes to the right opcode and fields, and a walk
 * over a probed (fake) SMMU puts the TLBIs, CMD_SYNCs and ATC_INVs on the
 * queue in the kernel's order, 64-command chunks with one final sync.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <smmu/arch.h>
#include <smmu/bits.h>
#include <smmu/driver.h>

#include "dev.h"
#include "fake_smmu.h"
#include "invs.h"

#define SZ_4K UINT64_C(0x1000)

static uint64_t op_of(const uint64_t *dw)
{
	return SMMU_FIELD_GET(SMMU_CMD0_OP, dw[0]);
}

static void test_encode_each_op(void **state)
{
	struct smmu_inv_cmd range = {
		.op = SMMU_CMD_TLBI_NH_VA, .asid = 7, .addr = 0x123000, .num = 2,
		.scale = 1, .tg = SMMU_TLBI_TG_4K, .ttl = 3, .leaf = true,
	};
	struct smmu_inv_cmd tag = { .op = SMMU_CMD_TLBI_S12_VMALL, .vmid = 9 };
	struct smmu_inv_cmd atc = {
		.op = SMMU_CMD_ATC_INV, .sid = 0x42, .ssv = true, .ssid = 5,
		.addr = 0x10000, .size_log2 = 4,
	};
	struct smmu_cmd cmd;

	(void)state;
	assert_int_equal(smmu_inv_cmd_encode(&range, &cmd), 0);
	assert_int_equal(op_of(cmd.dw), SMMU_CMD_TLBI_NH_VA);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_ASID, cmd.dw[0]), 7);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_VMID, cmd.dw[0]), 0);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_TLBI_NUM, cmd.dw[0]), 2);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_TLBI_SCALE, cmd.dw[0]), 1);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD1_TLBI_TG, cmd.dw[1]), SMMU_TLBI_TG_4K);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD1_TLBI_TTL, cmd.dw[1]), 3);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD1_TLBI_LEAF, cmd.dw[1]), 1);
	assert_int_equal(cmd.dw[1] & SMMU_CMD1_TLBI_VA, 0x123000);

	assert_int_equal(smmu_inv_cmd_encode(&tag, &cmd), 0);
	assert_int_equal(op_of(cmd.dw), SMMU_CMD_TLBI_S12_VMALL);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_VMID, cmd.dw[0]), 9);

	assert_int_equal(smmu_inv_cmd_encode(&atc, &cmd), 0);
	assert_int_equal(op_of(cmd.dw), SMMU_CMD_ATC_INV);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SID, cmd.dw[0]), 0x42);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SSV, cmd.dw[0]), 1);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SSID, cmd.dw[0]), 5);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD1_ATC_SIZE, cmd.dw[1]), 4);
	assert_int_equal(cmd.dw[1] & SMMU_CMD1_ATC_ADDR, 0x10000);

	/* A misaligned ATC span is refused by the builder */
	atc.addr = 0x11000;
	assert_int_equal(smmu_inv_cmd_encode(&atc, &cmd), -EINVAL);
	assert_int_equal(smmu_inv_cmd_encode(NULL, &cmd), -EINVAL);
}

struct fixture {
	struct fake_smmu fake;
	struct smmu_dev *dev;
	struct smmu_invs *slot;
	size_t mark;            /* fake log length before the walk */
};

static void quiet_log(void *opaque, enum smmu_log_level level, const char *msg)
{
	(void)opaque;
	(void)level;
	(void)msg;
}

static struct fixture *fixture_new(bool ril)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct smmu_dev_options opts = { .opaque = fx, .log = quiet_log };
	struct smmu_platform plat;

	assert_non_null(fx);
	fake_smmu_init(&fx->fake);
	if (!ril)
		fake_set_reg(&fx->fake, SMMU_IDR3,
			     fake_reg(&fx->fake, SMMU_IDR3) & ~(uint32_t)SMMU_IDR3_RIL);
	fake_smmu_start(&fx->fake);
	fake_smmu_platform(&fx->fake, &plat);
	assert_int_equal(smmu_dev_probe(&plat, &opts, &fx->dev), 0);
	assert_int_equal(fx->dev->feat.ril, ril);
	fx->slot = smmu_invs_alloc(0);
	urcu_memb_register_thread();
	return fx;
}

static void fixture_free(struct fixture *fx)
{
	urcu_memb_barrier();
	urcu_memb_unregister_thread();
	smmu_invs_free(fx->slot);
	smmu_dev_remove(fx->dev);
	fake_smmu_fini(&fx->fake);
	free(fx);
}

static void attach(struct fixture *fx, const struct smmu_master_invs_desc *d)
{
	struct smmu_invs *scratch = smmu_invs_alloc_scratch(true, d->nsids);
	struct smmu_invs *merged = NULL;

	assert_int_equal(smmu_invs_build_master(scratch, d), 0);
	assert_int_equal(smmu_invs_merge(fx->slot, scratch, &merged), 0);
	smmu_invs_publish(&fx->slot, merged);
	smmu_invs_free(scratch);
	fx->mark = fx->fake.nlog;
}

static const uint64_t *logged(struct fixture *fx, size_t i)
{
	assert_true(fx->mark + i < fx->fake.nlog);
	return fx->fake.log[fx->mark + i].dw;
}

/* S1 + ATS with a PASID, RIL: NH_VA, SYNC, ATC_INV, SYNC. */
static void test_walk_to_queue(void **state)
{
	struct fixture *fx = fixture_new(true);
	const uint32_t sid = 7;
	struct smmu_master_invs_desc d = {
		.tag = { fx->dev, SMMU_INV_S1_ASID, 5 }, .pgsize_bitmap = 0x40201000,
		.ats = true, .ssid = 3, .sids = &sid, .nsids = 1,
	};

	(void)state;
	attach(fx, &d);
	assert_int_equal(smmu_invs_inv_range_cmdq(&fx->slot, 7 * SZ_4K, 4 * SZ_4K,
						  SZ_4K, true), 0);
	assert_int_equal(fx->fake.nlog - fx->mark, 4);
	assert_int_equal(op_of(logged(fx, 0)), SMMU_CMD_TLBI_NH_VA);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_ASID, logged(fx, 0)[0]), 5);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_TLBI_SCALE, logged(fx, 0)[0]), 2);
	assert_int_equal(op_of(logged(fx, 1)), SMMU_CMD_SYNC);
	assert_int_equal(op_of(logged(fx, 2)), SMMU_CMD_ATC_INV);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SID, logged(fx, 2)[0]), 7);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD1_ATC_SIZE, logged(fx, 2)[1]), 4);
	assert_int_equal(op_of(logged(fx, 3)), SMMU_CMD_SYNC);
	fixture_free(fx);
}

/* Nested, whole domain: S12_VMALL, SYNC, (no NH_ALL), ATC_INV x2, SYNC. */
static void test_nested_whole_domain(void **state)
{
	struct fixture *fx = fixture_new(true);
	const uint32_t sids[] = { 1, 2 };
	struct smmu_master_invs_desc d = {
		.tag = { fx->dev, SMMU_INV_S2_VMID_VSMMU, 4 },
		.pgsize_bitmap = 0x40201000, .nest_parent = true, .ats = true,
		.sids = sids, .nsids = 2,
	};

	(void)state;
	attach(fx, &d);
	assert_int_equal(smmu_invs_inv_range_cmdq(&fx->slot, 0, 0, 0, false), 0);
	assert_int_equal(fx->fake.nlog - fx->mark, 5);
	assert_int_equal(op_of(logged(fx, 0)), SMMU_CMD_TLBI_S12_VMALL);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_VMID, logged(fx, 0)[0]), 4);
	assert_int_equal(op_of(logged(fx, 1)), SMMU_CMD_SYNC);
	assert_int_equal(op_of(logged(fx, 2)), SMMU_CMD_ATC_INV);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD1_ATC_SIZE, logged(fx, 3)[1]),
			 SMMU_ATC_INV_SIZE_ALL);
	assert_int_equal(op_of(logged(fx, 4)), SMMU_CMD_SYNC);
	fixture_free(fx);
}

/* Without RIL 100 pages are 100 TLBIs, in 64-command chunks, one SYNC. */
static void test_long_batch_one_sync(void **state)
{
	struct fixture *fx = fixture_new(false);
	struct smmu_master_invs_desc d = {
		.tag = { fx->dev, SMMU_INV_S2_VMID, 2 }, .pgsize_bitmap = 0x40201000,
	};

	(void)state;
	attach(fx, &d);
	assert_int_equal(smmu_invs_inv_range_cmdq(&fx->slot, 0, 100 * SZ_4K, SZ_4K,
						  true), 0);
	assert_int_equal(fx->fake.nlog - fx->mark, 101);
	for (size_t i = 0; i < 100; i++) {
		assert_int_equal(op_of(logged(fx, i)), SMMU_CMD_TLBI_S2_IPA);
		assert_int_equal(logged(fx, i)[1] & SMMU_CMD1_TLBI_IPA, i * SZ_4K);
	}
	assert_int_equal(op_of(logged(fx, 100)), SMMU_CMD_SYNC);
	fixture_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_each_op),
		cmocka_unit_test(test_walk_to_queue),
		cmocka_unit_test(test_nested_whole_domain),
		cmocka_unit_test(test_long_batch_one_sync),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

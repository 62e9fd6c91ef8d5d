/*
 * Unit tests for the command builders: every opcode, every field at its
 * limits, and every refused argument leaves the command untouched.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "cmdq.h"

#define POISON 0xa5a5a5a5a5a5a5a5ull

static struct smmu_cmd poisoned(void)
{
	struct smmu_cmd c = { { POISON, POISON } };
	return c;
}

static void assert_untouched(const struct smmu_cmd *c)
{
	assert_int_equal(c->dw[0], POISON);
	assert_int_equal(c->dw[1], POISON);
}

static uint64_t get(uint64_t mask, uint64_t w)
{
	return SMMU_FIELD_GET(mask, w);
}

static void test_cfgi(void **state)
{
	struct smmu_cmd c = poisoned();

	assert_int_equal(smmu_cmd_cfgi_ste(&c, 0xffffffffu, true), 0);
	assert_int_equal(smmu_cmd_opcode(&c), SMMU_CMD_CFGI_STE);
	assert_int_equal(get(SMMU_CMD0_SID, c.dw[0]), 0xffffffffu);
	assert_int_equal(c.dw[0] & ~(SMMU_CMD0_OP | SMMU_CMD0_SID), 0);
	assert_int_equal(c.dw[1], SMMU_CMD1_LEAF);

	c = poisoned();
	assert_int_equal(smmu_cmd_cfgi_ste(&c, 7, false), 0);
	assert_int_equal(c.dw[1], 0);

	c = poisoned();
	assert_int_equal(smmu_cmd_cfgi_all(&c), 0);
	assert_int_equal(c.dw[0], SMMU_CMD_CFGI_STE_RANGE);
	assert_int_equal(get(SMMU_CMD1_RANGE, c.dw[1]), SMMU_CFGI_RANGE_ALL);

	c = poisoned();
	assert_int_equal(smmu_cmd_cfgi_cd(&c, 0x1234, 0xfffff, true), 0);
	assert_int_equal(smmu_cmd_opcode(&c), SMMU_CMD_CFGI_CD);
	assert_int_equal(get(SMMU_CMD0_SSID, c.dw[0]), 0xfffff);
	assert_int_equal(get(SMMU_CMD0_SID, c.dw[0]), 0x1234);
	assert_int_equal(get(SMMU_CMD0_SSV, c.dw[0]), 0); /* as the kernel: no SSV */
	assert_int_equal(c.dw[1], SMMU_CMD1_LEAF);

	c = poisoned();
	assert_int_equal(smmu_cmd_cfgi_cd(&c, 1, 0x100000, true), -EINVAL);
	assert_untouched(&c);

	assert_int_equal(smmu_cmd_cfgi_cd_all(&c, 42), 0);
	assert_int_equal(smmu_cmd_opcode(&c), SMMU_CMD_CFGI_CD_ALL);
	assert_int_equal(get(SMMU_CMD0_SID, c.dw[0]), 42);
	assert_int_equal(c.dw[1], 0);

	c = poisoned();
	assert_int_equal(smmu_cmd_prefetch_config(&c, 99), 0);
	assert_int_equal(smmu_cmd_opcode(&c), SMMU_CMD_PREFETCH_CONFIG);
	assert_int_equal(get(SMMU_CMD0_SID, c.dw[0]), 99);
	assert_int_equal(c.dw[1], 0);

	assert_int_equal(smmu_cmd_cfgi_ste(NULL, 1, true), -EINVAL);
	assert_int_equal(smmu_cmd_cfgi_all(NULL), -EINVAL);
}

struct tag_case {
	enum smmu_cmd_op op;
	bool asid, vmid;
};

static const struct tag_case tag_cases[] = {
	{ SMMU_CMD_TLBI_NH_ALL, false, true },
	{ SMMU_CMD_TLBI_NH_ASID, true, true },
	{ SMMU_CMD_TLBI_EL2_ALL, false, false },
	{ SMMU_CMD_TLBI_EL2_ASID, true, false },
	{ SMMU_CMD_TLBI_S12_VMALL, false, true },
	{ SMMU_CMD_TLBI_NSNH_ALL, false, false },
};

static void test_tlbi_tag(void **state)
{
	for (size_t i = 0; i < sizeof(tag_cases) / sizeof(tag_cases[0]); i++) {
		const struct tag_case *t = &tag_cases[i];
		uint16_t asid = t->asid ? 0xffff : 0, vmid = t->vmid ? 0xfffe : 0;
		struct smmu_cmd c = poisoned();

		assert_int_equal(smmu_cmd_tlbi_tag(&c, t->op, asid, vmid), 0);
		assert_int_equal(smmu_cmd_opcode(&c), t->op);
		assert_int_equal(get(SMMU_CMD0_ASID, c.dw[0]), asid);
		assert_int_equal(get(SMMU_CMD0_VMID, c.dw[0]), vmid);
		assert_int_equal(c.dw[1], 0);
		/* A tag the opcode does not carry is the caller's mistake. */
		c = poisoned();
		if (!t->asid) {
			assert_int_equal(smmu_cmd_tlbi_tag(&c, t->op, 1, vmid), -EINVAL);
			assert_untouched(&c);
		}
		if (!t->vmid) {
			assert_int_equal(smmu_cmd_tlbi_tag(&c, t->op, asid, 1), -EINVAL);
			assert_untouched(&c);
		}
	}
	/* Wrong family: a range opcode or a non-TLBI opcode. */
	struct smmu_cmd c = poisoned();
	assert_int_equal(smmu_cmd_tlbi_tag(&c, SMMU_CMD_TLBI_NH_VA, 1, 0), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_tag(&c, SMMU_CMD_CFGI_STE, 0, 0), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_tag(&c, (enum smmu_cmd_op)0xff, 0, 0), -EINVAL);
	assert_untouched(&c);
}

static void test_tlbi_range(void **state)
{
	struct smmu_cmd c = poisoned();
	uint64_t va = 0xfffffffffffff000ull;

	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_NH_VA, 0xabcd, 0x1234,
					     va, true, SMMU_TLBI_TG_64K, 3, 31, 31), 0);
	assert_int_equal(smmu_cmd_opcode(&c), SMMU_CMD_TLBI_NH_VA);
	assert_int_equal(get(SMMU_CMD0_ASID, c.dw[0]), 0xabcd);
	assert_int_equal(get(SMMU_CMD0_VMID, c.dw[0]), 0x1234);
	assert_int_equal(get(SMMU_CMD0_TLBI_NUM, c.dw[0]), 31);
	assert_int_equal(get(SMMU_CMD0_TLBI_SCALE, c.dw[0]), 31);
	assert_int_equal(get(SMMU_CMD1_TLBI_LEAF, c.dw[1]), 1);
	assert_int_equal(get(SMMU_CMD1_TLBI_TTL, c.dw[1]), 3);
	assert_int_equal(get(SMMU_CMD1_TLBI_TG, c.dw[1]), SMMU_TLBI_TG_64K);
	assert_int_equal(c.dw[1] & SMMU_CMD1_TLBI_VA, va);

	c = poisoned();
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_S2_IPA, 0, 7,
					     0x00fffffffffff000ull, false, 0, 0, 0, 0), 0);
	assert_int_equal(get(SMMU_CMD0_VMID, c.dw[0]), 7);
	assert_int_equal(c.dw[1], 0x00fffffffffff000ull);

	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_EL2_VA, 5, 0, 0x1000,
					     false, 0, 2, 0, 0), 0);
	assert_int_equal(get(SMMU_CMD1_TLBI_TTL, c.dw[1]), 2);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_NH_VAA, 0, 9, 0x2000,
					     false, 0, 0, 0, 0), 0);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_EL2_VAA, 0, 0, 0x2000,
					     false, 0, 0, 0, 0), 0);
	assert_int_equal(smmu_cmd_opcode(&c), SMMU_CMD_TLBI_EL2_VAA);

	c = poisoned();
	/* Unaligned address, IPA beyond 56 bits, bad TG/TTL, NUM/SCALE
	 * without a granule, oversized NUM/SCALE, tags the op lacks. */
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_NH_VA, 1, 0, 0x1001, false, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_S2_IPA, 0, 1, 1ull << 56, false, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_NH_VA, 1, 0, 0, false, 4, 0, 0, 0), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_NH_VA, 1, 0, 0, false, 1, 4, 0, 0), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_NH_VA, 1, 0, 0, false, 0, 0, 1, 0), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_NH_VA, 1, 0, 0, false, 0, 0, 0, 1), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_NH_VA, 1, 0, 0, false, 1, 0, 32, 0), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_NH_VA, 1, 0, 0, false, 1, 0, 0, 64), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_EL2_VA, 1, 1, 0, false, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_S2_IPA, 1, 1, 0, false, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(smmu_cmd_tlbi_range(&c, SMMU_CMD_TLBI_NH_ASID, 1, 1, 0, false, 0, 0, 0, 0), -EINVAL);
	assert_untouched(&c);
}

static void test_atc_inv(void **state)
{
	struct smmu_cmd c = poisoned();

	assert_int_equal(smmu_cmd_atc_inv(&c, 0x55, true, 0xfffff, 0x10000, 4), 0);
	assert_int_equal(smmu_cmd_opcode(&c), SMMU_CMD_ATC_INV);
	assert_int_equal(get(SMMU_CMD0_SSV, c.dw[0]), 1);
	assert_int_equal(get(SMMU_CMD0_SSID, c.dw[0]), 0xfffff);
	assert_int_equal(get(SMMU_CMD0_SID, c.dw[0]), 0x55);
	assert_int_equal(get(SMMU_CMD1_ATC_SIZE, c.dw[1]), 4);
	assert_int_equal(c.dw[1] & SMMU_CMD1_ATC_ADDR, 0x10000);

	assert_int_equal(smmu_cmd_atc_inv(&c, 1, false, 0, 0, SMMU_ATC_INV_SIZE_ALL), 0);
	assert_int_equal(get(SMMU_CMD1_ATC_SIZE, c.dw[1]), SMMU_ATC_INV_SIZE_ALL);

	c = poisoned();
	assert_int_equal(smmu_cmd_atc_inv(&c, 1, false, 3, 0, 0), -EINVAL);     /* ssid without ssv */
	assert_int_equal(smmu_cmd_atc_inv(&c, 1, true, 1u << 20, 0, 0), -EINVAL);
	assert_int_equal(smmu_cmd_atc_inv(&c, 1, false, 0, 0x1000, 1), -EINVAL); /* misaligned span */
	assert_int_equal(smmu_cmd_atc_inv(&c, 1, false, 0, 0x800, 0), -EINVAL);
	assert_int_equal(smmu_cmd_atc_inv(&c, 1, false, 0, 0, 53), -EINVAL);
	assert_int_equal(smmu_cmd_atc_inv(&c, 1, false, 0, 0x1000, 52), -EINVAL);
	assert_untouched(&c);
}

static void test_pri_resume(void **state)
{
	struct smmu_cmd c = poisoned();

	assert_int_equal(smmu_cmd_pri_resp(&c, 9, true, 0x77, 511, SMMU_PRI_RESP_SUCC), 0);
	assert_int_equal(smmu_cmd_opcode(&c), SMMU_CMD_PRI_RESP);
	assert_int_equal(get(SMMU_CMD0_SID, c.dw[0]), 9);
	assert_int_equal(get(SMMU_CMD0_SSID, c.dw[0]), 0x77);
	assert_int_equal(get(SMMU_CMD0_SSV, c.dw[0]), 1);
	assert_int_equal(get(SMMU_CMD1_PRI_GRPID, c.dw[1]), 511);
	assert_int_equal(get(SMMU_CMD1_PRI_RESP, c.dw[1]), SMMU_PRI_RESP_SUCC);

	c = poisoned();
	assert_int_equal(smmu_cmd_pri_resp(&c, 9, false, 0, 512, SMMU_PRI_RESP_DENY), -EINVAL);
	assert_int_equal(smmu_cmd_pri_resp(&c, 9, false, 0, 1, (enum smmu_pri_resp)3), -EINVAL);
	assert_int_equal(smmu_cmd_pri_resp(&c, 9, false, 1, 1, SMMU_PRI_RESP_DENY), -EINVAL);
	assert_untouched(&c);

	assert_int_equal(smmu_cmd_resume(&c, 0xdead, 0xbeef, SMMU_RESUME_ABORT), 0);
	assert_int_equal(smmu_cmd_opcode(&c), SMMU_CMD_RESUME);
	assert_int_equal(get(SMMU_CMD0_SID, c.dw[0]), 0xdead);
	assert_int_equal(get(SMMU_CMD0_RESUME_RESP, c.dw[0]), SMMU_RESUME_ABORT);
	assert_int_equal(get(SMMU_CMD1_RESUME_STAG, c.dw[1]), 0xbeef);
	c = poisoned();
	assert_int_equal(smmu_cmd_resume(&c, 1, 1, (enum smmu_resume_action)3), -EINVAL);
	assert_untouched(&c);
}

static void test_sync(void **state)
{
	struct smmu_cmd c = poisoned();

	assert_int_equal(smmu_cmd_sync(&c, SMMU_SYNC_CS_IRQ, 0x00fffffffffffffcull, 0xcafe), 0);
	assert_int_equal(smmu_cmd_opcode(&c), SMMU_CMD_SYNC);
	assert_int_equal(get(SMMU_CMD0_SYNC_CS, c.dw[0]), SMMU_SYNC_CS_IRQ);
	assert_int_equal(get(SMMU_CMD0_SYNC_MSH, c.dw[0]), SMMU_SH_ISH);
	assert_int_equal(get(SMMU_CMD0_SYNC_MSIATTR, c.dw[0]), SMMU_MEMATTR_OIWB);
	assert_int_equal(get(SMMU_CMD0_SYNC_MSIDATA, c.dw[0]), 0xcafe);
	assert_int_equal(c.dw[1], 0x00fffffffffffffcull);

	assert_int_equal(smmu_cmd_sync(&c, SMMU_SYNC_CS_SEV, 0, 0), 0);
	assert_int_equal(get(SMMU_CMD0_SYNC_CS, c.dw[0]), SMMU_SYNC_CS_SEV);
	assert_int_equal(c.dw[1], 0);
	assert_int_equal(smmu_cmd_sync(&c, SMMU_SYNC_CS_NONE, 0, 0), 0);
	assert_int_equal(get(SMMU_CMD0_SYNC_CS, c.dw[0]), SMMU_SYNC_CS_NONE);

	c = poisoned();
	assert_int_equal(smmu_cmd_sync(&c, SMMU_SYNC_CS_RESERVED, 0, 0), -EINVAL);
	assert_int_equal(smmu_cmd_sync(&c, SMMU_SYNC_CS_IRQ, 0x1002, 0), -EINVAL);   /* unaligned */
	assert_int_equal(smmu_cmd_sync(&c, SMMU_SYNC_CS_IRQ, 1ull << 56, 0), -EINVAL);
	assert_int_equal(smmu_cmd_sync(&c, SMMU_SYNC_CS_SEV, 0x1000, 0), -EINVAL);   /* MSI without IRQ */
	assert_int_equal(smmu_cmd_sync(&c, SMMU_SYNC_CS_NONE, 0, 1), -EINVAL);
	assert_untouched(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfgi),
		cmocka_unit_test(test_tlbi_tag),
		cmocka_unit_test(test_tlbi_range),
		cmocka_unit_test(test_atc_inv),
		cmocka_unit_test(test_pri_resume),
		cmocka_unit_test(test_sync),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the hitless entry writer on every transition of the
 * kernel's KUnit table (linux-driver.md 4.5), plus our own.
 *
 * Concepts: the writer's sync op is the recorder (recorder.h), which
 * looks at the live entry at every sync point as the SMMU would after
 * CMD_SYNC.  Each transition asserts the kernel's sync count, whether the
 * entry went through V=0, and that no sync saw a configuration that was
 * neither the old nor the new one, nor followed a step that changed
 * nothing.
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

#include "entry.h"
#include "fixtures.h"
#include "recorder.h"

static void expect_transition(const struct smmu_entry_ops *ops,
			      uint64_t v_mask, const uint64_t *init,
			      const uint64_t *target, unsigned syncs,
			      bool hitless)
{
	struct rec r = { .ops = ops, .v_mask = v_mask };
	uint64_t live[REC_WORDS];

	assert_int_equal(rec_write(&r, init, target, live), 0);
	assert_memory_equal(live, target, sizeof(live));
	assert_int_equal(r.syncs, syncs);
	assert_int_equal(r.invalid_seen, !hitless);
	assert_false(r.mixed_seen);
	assert_false(r.redundant_sync);
}

static void expect_ste(const struct smmu_ste *from, const struct smmu_ste *to,
		       unsigned syncs, bool hitless)
{
	expect_transition(&rec_ste_ops, SMMU_STE0_V, from->dw, to->dw, syncs,
			  hitless);
}

static void expect_cd(const struct smmu_cd *from, const struct smmu_cd *to,
		      unsigned syncs, bool hitless)
{
	expect_transition(&rec_cd_ops, SMMU_CD0_V, from->dw, to->dw, syncs,
			  hitless);
}

/* The STEs of the kernel's table, plus the variants we add. */
struct stes {
	struct smmu_ste abort, bypass;
	struct smmu_ste cdtab, cdtab_s1dss_bypass, cdtab_other_bypass;
	struct smmu_ste cdtab_no_ats, cdtab_terminate;
	struct smmu_ste s2, s2_plain, s2_vmid5;
	struct smmu_ste cdtab_stall, s2_stall, nested;
};

static int stes_setup(void **state)
{
	struct smmu_features feat;
	struct smmu_ste_s2_cfg s2;
	struct stes *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	fx_features(&feat);
	smmu_ste_make_abort(&s->abort);
	smmu_ste_make_bypass(&feat, &s->bypass);
	fx_cdtable_ste(&s->cdtab, SMMU_S1DSS_SSID0, FX_CDTAB_BUS, FX_ATS);
	fx_cdtable_ste(&s->cdtab_s1dss_bypass, SMMU_S1DSS_BYPASS, FX_CDTAB_BUS,
		       FX_ATS);
	fx_cdtable_ste(&s->cdtab_other_bypass, SMMU_S1DSS_BYPASS,
		       FX_CDTAB2_BUS, FX_ATS);
	fx_cdtable_ste(&s->cdtab_no_ats, SMMU_S1DSS_SSID0, FX_CDTAB_BUS, 0);
	fx_cdtable_ste(&s->cdtab_terminate, SMMU_S1DSS_TERMINATE, FX_CDTAB_BUS,
		       FX_ATS);
	fx_s2_ste(&s->s2, FX_ATS);
	fx_s2_ste(&s->s2_plain, 0);
	fx_s2_cfg(&s2, FX_ATS);
	s2.vmid = 5;
	if (smmu_ste_make_s2(&feat, &s2, &s->s2_vmid5))
		return -1;
	fx_cdtable_ste(&s->cdtab_stall, SMMU_S1DSS_SSID0, FX_CDTAB_BUS,
		       FX_STALL);
	fx_s2_ste(&s->s2_stall, FX_STALL);
	fx_cdtable_ste(&s->nested, SMMU_S1DSS_BYPASS, FX_CDTAB_BUS,
		       FX_ATS | FX_NESTED);
	*state = s;
	return 0;
}

static int stes_teardown(void **state)
{
	free(*state);
	return 0;
}

#define STE_TRANSITION(name, from, to, syncs, hitless)          \
	static void test_ste_##name(void **state)               \
	{                                                       \
		const struct stes *s = *state;                  \
		expect_ste(&s->from, &s->to, syncs, hitless);   \
	}

/* The kernel's KUnit table, with its sync counts. */
STE_TRANSITION(bypass_to_abort, bypass, abort, 2, true)
STE_TRANSITION(abort_to_bypass, abort, bypass, 2, true)
STE_TRANSITION(cdtable_to_abort, cdtab, abort, 2, true)
STE_TRANSITION(abort_to_cdtable, abort, cdtab, 2, true)
STE_TRANSITION(cdtable_to_bypass, cdtab, bypass, 3, true)
STE_TRANSITION(bypass_to_cdtable, bypass, cdtab, 3, true)
STE_TRANSITION(s1dss_ssid0_to_bypass, cdtab, cdtab_s1dss_bypass, 1, true)
STE_TRANSITION(s1dss_bypass_to_ssid0, cdtab_s1dss_bypass, cdtab, 1, true)
STE_TRANSITION(s1dssbypass_to_stebypass, cdtab_s1dss_bypass, bypass, 2, true)
STE_TRANSITION(stebypass_to_s1dssbypass, bypass, cdtab_s1dss_bypass, 2, true)
STE_TRANSITION(s2_to_abort, s2, abort, 2, true)
STE_TRANSITION(abort_to_s2, abort, s2, 2, true)
STE_TRANSITION(s2_to_bypass, s2, bypass, 2, true)
STE_TRANSITION(bypass_to_s2, bypass, s2, 2, true)
STE_TRANSITION(s1_to_s2, cdtab, s2, 3, true)
STE_TRANSITION(s2_to_s1, s2, cdtab, 3, true)
STE_TRANSITION(non_hitless, cdtab, cdtab_other_bypass, 3, false)
STE_TRANSITION(s1_to_s2_stall, cdtab_stall, s2_stall, 3, true)
STE_TRANSITION(s2_to_s1_stall, s2_stall, cdtab_stall, 3, true)
/* The extra sync clears EATS and MEV, which plain stage 2 does not use. */
STE_TRANSITION(nested_s1dssbypass_to_s1bypass, nested, s2_plain, 3, true)
STE_TRANSITION(nested_s1bypass_to_s1dssbypass, s2_plain, nested, 2, true)

/* Ours: ATS on/off and S1DSS terminate only touch word 1. */
STE_TRANSITION(cdtable_ats_off, cdtab, cdtab_no_ats, 1, true)
STE_TRANSITION(cdtable_ats_on, cdtab_no_ats, cdtab, 1, true)
STE_TRANSITION(s1dss_ssid0_to_terminate, cdtab, cdtab_terminate, 1, true)
STE_TRANSITION(nested_to_abort, nested, abort, 2, true)
STE_TRANSITION(abort_to_nested, abort, nested, 2, true)
STE_TRANSITION(unchanged, cdtab, cdtab, 0, true)
/*
 * A stage-1 STE tags with the reserved VMID 0: moving to a stage 2 with a
 * real VMID changes used bits in words 0 and 2, so it cannot be hitless.
 */
STE_TRANSITION(s1_to_s2_real_vmid, cdtab, s2_vmid5, 3, false)

static void cd_s1(struct smmu_cd *cd, uint16_t asid)
{
	struct smmu_features feat;
	struct smmu_cd_s1_cfg cfg;

	fx_features(&feat);
	fx_s1_cd_cfg(&cfg, asid);
	assert_int_equal(smmu_cd_make_s1(&feat, &cfg, cd), 0);
}

static void cd_sva(struct smmu_cd *cd, uint16_t asid, bool released)
{
	struct smmu_features feat;
	struct smmu_cd_s1_cfg cfg;

	fx_features(&feat);
	fx_sva_cd_cfg(&cfg, asid);
	assert_int_equal(released ?
			 smmu_cd_make_sva_released(&feat, &cfg, cd) :
			 smmu_cd_make_s1(&feat, &cfg, cd), 0);
}

static void test_cd_s1_clear(void **state)
{
	struct smmu_cd zero = { { 0 } }, cd;

	(void)state;
	cd_s1(&cd, 1997);
	expect_cd(&zero, &cd, 2, false);
	expect_cd(&cd, &zero, 2, false);
}

static void test_cd_s1_change_asid(void **state)
{
	struct smmu_cd a, b;

	(void)state;
	cd_s1(&a, 778);
	cd_s1(&b, 1997);
	expect_cd(&a, &b, 1, true);
	expect_cd(&b, &a, 1, true);
}

static void test_cd_sva_clear(void **state)
{
	struct smmu_cd zero = { { 0 } }, cd;

	(void)state;
	cd_sva(&cd, 1997, false);
	expect_cd(&zero, &cd, 2, false);
	expect_cd(&cd, &zero, 2, false);
}

static void test_cd_sva_release(void **state)
{
	struct smmu_cd live, released;

	(void)state;
	cd_sva(&live, 1997, false);
	cd_sva(&released, 1997, true);
	expect_cd(&live, &released, 2, true);
	expect_cd(&released, &live, 2, true);
}

/* Ours: a new page table for the same ASID is one word: one sync. */
static void test_cd_change_ttb0(void **state)
{
	struct smmu_features feat;
	struct smmu_cd_s1_cfg cfg;
	struct smmu_cd a, b;

	(void)state;
	fx_features(&feat);
	fx_s1_cd_cfg(&cfg, 7);
	assert_int_equal(smmu_cd_make_s1(&feat, &cfg, &a), 0);
	cfg.ttbr += 0x1000;
	assert_int_equal(smmu_cd_make_s1(&feat, &cfg, &b), 0);
	expect_cd(&a, &b, 1, true);
}

static void test_writer_rejects_unused_target_bits(void **state)
{
	const struct stes *s = *state;
	struct rec r = { .ops = &rec_ste_ops, .v_mask = SMMU_STE0_V };
	struct smmu_ste bad = s->abort;
	uint64_t live[REC_WORDS];

	/* An abort STE does not read SHCFG: the bit would never be cleared. */
	bad.dw[1] = SMMU_FIELD_PREP(SMMU_STE1_SHCFG, SMMU_SHCFG_INCOMING);
	assert_int_equal(rec_write(&r, s->cdtab.dw, bad.dw, live), -EINVAL);
	assert_memory_equal(live, s->cdtab.dw, sizeof(live));
	assert_int_equal(r.syncs, 0);
}

static void test_writer_rejects_bad_ops(void **state)
{
	const struct stes *s = *state;
	struct smmu_entry_ops ops = rec_ste_ops;
	struct smmu_entry_writer writer = { .ops = &ops };
	struct smmu_ste live = s->abort;

	assert_int_equal(smmu_entry_write(NULL, live.dw, s->bypass.dw),
			 -EINVAL);
	assert_int_equal(smmu_entry_write(&writer, NULL, s->bypass.dw),
			 -EINVAL);
	assert_int_equal(smmu_entry_write(&writer, live.dw, NULL), -EINVAL);
	ops.num_words = 0;
	assert_int_equal(smmu_entry_write(&writer, live.dw, s->bypass.dw),
			 -EINVAL);
	ops.num_words = SMMU_ENTRY_MAX_WORDS + 1;
	assert_int_equal(smmu_entry_write(&writer, live.dw, s->bypass.dw),
			 -EINVAL);
	ops = rec_ste_ops;
	ops.sync = NULL;
	assert_int_equal(smmu_entry_write(&writer, live.dw, s->bypass.dw),
			 -EINVAL);
	assert_memory_equal(&live, &s->abort, sizeof(live));
}

/* A failed sync is reported, and the sequence still reaches the target. */
static void test_writer_sync_error(void **state)
{
	const struct stes *s = *state;
	struct rec r = {
		.ops = &rec_ste_ops, .v_mask = SMMU_STE0_V, .fail_sync = 1,
	};
	uint64_t live[REC_WORDS];

	assert_int_equal(rec_write(&r, s->cdtab.dw, s->s2.dw, live),
			 -ETIMEDOUT);
	assert_memory_equal(live, s->s2.dw, sizeof(live));
	assert_int_equal(r.syncs, 3);
	assert_false(r.mixed_seen);
}

/* The writer is generic: a one-word entry whose used bits are all bits. */
static void word_used(const uint64_t *entry, uint64_t *used)
{
	(void)entry;
	used[0] = ~UINT64_C(0);
}

static void test_writer_one_word_entry(void **state)
{
	static const struct smmu_entry_ops ops = {
		.num_words = 1, .get_used = word_used, .sync = rec_sync,
	};
	struct rec r = { .ops = &ops, .v_mask = 1 };
	const uint64_t init[REC_WORDS] = { 0x11 }, target[REC_WORDS] = { 0x23 };
	uint64_t live[REC_WORDS];

	(void)state;
	assert_int_equal(rec_write(&r, init, target, live), 0);
	assert_int_equal(live[0], target[0]);
	assert_int_equal(r.syncs, 1);
	assert_false(r.invalid_seen);
}

#define STE_TEST(name) cmocka_unit_test(test_ste_##name)

int main(void)
{
	const struct CMUnitTest tests[] = {
		STE_TEST(bypass_to_abort),
		STE_TEST(abort_to_bypass),
		STE_TEST(cdtable_to_abort),
		STE_TEST(abort_to_cdtable),
		STE_TEST(cdtable_to_bypass),
		STE_TEST(bypass_to_cdtable),
		STE_TEST(s1dss_ssid0_to_bypass),
		STE_TEST(s1dss_bypass_to_ssid0),
		STE_TEST(s1dssbypass_to_stebypass),
		STE_TEST(stebypass_to_s1dssbypass),
		STE_TEST(s2_to_abort),
		STE_TEST(abort_to_s2),
		STE_TEST(s2_to_bypass),
		STE_TEST(bypass_to_s2),
		STE_TEST(s1_to_s2),
		STE_TEST(s2_to_s1),
		STE_TEST(non_hitless),
		STE_TEST(s1_to_s2_stall),
		STE_TEST(s2_to_s1_stall),
		STE_TEST(nested_s1dssbypass_to_s1bypass),
		STE_TEST(nested_s1bypass_to_s1dssbypass),
		STE_TEST(cdtable_ats_off),
		STE_TEST(cdtable_ats_on),
		STE_TEST(s1dss_ssid0_to_terminate),
		STE_TEST(nested_to_abort),
		STE_TEST(abort_to_nested),
		STE_TEST(unchanged),
		STE_TEST(s1_to_s2_real_vmid),
		cmocka_unit_test(test_cd_s1_clear),
		cmocka_unit_test(test_cd_s1_change_asid),
		cmocka_unit_test(test_cd_sva_clear),
		cmocka_unit_test(test_cd_sva_release),
		cmocka_unit_test(test_cd_change_ttb0),
		cmocka_unit_test(test_writer_rejects_unused_target_bits),
		cmocka_unit_test(test_writer_rejects_bad_ops),
		cmocka_unit_test(test_writer_sync_error),
		cmocka_unit_test(test_writer_one_word_entry),
	};

	return cmocka_run_group_tests(tests, stes_setup, stes_teardown);
}

/*
 * Randomised transitions of the hitless writer between entries the
 * builders make.
 *
 * Concepts: the kernel's table covers chosen pairs; this test draws
 * thousands of pairs from the whole builder space (every STE kind with
 * random S1DSS, ATS, stall, table format, addresses and VMIDs from small
 * sets so that near-identical pairs are common; S1 CDs, released SVA CDs
 * and the zero CD) with a fixed seed, and checks the writer's invariants
 * on each: it ends on the target, no sync sees a configuration that is
 * neither old nor new, no sync follows a step that changed nothing, at
 * most three syncs, none when nothing changes, and V=0 is seen only when
 * both entries were valid and the V=0 path was needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../rng.h"
#include "fixtures.h"
#include "recorder.h"

#define PAIRS 4000u

static void random_cdtab_cfg(uint64_t *st, struct smmu_ste_cdtab_cfg *cfg,
			     unsigned master)
{
	static const uint64_t buses[] = { FX_CDTAB_BUS, FX_CDTAB2_BUS };

	fx_cdtab_cfg(cfg, test_pick(st, 3), buses[test_pick(st, 2)], master);
	cfg->s1fmt = test_pick(st, 2) ? SMMU_S1FMT_1024_L2 : SMMU_S1FMT_LINEAR;
	cfg->s1cdmax = test_pick(st, 2) ? FX_S1CDMAX : 0;
}

static void random_s2_cfg(uint64_t *st, struct smmu_ste_s2_cfg *cfg,
			  unsigned master)
{
	fx_s2_cfg(cfg, master);
	cfg->vmid = (uint16_t)test_pick(st, 2) * 5;
	cfg->vttbr += test_pick(st, 2) * 0x1000;
	cfg->vtcr.tsz += test_pick(st, 2);
}

/* The master: ATS, stall or neither (a stalling master never uses ATS). */
static unsigned random_master(uint64_t *st)
{
	static const unsigned masters[] = { 0, FX_ATS, FX_STALL };

	return masters[test_pick(st, 3)];
}

static void random_ste(uint64_t *st, const struct smmu_features *feat,
		       struct smmu_ste *ste)
{
	unsigned master = random_master(st);
	struct smmu_ste_cdtab_cfg s1;
	struct smmu_ste_s2_cfg s2;
	int ret = 0;

	switch (test_pick(st, 5)) {
	case 0:
		ret = smmu_ste_make_abort(ste);
		break;
	case 1:
		ret = smmu_ste_make_bypass(feat, ste);
		break;
	case 2:
		random_cdtab_cfg(st, &s1, master);
		ret = smmu_ste_make_cdtable(feat, &s1, ste);
		break;
	case 3:
		random_s2_cfg(st, &s2, master);
		ret = smmu_ste_make_s2(feat, &s2, ste);
		break;
	default:
		random_cdtab_cfg(st, &s1, master);
		random_s2_cfg(st, &s2, master);
		ret = smmu_ste_make_nested(feat, &s1, &s2, ste);
		break;
	}
	assert_int_equal(ret, 0);
}

static void random_cd(uint64_t *st, const struct smmu_features *feat,
		      struct smmu_cd *cd)
{
	struct smmu_cd_s1_cfg cfg;
	unsigned kind = test_pick(st, 4);

	if (kind == 0) {
		memset(cd, 0, sizeof(*cd));
		return;
	}
	fx_sva_cd_cfg(&cfg, (uint16_t)(1 + test_pick(st, 2)));
	cfg.ttbr += test_pick(st, 2) * 0x1000;
	cfg.tcr.tsz += test_pick(st, 2);
	cfg.stall = test_pick(st, 2);
	assert_int_equal(kind == 1 ?
			 smmu_cd_make_sva_released(feat, &cfg, cd) :
			 smmu_cd_make_s1(feat, &cfg, cd), 0);
}

/* How many pairs took n syncs, hitless (0) or through V=0 (1). */
struct tally {
	unsigned n[4][2];
};

static void check_pair(const struct smmu_entry_ops *ops, uint64_t v_mask,
		       const uint64_t *init, const uint64_t *target,
		       struct tally *t)
{
	struct rec r = { .ops = ops, .v_mask = v_mask };
	bool same = !memcmp(init, target, REC_WORDS * sizeof(*init));
	bool both_valid = (init[0] & v_mask) && (target[0] & v_mask);
	uint64_t live[REC_WORDS];

	assert_int_equal(rec_write(&r, init, target, live), 0);
	assert_memory_equal(live, target, sizeof(live));
	assert_false(r.mixed_seen);
	assert_false(r.redundant_sync);
	assert_true(r.syncs <= 3);
	assert_int_equal(r.syncs == 0, same);
	/* From or to an invalid entry V=0 is expected; otherwise only 3 syncs. */
	if (r.invalid_seen && both_valid)
		assert_int_equal(r.syncs, 3);
	t->n[r.syncs][r.invalid_seen]++;
}

/* Draws one entry into dw[REC_WORDS]. */
typedef void random_entry_fn(uint64_t *st, const struct smmu_features *feat,
			     uint64_t *dw);

static void random_ste_words(uint64_t *st, const struct smmu_features *feat,
			     uint64_t *dw)
{
	struct smmu_ste ste;

	random_ste(st, feat, &ste);
	memcpy(dw, ste.dw, sizeof(ste.dw));
}

static void random_cd_words(uint64_t *st, const struct smmu_features *feat,
			    uint64_t *dw)
{
	struct smmu_cd cd;

	random_cd(st, feat, &cd);
	memcpy(dw, cd.dw, sizeof(cd.dw));
}

static void run_pairs(random_entry_fn *draw, const struct smmu_entry_ops *ops,
		      uint64_t v_mask, uint64_t seed, struct tally *t)
{
	struct smmu_features feat;

	fx_features(&feat);
	for (unsigned i = 0; i < PAIRS; i++) {
		uint64_t a[REC_WORDS], b[REC_WORDS];

		draw(&seed, &feat, a);
		draw(&seed, &feat, b);
		check_pair(ops, v_mask, a, b, t);
	}
}

static void test_random_ste_transitions(void **state)
{
	struct tally t = { { { 0 } } };

	(void)state;
	run_pairs(random_ste_words, &rec_ste_ops, SMMU_STE0_V,
		  UINT64_C(0x9E3779B97F4A7C15), &t);
	/* The draw reaches every kind of sequence. */
	for (unsigned n = 1; n <= 3; n++)
		assert_true(t.n[n][0] > 0);
	assert_true(t.n[3][1] > 0);
}

static void test_random_cd_transitions(void **state)
{
	struct tally t = { { { 0 } } };

	(void)state;
	run_pairs(random_cd_words, &rec_cd_ops, SMMU_CD0_V,
		  UINT64_C(0xD1B54A32D192ED03), &t);
	assert_true(t.n[1][0] > 0 && t.n[2][0] > 0 && t.n[2][1] > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_ste_transitions),
		cmocka_unit_test(test_random_cd_transitions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the STE and CD builders and their used bits.
 *
 * Concepts: every field a builder sets is read back with SMMU_FIELD_GET
 * through the arch.h mask and compared with the input; every word is
 * checked to hold no bit outside the fields checked, and no bit outside
 * what get_used reports for its configuration.  Bad inputs must give
 * -EINVAL and leave the target untouched.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"

#define POISON 0xa5

#define assert_field(mask, word, val) \
	assert_int_equal(SMMU_FIELD_GET(mask, word), (val))

/* Every bit of each word lies in the given mask of checked fields. */
static void assert_only(const uint64_t *entry, const uint64_t *checked)
{
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(entry[i] & ~checked[i], 0);
}

/* One field of one word and the value it must hold. */
struct field {
	unsigned word;
	uint64_t mask;
	uint64_t val;
};

/* Each field holds its value and no bit lies outside the fields. */
static void assert_fields(const uint64_t *entry, const struct field *f,
			  size_t n)
{
	uint64_t checked[8] = { 0 };

	for (size_t i = 0; i < n; i++) {
		assert_int_equal(SMMU_FIELD_GET(f[i].mask, entry[f[i].word]),
				 f[i].val);
		checked[f[i].word] |= f[i].mask;
	}
	assert_only(entry, checked);
}

#define ASSERT_FIELDS(entry, ...)                                       \
	do {                                                            \
		const struct field fields_[] = { __VA_ARGS__ };         \
		assert_fields((entry), fields_,                         \
			      sizeof(fields_) / sizeof(fields_[0]));    \
	} while (0)

static void assert_within_used_ste(const struct smmu_ste *ste)
{
	uint64_t used[8] = { 0 };

	smmu_ste_get_used(ste->dw, used);
	assert_only(ste->dw, used);
}

static void test_abort_and_bypass(void **state)
{
	struct smmu_features feat;
	struct smmu_ste ste;

	(void)state;
	fx_features(&feat);
	assert_int_equal(smmu_ste_make_abort(&ste), 0);
	ASSERT_FIELDS(ste.dw, { 0, SMMU_STE0_V, 1 },
		      { 0, SMMU_STE0_CONFIG, SMMU_STE_CFG_ABORT });
	assert_within_used_ste(&ste);

	assert_int_equal(smmu_ste_make_bypass(&feat, &ste), 0);
	ASSERT_FIELDS(ste.dw, { 0, SMMU_STE0_V, 1 },
		      { 0, SMMU_STE0_CONFIG, SMMU_STE_CFG_BYPASS },
		      { 1, SMMU_STE1_SHCFG, SMMU_SHCFG_INCOMING });
	assert_within_used_ste(&ste);

	feat.attr_types_ovr = false;
	assert_int_equal(smmu_ste_make_bypass(&feat, &ste), 0);
	assert_int_equal(ste.dw[1], 0);
	assert_int_equal(smmu_ste_make_abort(NULL), -EINVAL);
	assert_int_equal(smmu_ste_make_bypass(NULL, &ste), -EINVAL);
}

static void check_cdtab_ste(const struct smmu_features *feat,
			    const struct smmu_ste_cdtab_cfg *cfg)
{
	struct smmu_ste ste;
	bool shcfg = feat->attr_types_ovr && cfg->s1dss == SMMU_S1DSS_BYPASS;

	assert_int_equal(smmu_ste_make_cdtable(feat, cfg, &ste), 0);
	ASSERT_FIELDS(ste.dw,
		{ 0, SMMU_STE0_V, 1 },
		{ 0, SMMU_STE0_CONFIG, SMMU_STE_CFG_S1 },
		{ 0, SMMU_STE0_S1FMT, cfg->s1fmt },
		{ 0, SMMU_STE0_S1CTXPTR,
		  SMMU_FIELD_GET(SMMU_STE0_S1CTXPTR, cfg->cdtab_bus) },
		{ 0, SMMU_STE0_S1CDMAX, cfg->s1cdmax },
		{ 1, SMMU_STE1_S1DSS, cfg->s1dss },
		{ 1, SMMU_STE1_S1CIR, SMMU_CACHE_WB },
		{ 1, SMMU_STE1_S1COR, SMMU_CACHE_WB },
		{ 1, SMMU_STE1_S1CSH, SMMU_SH_ISH },
		{ 1, SMMU_STE1_S1STALLD, feat->stalls && !cfg->stall },
		{ 1, SMMU_STE1_EATS,
		  cfg->ats ? SMMU_EATS_TRANS : SMMU_EATS_ABT },
		{ 1, SMMU_STE1_STRW,
		  feat->e2h ? SMMU_STRW_EL2 : SMMU_STRW_NSEL1 },
		{ 1, SMMU_STE1_SHCFG, shcfg ? SMMU_SHCFG_INCOMING : 0 },
		{ 2, SMMU_STE2_S2VMID, 0 });
	assert_within_used_ste(&ste);
}

static void test_cdtable_ste_fields(void **state)
{
	struct smmu_features feat;
	struct smmu_ste_cdtab_cfg cfg;
	const unsigned dss[] = { SMMU_S1DSS_TERMINATE, SMMU_S1DSS_BYPASS,
				 SMMU_S1DSS_SSID0 };

	(void)state;
	fx_features(&feat);
	for (unsigned i = 0; i < 3; i++) {
		fx_cdtab_cfg(&cfg, dss[i], FX_CDTAB_BUS, FX_ATS);
		check_cdtab_ste(&feat, &cfg);
		fx_cdtab_cfg(&cfg, dss[i], FX_CDTAB2_BUS, FX_STALL);
		check_cdtab_ste(&feat, &cfg);
	}
	cfg.s1fmt = SMMU_S1FMT_LINEAR;
	cfg.s1cdmax = 0;
	feat.e2h = true;
	feat.attr_types_ovr = false;
	check_cdtab_ste(&feat, &cfg);
	feat.stalls = false;
	cfg.stall = false;
	check_cdtab_ste(&feat, &cfg);
}

static void check_s2_ste(const struct smmu_features *feat,
			 const struct smmu_ste_s2_cfg *cfg)
{
	const struct smmu_s2_vtcr *v = &cfg->vtcr;
	struct smmu_ste ste;

	assert_int_equal(smmu_ste_make_s2(feat, cfg, &ste), 0);
	ASSERT_FIELDS(ste.dw,
		{ 0, SMMU_STE0_V, 1 },
		{ 0, SMMU_STE0_CONFIG, SMMU_STE_CFG_S2 },
		{ 1, SMMU_STE1_EATS,
		  cfg->ats ? SMMU_EATS_TRANS : SMMU_EATS_ABT },
		{ 1, SMMU_STE1_SHCFG,
		  feat->attr_types_ovr ? SMMU_SHCFG_INCOMING : 0 },
		{ 1, SMMU_STE1_S2FWB, cfg->fwb },
		{ 2, SMMU_STE2_S2VMID, cfg->vmid },
		{ 2, SMMU_STE2_S2T0SZ, v->tsz },
		{ 2, SMMU_STE2_S2SL0, v->sl },
		{ 2, SMMU_STE2_S2IR0, v->irgn },
		{ 2, SMMU_STE2_S2OR0, v->orgn },
		{ 2, SMMU_STE2_S2SH0, v->sh },
		{ 2, SMMU_STE2_S2TG, v->tg },
		{ 2, SMMU_STE2_S2PS, v->ps },
		{ 2, SMMU_STE2_S2AA64, 1 },
		{ 2, SMMU_STE2_S2PTW, 1 },
		{ 2, SMMU_STE2_S2R, 1 },
		{ 2, SMMU_STE2_S2S, cfg->stall },
		{ 3, SMMU_STE3_S2TTB,
		  SMMU_FIELD_GET(SMMU_STE3_S2TTB, cfg->vttbr) });
	assert_int_equal(ste.dw[3], cfg->vttbr);
	assert_within_used_ste(&ste);
}

static void test_s2_ste_fields(void **state)
{
	struct smmu_features feat;
	struct smmu_ste_s2_cfg cfg;

	(void)state;
	fx_features(&feat);
	fx_s2_cfg(&cfg, FX_ATS);
	check_s2_ste(&feat, &cfg);
	fx_s2_cfg(&cfg, FX_STALL);
	cfg.vmid = 0xbeef;
	check_s2_ste(&feat, &cfg);
	feat.fwb = true;
	feat.attr_types_ovr = false;
	cfg.fwb = true;
	cfg.vtcr = (struct smmu_s2_vtcr){ .tsz = 25, .sl = 1, .irgn = 1,
		.orgn = 1, .sh = 3, .tg = SMMU_S2TG_64K, .ps = SMMU_OAS_48 };
	check_s2_ste(&feat, &cfg);
}

static void test_nested_ste_fields(void **state)
{
	struct smmu_features feat;
	struct smmu_ste_cdtab_cfg s1;
	struct smmu_ste_s2_cfg s2;
	struct smmu_ste nested, s1_ste, s2_ste;

	(void)state;
	fx_features(&feat);
	fx_cdtab_cfg(&s1, SMMU_S1DSS_BYPASS, FX_CDTAB_BUS, FX_ATS);
	fx_s2_cfg(&s2, FX_ATS);
	s2.vmid = 9;
	assert_int_equal(smmu_ste_make_nested(&feat, &s1, &s2, &nested), 0);
	assert_int_equal(smmu_ste_make_cdtable(&feat, &s1, &s1_ste), 0);
	assert_int_equal(smmu_ste_make_s2(&feat, &s2, &s2_ste), 0);

	assert_field(SMMU_STE0_CONFIG, nested.dw[0], SMMU_STE_CFG_NESTED);
	assert_int_equal(nested.dw[0] & ~SMMU_STE0_CONFIG,
			 s1_ste.dw[0] & ~SMMU_STE0_CONFIG);
	assert_int_equal(nested.dw[1],
			 (s1_ste.dw[1] & ~SMMU_STE1_STRW) | s2_ste.dw[1] |
			 SMMU_STE1_MEV);
	assert_memory_equal(&nested.dw[2], &s2_ste.dw[2], 6 * sizeof(uint64_t));
	assert_within_used_ste(&nested);

	/* Both halves must describe the same master. */
	s2.ats = false;
	assert_int_equal(smmu_ste_make_nested(&feat, &s1, &s2, &nested),
			 -EINVAL);
	fx_s2_cfg(&s2, FX_ATS);
	feat.nesting = false;
	assert_int_equal(smmu_ste_make_nested(&feat, &s1, &s2, &nested),
			 -EINVAL);
}

static void check_s1_cd(const struct smmu_features *feat,
			const struct smmu_cd_s1_cfg *cfg)
{
	const struct smmu_s1_tcr *t = &cfg->tcr;
	struct smmu_cd cd;

	assert_int_equal(smmu_cd_make_s1(feat, cfg, &cd), 0);
	ASSERT_FIELDS(cd.dw,
		{ 0, SMMU_CD0_T0SZ, t->tsz },
		{ 0, SMMU_CD0_TG0, t->tg },
		{ 0, SMMU_CD0_IR0, t->irgn },
		{ 0, SMMU_CD0_OR0, t->orgn },
		{ 0, SMMU_CD0_SH0, t->sh },
		{ 0, SMMU_CD0_IPS, t->ips },
		{ 0, SMMU_CD0_EPD0, 0 },
		{ 0, SMMU_CD0_EPD1, 1 },
		{ 0, SMMU_CD0_V, 1 },
		{ 0, SMMU_CD0_AA64, 1 },
		{ 0, SMMU_CD0_R, 1 },
		{ 0, SMMU_CD0_A, 1 },
		{ 0, SMMU_CD0_ASET, 1 },
		{ 0, SMMU_CD0_S, cfg->stall },
		{ 0, SMMU_CD0_HA, cfg->dirty },
		{ 0, SMMU_CD0_HD, cfg->dirty },
		{ 0, SMMU_CD0_ASID, cfg->asid },
		{ 1, SMMU_CD1_TTB0, SMMU_FIELD_GET(SMMU_CD1_TTB0, cfg->ttbr) },
		{ SMMU_CD_MAIR_DWORD, ~UINT64_C(0), cfg->mair });
	assert_int_equal(cd.dw[1], cfg->ttbr);
}

static void test_s1_cd_fields(void **state)
{
	struct smmu_features feat;
	struct smmu_cd_s1_cfg cfg;

	(void)state;
	fx_features(&feat);
	fx_s1_cd_cfg(&cfg, 1997);
	check_s1_cd(&feat, &cfg);
	feat.ha = feat.hd = true;
	fx_sva_cd_cfg(&cfg, 0xffff);
	cfg.stall = true;
	cfg.dirty = true;
	check_s1_cd(&feat, &cfg);
}

static void test_sva_released_cd(void **state)
{
	struct smmu_features feat;
	struct smmu_cd_s1_cfg cfg;
	struct smmu_cd live, released;

	(void)state;
	fx_features(&feat);
	fx_sva_cd_cfg(&cfg, 1997);
	cfg.stall = true;
	assert_int_equal(smmu_cd_make_s1(&feat, &cfg, &live), 0);
	assert_int_equal(smmu_cd_make_sva_released(&feat, &cfg, &released), 0);
	assert_field(SMMU_CD0_EPD0, released.dw[0], 1);
	assert_int_equal(released.dw[0] & SMMU_CD0_TCR_TTB0, 0);
	assert_int_equal(released.dw[1], 0);
	/* Without STALL_FORCE a released CD aborts at once, silently. */
	assert_field(SMMU_CD0_S, released.dw[0], 0);
	assert_field(SMMU_CD0_R, released.dw[0], 0);
	assert_int_equal(released.dw[0] & ~(SMMU_CD0_TCR_TTB0 | SMMU_CD0_S |
					    SMMU_CD0_R | SMMU_CD0_EPD0),
			 live.dw[0] & ~(SMMU_CD0_TCR_TTB0 | SMMU_CD0_S |
					SMMU_CD0_R));
	assert_int_equal(released.dw[3], live.dw[3]);

	feat.stall_force = true;
	assert_int_equal(smmu_cd_make_sva_released(&feat, &cfg, &released), 0);
	assert_field(SMMU_CD0_S, released.dw[0], 1);
	assert_field(SMMU_CD0_R, released.dw[0], 1);
}

/* A builder call that must fail and leave its poisoned target as it was. */
#define assert_refused(call, target)                                    \
	do {                                                            \
		unsigned char before[sizeof(target)];                   \
		memset(&(target), POISON, sizeof(target));              \
		memcpy(before, &(target), sizeof(target));              \
		assert_int_equal((call), -EINVAL);                      \
		assert_memory_equal(before, &(target), sizeof(target)); \
	} while (0)

static void test_cdtable_ste_refused(void **state)
{
	struct smmu_features feat;
	struct smmu_ste_cdtab_cfg cfg;
	struct smmu_ste ste;

	(void)state;
	fx_features(&feat);
#define REFUSE_CDTAB(mutate)                                            \
	do {                                                            \
		fx_features(&feat);                                     \
		fx_cdtab_cfg(&cfg, SMMU_S1DSS_SSID0, FX_CDTAB_BUS, FX_ATS); \
		mutate;                                                 \
		assert_refused(smmu_ste_make_cdtable(&feat, &cfg, &ste), ste); \
	} while (0)
	REFUSE_CDTAB(cfg.cdtab_bus |= 0x20);
	REFUSE_CDTAB(cfg.cdtab_bus = UINT64_C(1) << 56);
	REFUSE_CDTAB(cfg.s1fmt = 3);
	REFUSE_CDTAB(feat.cd2l = false);
	REFUSE_CDTAB(cfg.s1cdmax = feat.ssid_bits + 1);
	REFUSE_CDTAB(cfg.s1dss = 3);
	REFUSE_CDTAB(feat.ats = false);
	REFUSE_CDTAB((cfg.stall = true, feat.stalls = false));
	REFUSE_CDTAB(feat.stall_force = true);
	REFUSE_CDTAB(feat.trans_s1 = false);
#undef REFUSE_CDTAB
	assert_refused(smmu_ste_make_cdtable(&feat, NULL, &ste), ste);
	assert_int_equal(smmu_ste_make_cdtable(NULL, &cfg, &ste), -EINVAL);
}

static void test_s2_ste_refused(void **state)
{
	struct smmu_features feat;
	struct smmu_ste_s2_cfg cfg;
	struct smmu_ste ste;

	(void)state;
#define REFUSE_S2(mutate)                                               \
	do {                                                            \
		fx_features(&feat);                                     \
		fx_s2_cfg(&cfg, FX_ATS);                                \
		mutate;                                                 \
		assert_refused(smmu_ste_make_s2(&feat, &cfg, &ste), ste); \
	} while (0)
	REFUSE_S2((feat.vmid_bits = 8, cfg.vmid = 0x100));
	REFUSE_S2(cfg.vtcr.tsz = 64);
	REFUSE_S2(cfg.vtcr.sl = 4);
	REFUSE_S2(cfg.vtcr.tg = 3);
	REFUSE_S2(feat.pgsize_bitmap &= ~UINT64_C(0x4000)); /* no 16K */
	REFUSE_S2(cfg.vtcr.ps = SMMU_OAS_52);
	REFUSE_S2(cfg.vttbr |= 8);
	REFUSE_S2(cfg.fwb = true);
	REFUSE_S2(feat.ats = false);
	REFUSE_S2(feat.trans_s2 = false);
	REFUSE_S2(cfg.stall = true);    /* with ATS: an ILLEGAL STE */
#undef REFUSE_S2
}

static void test_cd_refused(void **state)
{
	struct smmu_features feat;
	struct smmu_cd_s1_cfg cfg;
	struct smmu_cd cd;

	(void)state;
#define REFUSE_CD(mutate)                                               \
	do {                                                            \
		fx_features(&feat);                                     \
		fx_s1_cd_cfg(&cfg, 1);                                  \
		mutate;                                                 \
		assert_refused(smmu_cd_make_s1(&feat, &cfg, &cd), cd);  \
		assert_refused(smmu_cd_make_sva_released(&feat, &cfg, &cd), cd); \
	} while (0)
	REFUSE_CD((feat.asid_bits = 8, cfg.asid = 0x100));
	REFUSE_CD(cfg.tcr.tg = 3);
	REFUSE_CD(feat.pgsize_bitmap &= ~UINT64_C(0x4000)); /* no 16K */
	REFUSE_CD(cfg.tcr.tsz = 64);
	REFUSE_CD(cfg.tcr.ips = SMMU_OAS_52);
	REFUSE_CD(cfg.ttbr = UINT64_C(1) << 56);
	REFUSE_CD(cfg.dirty = true);
	REFUSE_CD((cfg.stall = true, feat.stalls = false));
	REFUSE_CD(feat.stall_force = true);
	REFUSE_CD(feat.trans_s1 = false);
#undef REFUSE_CD
}

static void test_ste_used_bits(void **state)
{
	struct smmu_ste ste;
	uint64_t used[8];
	const uint64_t s1_used1 = SMMU_STE1_S1DSS | SMMU_STE1_S1CIR |
		SMMU_STE1_S1COR | SMMU_STE1_S1CSH | SMMU_STE1_S1STALLD |
		SMMU_STE1_STRW | SMMU_STE1_EATS | SMMU_STE1_MEV;
	const uint64_t s2_used1 = SMMU_STE1_S2FWB | SMMU_STE1_EATS |
		SMMU_STE1_SHCFG | SMMU_STE1_MEV;
	const uint64_t s2_used2 = SMMU_STE2_S2VMID | SMMU_STE2_VTCR |
		SMMU_STE2_S2AA64 | SMMU_STE2_S2ENDI | SMMU_STE2_S2PTW |
		SMMU_STE2_S2S | SMMU_STE2_S2R;
	const uint64_t s1_used0 = SMMU_STE0_V | SMMU_STE0_CONFIG |
		SMMU_STE0_S1FMT | SMMU_STE0_S1CTXPTR | SMMU_STE0_S1CDMAX;

	(void)state;
	memset(&ste, 0xff, sizeof(ste));
	ste.dw[0] &= ~SMMU_STE0_V;
	memset(used, 0, sizeof(used));
	smmu_ste_get_used(ste.dw, used);
	assert_only(used, (const uint64_t[8]){ SMMU_STE0_V });

	smmu_ste_make_abort(&ste);
	memset(used, 0, sizeof(used));
	smmu_ste_get_used(ste.dw, used);
	assert_only(used, (const uint64_t[8]){ SMMU_STE0_V | SMMU_STE0_CONFIG });
	assert_int_equal(used[0], SMMU_STE0_V | SMMU_STE0_CONFIG);

	fx_cdtable_ste(&ste, SMMU_S1DSS_SSID0, FX_CDTAB_BUS, FX_ATS);
	memset(used, 0, sizeof(used));
	smmu_ste_get_used(ste.dw, used);
	assert_int_equal(used[0], s1_used0);
	assert_int_equal(used[1], s1_used1);
	assert_int_equal(used[2], SMMU_STE2_S2VMID);
	assert_int_equal(used[3], 0);

	fx_cdtable_ste(&ste, SMMU_S1DSS_BYPASS, FX_CDTAB_BUS, FX_ATS);
	memset(used, 0, sizeof(used));
	smmu_ste_get_used(ste.dw, used);
	assert_int_equal(used[1], s1_used1 | SMMU_STE1_SHCFG);

	fx_s2_ste(&ste, 0);
	memset(used, 0, sizeof(used));
	smmu_ste_get_used(ste.dw, used);
	assert_int_equal(used[0], SMMU_STE0_V | SMMU_STE0_CONFIG);
	assert_int_equal(used[1], s2_used1);
	assert_int_equal(used[2], s2_used2);
	assert_int_equal(used[3], SMMU_STE3_S2TTB);

	fx_cdtable_ste(&ste, SMMU_S1DSS_SSID0, FX_CDTAB_BUS,
		       FX_ATS | FX_NESTED);
	memset(used, 0, sizeof(used));
	smmu_ste_get_used(ste.dw, used);
	assert_int_equal(used[0], s1_used0);
	assert_int_equal(used[1], s1_used1 | s2_used1);
	assert_int_equal(used[2], s2_used2);
	assert_int_equal(used[3], SMMU_STE3_S2TTB);
	for (unsigned i = 4; i < 8; i++)
		assert_int_equal(used[i], 0);
}

static void test_ste_update_safe(void **state)
{
	const uint64_t trans = SMMU_FIELD_PREP(SMMU_STE1_EATS,
					       SMMU_EATS_TRANS);
	struct smmu_ste a, b;
	uint64_t safe[8] = { 0 };

	(void)state;
	fx_cdtable_ste(&a, SMMU_S1DSS_SSID0, FX_CDTAB_BUS, FX_ATS);
	fx_s2_ste(&b, 0);
	smmu_ste_get_update_safe(a.dw, b.dw, safe);
	assert_int_equal(safe[1], SMMU_STE1_MEV | trans);
	assert_int_equal(safe[0] | safe[2] | safe[3], 0);

	/* S2S with EATS=TRANS would be ILLEGAL: EATS must be ordered. */
	fx_s2_ste(&b, FX_STALL);
	memset(safe, 0, sizeof(safe));
	smmu_ste_get_update_safe(a.dw, b.dw, safe);
	assert_int_equal(safe[1], SMMU_STE1_MEV);

	/* An intermediate EATS=0b11 would be errant: not with S1CHK. */
	fx_s2_ste(&b, 0);
	b.dw[1] = SMMU_FIELD_SET(SMMU_STE1_EATS, b.dw[1], SMMU_EATS_S1CHK);
	memset(safe, 0, sizeof(safe));
	smmu_ste_get_update_safe(a.dw, b.dw, safe);
	assert_int_equal(safe[1], SMMU_STE1_MEV);
}

static void test_cd_used_bits(void **state)
{
	struct smmu_features feat;
	struct smmu_cd_s1_cfg cfg;
	struct smmu_cd cd;
	uint64_t used[8];

	(void)state;
	memset(&cd, 0xff, sizeof(cd));
	cd.dw[0] &= ~SMMU_CD0_V;
	memset(used, 0, sizeof(used));
	smmu_cd_get_used(cd.dw, used);
	assert_only(used, (const uint64_t[8]){ SMMU_CD0_V });
	assert_int_equal(used[0], SMMU_CD0_V);

	fx_features(&feat);
	fx_s1_cd_cfg(&cfg, 3);
	assert_int_equal(smmu_cd_make_s1(&feat, &cfg, &cd), 0);
	smmu_cd_get_used(cd.dw, used);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(used[i], ~UINT64_C(0));

	assert_int_equal(smmu_cd_make_sva_released(&feat, &cfg, &cd), 0);
	smmu_cd_get_used(cd.dw, used);
	assert_int_equal(used[0], ~SMMU_CD0_TCR_TTB0);
	assert_int_equal(used[1], ~SMMU_CD1_TTB0);
	for (unsigned i = 2; i < 8; i++)
		assert_int_equal(used[i], ~UINT64_C(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abort_and_bypass),
		cmocka_unit_test(test_cdtable_ste_fields),
		cmocka_unit_test(test_s2_ste_fields),
		cmocka_unit_test(test_nested_ste_fields),
		cmocka_unit_test(test_s1_cd_fields),
		cmocka_unit_test(test_sva_released_cd),
		cmocka_unit_test(test_cdtable_ste_refused),
		cmocka_unit_test(test_s2_ste_refused),
		cmocka_unit_test(test_cd_refused),
		cmocka_unit_test(test_ste_used_bits),
		cmocka_unit_test(test_ste_update_safe),
		cmocka_unit_test(test_cd_used_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

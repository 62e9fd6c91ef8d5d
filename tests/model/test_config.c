/*
 * Model suite: stream tables, CD tables, their validity rules and the
 * configuration cache.
 *
 * Concepts: tables are built in DMA memory with the arch.h layouts and the
 * model is asked to translate, as a device would; the outcome (bypass,
 * silent abort, a configuration event with its fields, or reaching the
 * translation layer, which reports F_TRANSLATION for a translating
 * configuration) shows which configuration the model resolved.  The cache
 * tests edit live structures without CFGI and check that the stale copy
 * survives until the matching CFGI_* and CMD_SYNC.
 */
#include <pthread.h>
#include <string.h>

#include "cfg_tables.h"

/* ---- Stream tables --------------------------------------------------------- */

static void test_linear_stream_table(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	uint64_t ste[8], evt[4];

	ste_bypass(ste);
	put_ste(h, 7, ste);
	assert_int_equal(outcome_of(h, 7), 0);
	ste[0] = SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_ABORT);
	put_ste(h, 8, ste);
	assert_int_equal(outcome_of(h, 8), ~0u);
	ste[0] = SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, 1);  /* Reserved: abort */
	put_ste(h, 9, ste);
	assert_int_equal(outcome_of(h, 9), ~0u);
	assert_int_equal(outcome(h, 1u << H_ST_LOG2, true, 2, evt), SMMU_EVT_C_BAD_STREAMID);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SID, evt[0]), 1u << H_ST_LOG2);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SSID, evt[0]), 2);
	assert_int_equal(h_events_pending(h), 1);
}

static void test_ste_fetch_abort(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	uint64_t base = UINT64_C(1) << h->cfg.oas_bits, evt[4];

	h_cr0(h, (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN));
	smmu_model_mmio_write64(h->m, SMMU_STRTAB_BASE, base);
	h_cr0(h, (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN));
	assert_int_equal(outcome(h, 3, false, 0, evt), SMMU_EVT_F_STE_FETCH);
	assert_int_equal(evt[3] & SMMU_EVT3_FETCH_ADDR, base + 3 * SMMU_STE_SIZE);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SID, evt[0]), 3);
	/* A failed fetch is not cached: it is retried. */
	assert_int_equal(outcome(h, 3, false, 0, evt), SMMU_EVT_F_STE_FETCH);
	assert_int_equal(h_stats(h).cfg_hits, 0);
}

static void setup_2lvl(struct harness *h, uint64_t **l1, uint64_t *l2_pa, uint64_t **l2)
{
	uint64_t l1_pa;

	*l1 = h_alloc(h, 1024 * SMMU_L1_DESC_SIZE, &l1_pa);
	*l2 = h_alloc(h, 64 * SMMU_STE_SIZE, l2_pa);
	h_cr0(h, (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN));
	smmu_model_mmio_write64(h->m, SMMU_STRTAB_BASE, l1_pa);
	h_write32(h, SMMU_STRTAB_BASE_CFG,
		  (uint32_t)(SMMU_FIELD_PREP(SMMU_STRTAB_BASE_CFG_FMT, SMMU_STRTAB_FMT_2LVL) |
			     SMMU_FIELD_PREP(SMMU_STRTAB_BASE_CFG_SPLIT, SMMU_STRTAB_SPLIT_4K) |
			     SMMU_FIELD_PREP(SMMU_STRTAB_BASE_CFG_LOG2SIZE, 16)));
	h_cr0(h, (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN));
}

static void test_2lvl_stream_table(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	uint64_t *l1, *l2, l2_pa, ste[8], evt[4];
	uint64_t beyond = UINT64_C(1) << h->cfg.oas_bits;

	setup_2lvl(h, &l1, &l2_pa, &l2);
	ste_bypass(ste);
	h_write_ste(h, l2_pa + 5 * SMMU_STE_SIZE, ste);
	l1[1] = l2_pa | SMMU_FIELD_PREP(SMMU_L1STD_SPAN, 7);          /* 64 STEs */
	l1[3] = l2_pa | SMMU_FIELD_PREP(SMMU_L1STD_SPAN, 3);          /* 4 STEs */
	l1[4] = beyond | SMMU_FIELD_PREP(SMMU_L1STD_SPAN, 7);
	l1[5] = l2_pa | SMMU_FIELD_PREP(SMMU_L1STD_SPAN, SMMU_L1STD_SPAN_MAX);
	assert_int_equal(outcome_of(h, 64 + 5), 0);
	assert_int_equal(outcome_of(h, 3 * 64 + 3), SMMU_EVT_C_BAD_STE);  /* zero STE */
	assert_int_equal(outcome_of(h, 3 * 64 + 5), SMMU_EVT_C_BAD_STREAMID);
	assert_int_equal(outcome_of(h, 2 * 64), SMMU_EVT_C_BAD_STREAMID); /* Span 0 */
	assert_int_equal(outcome_of(h, 5 * 64), SMMU_EVT_C_BAD_STREAMID); /* Span 12 */
	assert_int_equal(outcome_of(h, 1u << 16), SMMU_EVT_C_BAD_STREAMID);
	assert_int_equal(outcome(h, 4 * 64 + 2, false, 0, evt), SMMU_EVT_F_STE_FETCH);
	assert_int_equal(evt[3] & SMMU_EVT3_FETCH_ADDR, beyond + 2 * SMMU_STE_SIZE);
}

typedef void ste_edit(uint64_t *ste);
static void ste_invalid(uint64_t *ste) { ste[0] &= ~SMMU_STE0_V; }
static void ste_cdmax_big(uint64_t *ste)
{
	ste[0] = SMMU_FIELD_SET(SMMU_STE0_S1CDMAX, ste[0], SMMU_SSIDSIZE_MAX + 1);
}
static void ste_ctx_beyond_oas(uint64_t *ste) { ste[0] |= UINT64_C(1) << 50; }
static void ste_strw_reserved(uint64_t *ste) { ste[1] |= SMMU_FIELD_PREP(SMMU_STE1_STRW, 1); }
static void ste_eats_split_on_s1(uint64_t *ste)
{
	ste[1] |= SMMU_FIELD_PREP(SMMU_STE1_EATS, SMMU_EATS_S1CHK);
}
static void to_s2(uint64_t *ste) { ste_s2(ste); }
static void s2_tg_reserved(uint64_t *ste) { ste_s2(ste); ste[2] |= SMMU_STE2_S2TG; }
static void s2_t0sz_small(uint64_t *ste)
{
	ste_s2(ste);
	ste[2] = SMMU_FIELD_SET(SMMU_STE2_S2T0SZ, ste[2], 10);
}
static void s2_t0sz_big(uint64_t *ste)
{
	ste_s2(ste);
	ste[2] = SMMU_FIELD_SET(SMMU_STE2_S2T0SZ, ste[2], 40);
}
static void s2_sl0_inconsistent(uint64_t *ste)
{
	ste_s2(ste);
	ste[2] = SMMU_FIELD_SET(SMMU_STE2_S2SL0, ste[2], 0);
}
static void s2_ttb_beyond_ps(uint64_t *ste)
{
	ste_s2(ste);
	ste[2] = SMMU_FIELD_SET(SMMU_STE2_S2PS, ste[2], SMMU_OAS_32);
	ste[3] = UINT64_C(1) << 33;
}
static void s2_aarch32(uint64_t *ste) { ste_s2(ste); ste[2] &= ~SMMU_STE2_S2AA64; }
static void s2_big_endian(uint64_t *ste) { ste_s2(ste); ste[2] |= SMMU_STE2_S2ENDI; }
static void s2_eats_full_with_stall(uint64_t *ste)
{
	ste_s2(ste);
	ste[1] |= SMMU_FIELD_PREP(SMMU_STE1_EATS, SMMU_EATS_TRANS);
	ste[2] |= SMMU_STE2_S2S;
}

static void test_bad_ste(void **state)
{
	struct cfg_fixture *f = *state;
	struct harness *h = f->h;
	static ste_edit *const edits[] = {
		ste_invalid, ste_cdmax_big, ste_ctx_beyond_oas, ste_strw_reserved,
		ste_eats_split_on_s1, s2_tg_reserved, s2_t0sz_small, s2_t0sz_big,
		s2_sl0_inconsistent, s2_ttb_beyond_ps, s2_aarch32, s2_big_endian,
		s2_eats_full_with_stall,
	};
	uint64_t ste[8], evt[4];

	cd_valid(f->cd_table, 1);
	for (uint32_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		ste_s1(ste, f->cd_pa, 0, SMMU_S1FMT_LINEAR, 0);
		edits[i](ste);
		put_ste(h, 16 + i, ste);
		print_message("STE edit %u\n", i);
		assert_int_equal(outcome(h, 16 + i, false, 0, evt), SMMU_EVT_C_BAD_STE);
		assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SID, evt[0]), 16 + i);
	}
	/* The unedited forms are valid and reach translation. */
	ste_s1(ste, f->cd_pa, 0, SMMU_S1FMT_LINEAR, 0);
	put_ste(h, 60, ste);
	assert_int_equal(outcome_of(h, 60), SMMU_EVT_F_TRANSLATION);
	to_s2(ste);
	put_ste(h, 61, ste);
	assert_int_equal(outcome(h, 61, false, 0, evt), SMMU_EVT_F_TRANSLATION);
	assert_true(evt[1] & SMMU_EVT1_S2);
}

typedef void cfg_edit(struct smmu_model_config *c);
static void cfg_no_s1(struct smmu_model_config *c)
{
	c->stage1 = false;
	c->hyp = false;
	c->ssid_bits = 0;
}
static void cfg_no_cd2l(struct smmu_model_config *c) { c->cd2l = false; }
static void cfg_vmid8(struct smmu_model_config *c) { c->vmid16 = false; }
static void cfg_term_only(struct smmu_model_config *c)
{
	c->stall_model = SMMU_STALL_MODEL_TERM_ONLY;
}

/* STEs that are ILLEGAL only on a part lacking a feature. */
static void test_bad_ste_features(void **state)
{
	struct cfg_fixture *f = *state;
	struct harness *h = f->h;
	static cfg_edit *const edits[] = { cfg_no_s1, cfg_no_cd2l, cfg_vmid8, cfg_term_only };
	uint64_t ste[8];

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		harness_default_config(h);
		edits[i](&h->cfg);
		harness_rebuild(h);
		h_enable_all(h);
		ste_s1(ste, 0x100000, 4, SMMU_S1FMT_64_L2, 0);
		put_ste(h, 1, ste);
		ste_s2(ste);
		ste[2] = SMMU_FIELD_SET(SMMU_STE2_S2VMID, ste[2], 0x100) | SMMU_STE2_S2S;
		put_ste(h, 2, ste);
		print_message("config edit %zu\n", i);
		if (edits[i] == cfg_no_s1 || edits[i] == cfg_no_cd2l)
			assert_int_equal(outcome_of(h, 1), SMMU_EVT_C_BAD_STE);
		else
			assert_int_equal(outcome_of(h, 2), SMMU_EVT_C_BAD_STE);
	}
}

/* ---- CD tables and substreams ---------------------------------------------- */

static void test_linear_cd_table(void **state)
{
	struct cfg_fixture *f = *state;
	struct harness *h = f->h;
	uint64_t ste[8], evt[4];

	cd_valid(&f->cd_table[0], 1);
	cd_valid(&f->cd_table[3 * SMMU_CD_DWORDS], 3);
	ste_s1(ste, f->cd_pa, 4, SMMU_S1FMT_LINEAR, SMMU_S1DSS_SSID0);
	put_ste(h, 1, ste);
	assert_int_equal(outcome(h, 1, true, 3, evt), SMMU_EVT_F_TRANSLATION);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SSID, evt[0]), 3);
	assert_true(evt[0] & SMMU_EVT0_SSV);
	assert_int_equal(outcome(h, 1, true, 16, evt), SMMU_EVT_C_BAD_SUBSTREAMID);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SSID, evt[0]), 16);
	assert_int_equal(outcome(h, 1, true, 2, evt), SMMU_EVT_C_BAD_CD);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SSID, evt[0]), 2);
	/* S1DSS = SSID0: no-substream traffic uses CD 0, SSID 0 is disabled (7.3.7). */
	assert_int_equal(outcome(h, 1, false, 0, NULL), SMMU_EVT_F_TRANSLATION);
	assert_int_equal(outcome(h, 1, true, 0, evt), SMMU_EVT_F_STREAM_DISABLED);
	assert_true(evt[0] & SMMU_EVT0_SSV);
	ste_s1(ste, f->cd_pa, 4, SMMU_S1FMT_LINEAR, SMMU_S1DSS_BYPASS);
	put_ste(h, 2, ste);
	assert_int_equal(outcome(h, 2, false, 0, NULL), 0);
	ste_s1(ste, f->cd_pa, 4, SMMU_S1FMT_LINEAR, SMMU_S1DSS_TERMINATE);
	put_ste(h, 3, ste);
	assert_int_equal(outcome(h, 3, false, 0, evt), SMMU_EVT_F_STREAM_DISABLED);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SID, evt[0]), 3);
	/* Substreams need stage 1 and S1CDMax > 0. */
	ste_s1(ste, f->cd_pa, 0, SMMU_S1FMT_LINEAR, 0);
	put_ste(h, 4, ste);
	assert_int_equal(outcome(h, 4, false, 0, NULL), SMMU_EVT_F_TRANSLATION);
	assert_int_equal(outcome(h, 4, true, 1, NULL), SMMU_EVT_C_BAD_SUBSTREAMID);
	ste_bypass(ste);
	put_ste(h, 5, ste);
	assert_int_equal(outcome(h, 5, true, 1, NULL), SMMU_EVT_C_BAD_SUBSTREAMID);
}

static void test_2lvl_cd_table(void **state)
{
	struct cfg_fixture *f = *state;
	struct harness *h = f->h;
	uint64_t beyond = UINT64_C(1) << h->cfg.oas_bits;
	uint64_t *l1, l1_pa, ste[8], evt[4];

	l1 = h_alloc(h, 4096, &l1_pa);
	cd_valid(&f->cd_table[5 * SMMU_CD_DWORDS], 5);
	l1[1] = f->cd_pa | SMMU_L1CD_V;
	l1[3] = beyond | SMMU_L1CD_V;
	ste_s1(ste, l1_pa, 10, SMMU_S1FMT_64_L2, 0);
	put_ste(h, 1, ste);
	assert_int_equal(outcome(h, 1, true, 64 + 5, NULL), SMMU_EVT_F_TRANSLATION);
	assert_int_equal(outcome(h, 1, true, 64 + 6, NULL), SMMU_EVT_C_BAD_CD);
	assert_int_equal(outcome(h, 1, true, 2 * 64, evt), SMMU_EVT_C_BAD_SUBSTREAMID);
	assert_int_equal(outcome(h, 1, true, 3 * 64 + 1, evt), SMMU_EVT_F_CD_FETCH);
	assert_int_equal(evt[3] & SMMU_EVT3_FETCH_ADDR, beyond + SMMU_CD_SIZE);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SSID, evt[0]), 3 * 64 + 1);
	/* 64 KiB leaves: 1024 CDs per L1CD. */
	ste_s1(ste, l1_pa, 12, SMMU_S1FMT_1024_L2, 0);
	put_ste(h, 2, ste);
	assert_int_equal(outcome(h, 2, true, 1024 + 5, NULL), SMMU_EVT_F_TRANSLATION);
	assert_int_equal(outcome(h, 2, true, 5, NULL), SMMU_EVT_C_BAD_SUBSTREAMID);
}

typedef void cd_edit(uint64_t *cd);
static void cd_invalid(uint64_t *cd) { cd[0] &= ~SMMU_CD0_V; }
static void cd_aarch32(uint64_t *cd) { cd[0] &= ~SMMU_CD0_AA64; }
static void cd_t0sz_big(uint64_t *cd) { cd[0] = SMMU_FIELD_SET(SMMU_CD0_T0SZ, cd[0], 40); }
static void cd_t0sz_small(uint64_t *cd) { cd[0] = SMMU_FIELD_SET(SMMU_CD0_T0SZ, cd[0], 12); }
static void cd_tg0_reserved(uint64_t *cd) { cd[0] |= SMMU_CD0_TG0; }
/* TTB1 walks enabled with T1SZ = 0 and a Reserved TG1 of 0. */
static void cd_ttb1_unset(uint64_t *cd) { cd[0] &= ~SMMU_CD0_EPD1; }
static void cd_ttb_beyond(uint64_t *cd) { cd[1] = UINT64_C(1) << 50; }
static void cd_big_endian(uint64_t *cd) { cd[0] |= SMMU_CD0_ENDI; }

static void test_bad_cd(void **state)
{
	struct cfg_fixture *f = *state;
	struct harness *h = f->h;
	static cd_edit *const edits[] = { cd_invalid, cd_aarch32, cd_t0sz_big, cd_t0sz_small,
					  cd_tg0_reserved, cd_ttb1_unset, cd_ttb_beyond,
					  cd_big_endian };
	uint64_t ste[8], evt[4];

	ste_s1(ste, f->cd_pa, 4, SMMU_S1FMT_LINEAR, 0);
	put_ste(h, 1, ste);
	for (uint32_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		cd_valid(&f->cd_table[i * SMMU_CD_DWORDS], 1);
		edits[i](&f->cd_table[i * SMMU_CD_DWORDS]);
		print_message("CD edit %u\n", i);
		assert_int_equal(outcome(h, 1, true, i, evt), SMMU_EVT_C_BAD_CD);
		assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SSID, evt[0]), i);
	}
	/* CD.S with STE.S1STALLD set. */
	cd_valid(&f->cd_table[15 * SMMU_CD_DWORDS], 1);
	f->cd_table[15 * SMMU_CD_DWORDS] |= SMMU_CD0_S;
	assert_int_equal(outcome(h, 1, true, 15, NULL), SMMU_EVT_F_TRANSLATION);
	ste[1] |= SMMU_STE1_S1STALLD;
	put_ste(h, 2, ste);
	assert_int_equal(outcome(h, 2, true, 15, NULL), SMMU_EVT_C_BAD_CD);
}

/* ---- Configuration cache --------------------------------------------------- */

/* Edit STE sid to V = 0 and show it stays cached until cmd+SYNC. */
static void check_ste_stale_until(struct harness *h, uint32_t sid, uint64_t dw0,
				  uint64_t dw1)
{
	uint64_t ste[8];

	ste_bypass(ste);
	put_ste(h, sid, ste);
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_STE) | SID(sid), 0), SMMU_CERROR_NONE);
	assert_int_equal(outcome_of(h, sid), 0);
	ste[0] = 0;
	put_ste(h, sid, ste);
	assert_int_equal(outcome_of(h, sid), 0);       /* stale, as allowed */
	assert_int_equal(h_cmd_sync(h, dw0, dw1), SMMU_CERROR_NONE);
	assert_int_equal(outcome_of(h, sid), SMMU_EVT_C_BAD_STE);
}

static void test_cache_ste(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	struct smmu_model_stats s;

	check_ste_stale_until(h, 10, OP(SMMU_CMD_CFGI_STE) | SID(10), SMMU_CMD1_LEAF);
	check_ste_stale_until(h, 11, OP(SMMU_CMD_CFGI_STE_RANGE),
			      SMMU_FIELD_PREP(SMMU_CMD1_RANGE, SMMU_CFGI_RANGE_ALL));
	/* Range 3: the aligned block of 16 StreamIDs [16, 31]. */
	check_ste_stale_until(h, 20, OP(SMMU_CMD_CFGI_STE_RANGE) | SID(17),
			      SMMU_FIELD_PREP(SMMU_CMD1_RANGE, 3));
	s = h_stats(h);
	assert_true(s.cfg_hits >= 3);
	assert_true(s.cfg_invalidations >= 3);
}

/* CFGI of another StreamID, CD invalidations, or a range that misses keep it. */
static void test_cache_ste_other_cfgi(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	uint64_t ste[8];

	ste_bypass(ste);
	put_ste(h, 41, ste);
	assert_int_equal(outcome_of(h, 41), 0);
	ste[0] = 0;
	put_ste(h, 41, ste);
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_STE) | SID(42), 0), 0);
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_STE_RANGE) | SID(32),
				    SMMU_FIELD_PREP(SMMU_CMD1_RANGE, 2)), 0);
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_CD_ALL) | SID(41), 0), 0);
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_TLBI_NSNH_ALL), 0), 0);
	assert_int_equal(outcome_of(h, 41), 0);
}

static void test_cache_l1std(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	uint64_t *l1, *l2, l2_pa, ste[8];

	setup_2lvl(h, &l1, &l2_pa, &l2);
	ste_bypass(ste);
	h_write_ste(h, l2_pa + 5 * SMMU_STE_SIZE, ste);
	l1[1] = l2_pa | SMMU_FIELD_PREP(SMMU_L1STD_SPAN, 7);
	assert_int_equal(outcome_of(h, 64 + 5), 0);
	l1[1] = 0;      /* decommission the span */
	/* Leaf: the STE goes, the L1STD stays and still leads to the L2 table. */
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_STE) | SID(64 + 5), SMMU_CMD1_LEAF), 0);
	assert_int_equal(outcome_of(h, 64 + 5), 0);
	/* Non-leaf: both go. */
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_STE) | SID(64 + 5), 0), 0);
	assert_int_equal(outcome_of(h, 64 + 5), SMMU_EVT_C_BAD_STREAMID);
}

static void test_cache_cd(void **state)
{
	struct cfg_fixture *f = *state;
	struct harness *h = f->h;
	uint64_t ste[8];

	ste_s1(ste, f->cd_pa, 4, SMMU_S1FMT_LINEAR, 0);
	put_ste(h, 1, ste);
	for (unsigned ssid = 1; ssid <= 3; ssid++)
		cd_valid(&f->cd_table[ssid * SMMU_CD_DWORDS], (uint16_t)ssid);
	for (unsigned ssid = 1; ssid <= 3; ssid++) {
		assert_int_equal(outcome(h, 1, true, ssid, NULL), SMMU_EVT_F_TRANSLATION);
		f->cd_table[ssid * SMMU_CD_DWORDS] &= ~SMMU_CD0_V;
		assert_int_equal(outcome(h, 1, true, ssid, NULL), SMMU_EVT_F_TRANSLATION);
	}
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_CD) | SID(1) |
				    SMMU_FIELD_PREP(SMMU_CMD0_SSID, 1), SMMU_CMD1_LEAF), 0);
	assert_int_equal(outcome(h, 1, true, 1, NULL), SMMU_EVT_C_BAD_CD);
	assert_int_equal(outcome(h, 1, true, 2, NULL), SMMU_EVT_F_TRANSLATION);
	/* An STE invalidation is not needed for a CD, but CFGI_CD_ALL covers them all. */
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_CD_ALL) | SID(1), 0), 0);
	assert_int_equal(outcome(h, 1, true, 2, NULL), SMMU_EVT_C_BAD_CD);
	assert_int_equal(outcome(h, 1, true, 3, NULL), SMMU_EVT_C_BAD_CD);
}

static void test_prefetch_config(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	uint64_t ste[8];
	struct smmu_model_stats before, after;

	ste_bypass(ste);
	put_ste(h, 30, ste);
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_PREFETCH_CONFIG) | SID(30), 0), 0);
	before = h_stats(h);
	ste[0] = 0;
	put_ste(h, 30, ste);
	assert_int_equal(outcome_of(h, 30), 0);        /* served from the prefetch */
	after = h_stats(h);
	assert_int_equal(after.cfg_misses, before.cfg_misses);
	assert_int_equal(after.cfg_hits, before.cfg_hits + 1);
	/* With SMMUEN clear nothing is cached. */
	h_cr0(h, (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN));
	ste_bypass(ste);
	put_ste(h, 31, ste);
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_PREFETCH_CONFIG) | SID(31), 0), 0);
	h_cr0(h, (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN));
	ste[0] = 0;
	put_ste(h, 31, ste);
	assert_int_equal(outcome_of(h, 31), SMMU_EVT_C_BAD_STE);
}

static void test_cache_capacity(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	uint64_t ste[8];

	h->cfg.config_cache_capacity = 2;
	harness_rebuild(h);
	h_enable_all(h);
	ste_bypass(ste);
	for (uint32_t sid = 0; sid < 3; sid++) {
		put_ste(h, sid, ste);
		assert_int_equal(outcome_of(h, sid), 0);
	}
	assert_int_equal(h_stats(h).cfg_evictions, 1);
	assert_int_equal(h_stats(h).cfg_misses, 3);
}

/* A nested stream fetches its CD through stage 2: empty S2 tables fault. */
static void test_nested_cd_fetch(void **state)
{
	struct cfg_fixture *f = *state;
	struct harness *h = f->h;
	uint64_t ste[8], evt[4];

	cd_valid(f->cd_table, 1);
	ste_s2(ste);
	ste[0] = SMMU_FIELD_SET(SMMU_STE0_CONFIG, ste[0], SMMU_STE_CFG_NESTED) |
		 (f->cd_pa & SMMU_STE0_S1CTXPTR);
	put_ste(h, 1, ste);
	assert_int_equal(outcome(h, 1, false, 0, evt), SMMU_EVT_F_TRANSLATION);
	assert_true(evt[1] & SMMU_EVT1_S2);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT1_CLASS, evt[1]), SMMU_EVT_CLASS_CD);
	assert_int_equal(evt[3] & SMMU_EVT3_IPA, f->cd_pa & SMMU_EVT3_IPA);
	/* A stage-2 fault on a CD fetch is not cached: it is retried. */
	assert_int_equal(outcome(h, 1, false, 0, NULL), SMMU_EVT_F_TRANSLATION);
	assert_int_equal(h_stats(h).cfg_hits, 1);      /* the STE only */
}

struct racer {
	struct harness *h;
	atomic_bool stop;
	unsigned bad;
};

static void *translate_loop(void *arg)
{
	struct racer *r = arg;

	while (!atomic_load(&r->stop)) {
		unsigned got = outcome_of(r->h, 7);

		if (got != 0 && got != SMMU_EVT_C_BAD_STE)
			r->bad++;
	}
	return NULL;
}

/* Devices translate while the driver rewrites and invalidates the STE. */
static void test_translate_during_cfgi(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	struct racer r = { .h = h };
	uint64_t ste[8];
	pthread_t thread;

	ste_bypass(ste);
	put_ste(h, 7, ste);
	assert_int_equal(pthread_create(&thread, NULL, translate_loop, &r), 0);
	for (unsigned i = 0; i < 200; i++) {
		ste[0] = i & 1 ? 0 : SMMU_STE0_V |
			 SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_BYPASS);
		assert_int_equal(smmu_mem_write64(h->mem, h_ste_pa(h, 7), ste[0]), 0);
		assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_STE) | SID(7), 0), 0);
		assert_int_equal(outcome_of(h, 7), i & 1 ? SMMU_EVT_C_BAD_STE : 0);
	}
	atomic_store(&r.stop, true);
	pthread_join(thread, NULL);
	assert_int_equal(r.bad, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, cfg_setup, cfg_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_linear_stream_table), T(test_ste_fetch_abort), T(test_2lvl_stream_table),
		T(test_bad_ste), T(test_bad_ste_features), T(test_linear_cd_table),
		T(test_2lvl_cd_table), T(test_bad_cd), T(test_cache_ste),
		T(test_cache_ste_other_cfgi), T(test_cache_l1std),
		T(test_cache_cd), T(test_prefetch_config), T(test_cache_capacity),
		T(test_nested_cd_fetch), T(test_translate_during_cfgi),
	};

	return harness_run("model_config", tests, sizeof(tests) / sizeof(tests[0]));
}

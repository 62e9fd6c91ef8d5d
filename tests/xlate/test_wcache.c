/*
 * The walk cache of weakest-legal mode (model/wcache.h), through the
 * model's boundary: a last-level table replaced under a cached table
 * descriptor keeps being walked after a Leaf-only TLBI, until a TLBI that
 * is not Leaf-only and its CMD_SYNC; every scope that must remove the
 * descriptor does, those that need not do not; stage 2 alike; the
 * coherency oracle reports the stale walk; the default model has no walk
 * cache.
 */
#include <errno.h>

#include "gate.h"
#include "model_internal.h"
#include "streams.h"

#define VA_A     0x1000ull       /* translated first: its walk caches the tables */
#define VA_B     0x2000ull       /* VA_B and VA_C: not translated before the tables change */
#define VA_C     0x3000ull
#define VA_NONE  0x9000ull       /* in neither table */
#define PA_A     0x5000ull
#define PA_OLD   0x6000ull       /* VA_B in the old last-level table */
#define PA_NEW   0x7000ull       /* VA_B in the new one */
#define PA_C_OLD 0x8000ull
#define PA_C_NEW 0xa000ull
#define OTHER_ASID (ASID + 1u)
#define FAR_VA   0x40000000ull   /* another 1 GiB: no table of VA_B's path */

/* Stage 1: 48-bit VAs from level 0; stage 2: 40-bit IPAs from level 1. */
#define S1_IA_BITS 48u
#define S1_START   0
#define S2_IA_BITS 40u
#define S2_START   1
#define TABLE_LEVEL 2            /* the descriptor of the last-level table */

struct stale {
	struct xt t;
	uint64_t root;
	unsigned ia_bits;
	int start;
	uint64_t attrs;
};

static void map(struct stale *s, uint64_t ia, uint64_t pa)
{
	ptb_map(&s->t.b, s->root, s->ia_bits, s->start, ia, pa, SMMU_LAST_LEVEL, s->attrs);
}

static uint64_t pa_of(struct harness *h, uint64_t ia)
{
	struct smmu_txn_result r = h_translate(h, SID, false, 0, ia, false);

	return r.status == SMMU_TXN_OK ? r.pa : 0;
}

static void rebuild(void **state, bool weakest)
{
	struct harness *h = *state;

	h->cfg.weakest_legal = weakest;
	harness_rebuild(h);
}

/*
 * Stream SID of this configuration on the harness's model, VA_A, VA_B
 * and VA_C mapped in one last-level table; nothing translated yet.
 */
static struct stale stream_begin(void **state, unsigned config)
{
	struct stale s = { .t = xt_begin(state) };

	s.root = config == SMMU_STE_CFG_S2 ? s.t.s2_root : s.t.s1_root;
	s.ia_bits = config == SMMU_STE_CFG_S2 ? S2_IA_BITS : S1_IA_BITS;
	s.start = config == SMMU_STE_CFG_S2 ? S2_START : S1_START;
	s.attrs = config == SMMU_STE_CFG_S2 ? S2RW : AF;
	/* Nested: stage 2 maps 1:1 the 2 MiB blocks the CD, tables and pages are in. */
	for (unsigned i = 0; config == SMMU_STE_CFG_NESTED && i < 3; i++) {
		const uint64_t ipa[] = { 0, CD_BASE, TABLES };

		ptb_map(&s.t.b, s.t.s2_root, S2_IA_BITS, S2_START, ipa[i], ipa[i], TABLE_LEVEL,
			S2RW);
	}
	write_ste(&s.t, SID, config, SMMU_CD0_R | SMMU_CD0_A, 0);
	map(&s, VA_A, PA_A);
	map(&s, VA_B, PA_OLD);
	map(&s, VA_C, PA_C_OLD);
	return s;
}

/*
 * The last-level table replaced by one mapping VA_B and VA_C elsewhere
 * (and VA_A not at all), as a driver does when it frees a table and makes
 * a new one.  Nothing is invalidated.
 */
static void replace_table(struct stale *s)
{
	ptb_write(&s->t.b, ptb_desc_at(&s->t.b, s->root, s->ia_bits, s->start, VA_B, TABLE_LEVEL),
		  ptb_table(&s->t.b, 512) | SMMU_PTE_VALID | SMMU_PTE_TYPE);
	map(s, VA_B, PA_NEW);
	map(s, VA_C, PA_C_NEW);
}

/* VA_A translated (its walk reads the table descriptors), then the table replaced. */
static struct stale table_replaced(void **state, bool weakest, unsigned config)
{
	struct stale s;

	rebuild(state, weakest);
	s = stream_begin(state, config);
	assert_int_equal(pa_of(s.t.h, VA_A), PA_A);
	replace_table(&s);
	return s;
}

static uint64_t tlbi_va_dw1(uint64_t va, bool leaf)
{
	return (va & SMMU_CMD1_TLBI_VA) | (leaf ? SMMU_CMD1_TLBI_LEAF : 0);
}

static void test_leaf_tlbi_keeps_the_old_table(void **state)
{
	struct stale s = table_replaced(state, true, SMMU_STE_CFG_S1);

	assert_int_equal(h_cmd_sync(s.t.h, cmd_tlbi_va(ASID, VMID), tlbi_va_dw1(VA_B, true)),
			 SMMU_CERROR_NONE);
	assert_int_equal(pa_of(s.t.h, VA_B), PA_OLD);
	assert_int_equal(h_stats(s.t.h).walk_cache_hits, 1);
	/* Not Leaf-only: the tables are read again. */
	assert_int_equal(h_cmd_sync(s.t.h, cmd_tlbi_va(ASID, VMID), tlbi_va_dw1(VA_B, false)),
			 SMMU_CERROR_NONE);
	assert_int_equal(pa_of(s.t.h, VA_B), PA_NEW);
	assert_int_equal(h_stats(s.t.h).walk_cache_hits, 1);
}

/* Every later walk on the cached path starts there, whatever its page. */
static void test_walks_start_below_the_top(void **state)
{
	struct stale s = table_replaced(state, true, SMMU_STE_CFG_S1);

	assert_int_equal(pa_of(s.t.h, VA_NONE), 0);
	assert_int_equal(pa_of(s.t.h, VA_C), PA_C_OLD);
	assert_int_equal(h_stats(s.t.h).walk_cache_hits, 2);
}

/* Weakest-legal hardware removes the descriptors no earlier than the sync. */
static void test_removed_at_the_sync(void **state)
{
	struct stale s = table_replaced(state, true, SMMU_STE_CFG_S1);

	h_cmd(s.t.h, cmd_tlbi_va(ASID, VMID), tlbi_va_dw1(VA_B, false));
	assert_int_equal(h_cmdq_wait(s.t.h), SMMU_CERROR_NONE);
	assert_int_equal(pa_of(s.t.h, VA_B), PA_OLD);
	assert_int_equal(h_sync(s.t.h), SMMU_CERROR_NONE);
	assert_int_equal(pa_of(s.t.h, VA_B), PA_NEW);
}

/* The default model keeps no table descriptors: the new table at once. */
static void test_default_model_has_none(void **state)
{
	struct stale s = table_replaced(state, false, SMMU_STE_CFG_S1);

	assert_int_equal(pa_of(s.t.h, VA_B), PA_NEW);
	assert_int_equal(h_stats(s.t.h).walk_cache_hits, 0);
}

/*
 * Nested: stage 1's table descriptors are kept under the nested tag, so
 * TLBI_S2_IPA leaves them (it need not touch what stage 1 gave) and a
 * stage-1 TLBI that is not Leaf-only removes them.
 */
static void test_nested(void **state)
{
	struct stale s = table_replaced(state, true, SMMU_STE_CFG_NESTED);

	assert_int_equal(h_cmd_sync(s.t.h, cmd_tlbi(SMMU_CMD_TLBI_S2_IPA, 0, VMID),
				    tlbi_va_dw1(TABLES, false)), SMMU_CERROR_NONE);
	assert_int_equal(pa_of(s.t.h, VA_C), PA_C_OLD);
	assert_int_equal(h_cmd_sync(s.t.h, cmd_tlbi_va(ASID, VMID), tlbi_va_dw1(VA_B, true)),
			 SMMU_CERROR_NONE);
	assert_int_equal(pa_of(s.t.h, VA_B), PA_OLD);
	assert_int_equal(h_cmd_sync(s.t.h, cmd_tlbi_va(ASID, VMID), tlbi_va_dw1(VA_B, false)),
			 SMMU_CERROR_NONE);
	assert_int_equal(pa_of(s.t.h, VA_B), PA_NEW);
	/*
	 * All four walks used the cache: VA_A's own later descriptor fetches
	 * found the stage-2 table descriptor its first one kept.
	 */
	assert_int_equal(h_stats(s.t.h).walk_cache_hits, 4);
}

struct scope_case {
	unsigned op;
	uint16_t asid, vmid;
	uint64_t dw1;
	bool removes;
};

/*
 * What each TLBI of VA_B (or of everything) does to the table descriptors
 * VA_C is walked through: a range's TTL names the leaf's level and spares
 * no table above it; an address in another 1 GiB leaves the deeper ones.
 */
static void test_tlbi_scopes(void **state)
{
	const uint64_t range_ttl3 = SMMU_FIELD_PREP(SMMU_CMD1_TLBI_TG, SMMU_TLBI_TG_4K) |
				    SMMU_FIELD_PREP(SMMU_CMD1_TLBI_TTL, 3);
	const struct scope_case cases[] = {
		{ SMMU_CMD_TLBI_NH_VA, ASID, VMID, tlbi_va_dw1(VA_B, true), false },
		{ SMMU_CMD_TLBI_NH_VA, ASID, VMID, tlbi_va_dw1(VA_B, false), true },
		{ SMMU_CMD_TLBI_NH_VA, OTHER_ASID, VMID, tlbi_va_dw1(VA_B, false), false },
		{ SMMU_CMD_TLBI_NH_VA, ASID, VMID, tlbi_va_dw1(FAR_VA, false), false },
		{ SMMU_CMD_TLBI_NH_VA, ASID, VMID, tlbi_va_dw1(VA_B, false) | range_ttl3, true },
		{ SMMU_CMD_TLBI_NH_VAA, 0, VMID, tlbi_va_dw1(VA_B, false), true },
		{ SMMU_CMD_TLBI_NH_VAA, 0, VMID, tlbi_va_dw1(VA_B, true), false },
		{ SMMU_CMD_TLBI_NH_ASID, ASID, VMID, 0, true },
		{ SMMU_CMD_TLBI_NH_ASID, OTHER_ASID, VMID, 0, false },
		{ SMMU_CMD_TLBI_NH_ALL, 0, VMID, 0, true },
		{ SMMU_CMD_TLBI_NH_ALL, 0, VMID + 1, 0, false },
		{ SMMU_CMD_TLBI_S12_VMALL, 0, VMID, 0, true },
		{ SMMU_CMD_TLBI_NSNH_ALL, 0, 0, 0, true },
		{ SMMU_CMD_TLBI_S2_IPA, 0, VMID, tlbi_va_dw1(VA_B, false), false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct scope_case *c = &cases[i];
		struct stale s = table_replaced(state, true, SMMU_STE_CFG_S1);

		if (h_cmd_sync(s.t.h, cmd_tlbi(c->op, c->asid, c->vmid), c->dw1) != SMMU_CERROR_NONE)
			fail_msg("case %zu (op %#x): refused", i, c->op);
		if (pa_of(s.t.h, VA_C) != (c->removes ? PA_C_NEW : PA_C_OLD))
			fail_msg("case %zu (op %#x): the old table %s", i, c->op,
				 c->removes ? "stayed" : "went");
	}
}

/* Stage 2 alike: its tables' descriptors go only with TLBI_S2_IPA Leaf = 0. */
static void test_stage2(void **state)
{
	struct stale s = table_replaced(state, true, SMMU_STE_CFG_S2);

	assert_int_equal(h_cmd_sync(s.t.h, cmd_tlbi(SMMU_CMD_TLBI_S2_IPA, 0, VMID),
				    tlbi_va_dw1(VA_B, true)), SMMU_CERROR_NONE);
	assert_int_equal(pa_of(s.t.h, VA_B), PA_OLD);
	/* Stage-1 TLBIs leave them. */
	assert_int_equal(h_cmd_sync(s.t.h, cmd_tlbi(SMMU_CMD_TLBI_NH_ALL, 0, VMID), 0),
			 SMMU_CERROR_NONE);
	assert_int_equal(pa_of(s.t.h, VA_C), PA_C_OLD);
	assert_int_equal(h_cmd_sync(s.t.h, cmd_tlbi(SMMU_CMD_TLBI_S2_IPA, 0, VMID),
				    tlbi_va_dw1(VA_B, false)), SMMU_CERROR_NONE);
	assert_int_equal(pa_of(s.t.h, VA_B), PA_NEW);
}

/* The oracle checks a walk that began at a cached table like any cached answer. */
static void test_oracle_reports_the_stale_walk(void **state)
{
	struct harness *h = *state;
	struct oracle_seen seen = { 0 };

	h->cfg.check_coherency = true;
	table_replaced(state, true, SMMU_STE_CFG_S1);
	smmu_model_set_coherency_callback(h->m, xt_on_violation, &seen);
	assert_int_equal(h_cmd_sync(h, cmd_tlbi_va(ASID, VMID), tlbi_va_dw1(VA_B, true)),
			 SMMU_CERROR_NONE);
	assert_int_equal(pa_of(h, VA_B), PA_OLD);
	assert_int_equal(smmu_model_coherency_violations(h->m), 1);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.last.iova, VA_B);
	assert_int_equal(seen.last.cached_pa, PA_OLD);
	assert_int_equal(seen.last.fresh_pa, PA_NEW);
}

/*
 * A translation that began before a CMD_SYNC may finish after it with
 * what it read before (here the CD, so the old tables), but caches
 * nothing: neither its leaf nor the table descriptors of its walk.
 */
static void test_translation_begun_before_sync_caches_nothing(void **state)
{
	struct harness *h = *state;
	struct gate g;
	struct gate_txn early = { .iova = VA_A };
	struct gate_sync sync = { .h = h, .n = 2 };
	uint64_t cd = CD_BASE + SID * SMMU_CD_SIZE, new_root;
	struct stale s;

	rebuild(state, true);
	gate_install(h, &g);
	s = stream_begin(state, SMMU_STE_CFG_S1);
	new_root = ptb_table(&s.t.b, 512);
	ptb_map(&s.t.b, new_root, S1_IA_BITS, S1_START, VA_A, PA_NEW, SMMU_LAST_LEVEL, AF);
	ptb_map(&s.t.b, new_root, S1_IA_BITS, S1_START, VA_C, PA_C_NEW, SMMU_LAST_LEVEL, AF);
	/* Held once the whole CD, its TTB0 included, has been read. */
	gate_arm(&g, cd + (SMMU_CD_DWORDS - 1) * sizeof(uint64_t));
	early.m = h->m;
	gate_txn_start(&early);
	gate_wait_holding(&g);
	/* The driver moves the tables and invalidates; the sync completes. */
	assert_int_equal(smmu_mem_write64(h->mem, cd + sizeof(uint64_t), new_root), 0);
	sync.dw0[0] = SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_CFGI_CD_ALL) |
		      SMMU_FIELD_PREP(SMMU_CMD0_SID, SID);
	sync.dw0[1] = cmd_tlbi(SMMU_CMD_TLBI_NH_ASID, ASID, VMID);
	gate_sync_start(&sync);
	gate_sync_join(&sync);
	gate_release(&g);
	gate_txn_join(&early);
	assert_int_equal(early.res.pa, PA_A);
	assert_int_equal(pa_of(h, VA_A), PA_NEW);
	assert_int_equal(pa_of(h, VA_C), PA_C_NEW);
	gate_remove(h, &g);
}

/* Table attributes read above the cached descriptor still apply below it. */
static void test_cached_table_attributes_apply(void **state)
{
	struct stale s = table_replaced(state, true, SMMU_STE_CFG_S1);
	struct smmu_txn_result r;

	ptb_set_table_attrs(&s.t.b, s.root, s.ia_bits, s.start, VA_A, SMMU_PTE_TBL_AP_RDONLY);
	assert_int_equal(h_cmd_sync(s.t.h, cmd_tlbi(SMMU_CMD_TLBI_NH_ALL, 0, VMID), 0),
			 SMMU_CERROR_NONE);
	assert_int_equal(pa_of(s.t.h, VA_B), PA_NEW);
	r = h_translate(s.t.h, SID, false, 0, VA_C, true);
	assert_int_equal(h_stats(s.t.h).walk_cache_hits, 1);
	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, r.event[0]), SMMU_EVT_F_PERMISSION);
}

/*
 * A walk that read a table descriptor before a TLBI + CMD_SYNC removed it
 * does not put it back into the walk cache afterwards.
 */
static void test_walk_in_flight_does_not_refill(void **state)
{
	struct harness *h = *state;
	struct gate g;
	struct gate_txn walker = { .iova = VA_A };
	struct gate_sync sync = { .h = h, .n = 1, .dw0 = { cmd_tlbi_va(ASID, VMID) },
				  .dw1 = { tlbi_va_dw1(VA_A, false) } };
	struct stale s;
	uint64_t table_desc;

	rebuild(state, true);
	gate_install(h, &g);
	s = stream_begin(state, SMMU_STE_CFG_S1);
	table_desc = ptb_desc_at(&s.t.b, s.root, s.ia_bits, s.start, VA_A, TABLE_LEVEL);
	gate_arm(&g, table_desc);
	walker.m = h->m;
	gate_txn_start(&walker);
	gate_wait_holding(&g);
	/* The table is replaced and invalidated while the walk holds its old address. */
	replace_table(&s);
	gate_sync_start(&sync);
	gate_wait_sync_waiting(h, 0);
	gate_release(&g);
	gate_txn_join(&walker);
	gate_sync_join(&sync);
	assert_int_equal(walker.res.pa, PA_A);
	assert_int_equal(pa_of(h, VA_C), PA_C_NEW);
	gate_remove(h, &g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		H_TEST(test_leaf_tlbi_keeps_the_old_table),
		H_TEST(test_walks_start_below_the_top),
		H_TEST(test_removed_at_the_sync),
		H_TEST(test_default_model_has_none),
		H_TEST(test_tlbi_scopes),
		H_TEST(test_stage2),
		H_TEST(test_nested),
		H_TEST(test_oracle_reports_the_stale_walk),
		H_TEST(test_translation_begun_before_sync_caches_nothing),
		H_TEST(test_cached_table_attributes_apply),
		H_TEST(test_walk_in_flight_does_not_refill),
	};

	return harness_run("wcache", tests, sizeof(tests) / sizeof(tests[0]));
}

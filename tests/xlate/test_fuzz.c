/*
 * Differential fuzzing of translation: two models, one with the micro-TLB
 * and one without, fed the same random stream tables, context
 * descriptors, page tables, commands (valid, invalidating, or garbage),
 * SMMUEN toggles and transactions.  Every answer must be identical - status, address,
 * event record, stall tag, ATS answer - and so must the counters the
 * micro-TLB does not own: the micro-TLB may only ever make answers
 * cheaper.  Under the sanitizers this also shows that nothing software
 * can write makes the model crash.  Seeded, so a failure repeats; for a
 * longer search run with SMMU_FUZZ_SEED=<first seed> SMMU_FUZZ_RUNS=<n>.
 */
#include <stdlib.h>
#include <string.h>

#include "../rng.h"
#include "streams.h"

#define ROUNDS          20000u
#define SIDS            9u      /* the last one has no STE: C_BAD_STE */
#define SSIDS           4u
#define TABLE_PAGES     16u
#define OUT_BASE        0x200000000ull
#define CD_STRIDE       (SSIDS * SMMU_CD_SIZE)
#define PAGE            0x1000ull
#define IOTLB_ENTRIES   (1u << 16)     /* more than ROUNDS walks */

/* The two models, written to alike. */
struct pair {
	struct harness *h[2];
};

static void pair_write64(struct pair *p, uint64_t pa, uint64_t v)
{
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(smmu_mem_write64(p->h[i]->mem, pa, v), 0);
}

static uint64_t table_page(uint64_t *r)
{
	return TABLES + test_pick(r, TABLE_PAGES) * PAGE;
}

/* A descriptor: mostly shaped like a table, page or block one. */
static uint64_t random_desc(uint64_t *r)
{
	uint64_t attrs = test_rnd(r) & (SMMU_PTE_AP_RDONLY | SMMU_PTE_AP_UNPRIV |
				   SMMU_PTE_NG | SMMU_PTE_UXN | SMMU_PTE_PXN | SMMU_PTE_DBM |
				   SMMU_PTE_S2AP_READ | SMMU_PTE_S2AP_WRITE);

	/* Most leaves have been accessed; the rest fault or need HA. */
	if (test_pick(r, 8))
		attrs |= SMMU_PTE_AF;

	switch (test_pick(r, 16)) {
	case 0:
		return test_rnd(r);
	case 1:
		return 0;
	case 2:
	case 3:         /* a block */
		return (OUT_BASE + test_pick(r, 1u << 20) * PAGE) | SMMU_PTE_VALID | attrs;
	case 4:         /* a page elsewhere, or a table there */
		return (OUT_BASE + test_pick(r, 1u << 20) * PAGE) | SMMU_PTE_VALID | SMMU_PTE_TYPE |
		       attrs;
	default:        /* a table, or at the last level a page, in the tables */
		return table_page(r) | SMMU_PTE_VALID | SMMU_PTE_TYPE | attrs;
	}
}

/* Dword 1 of a wild STE. */
static uint64_t random_ste1(uint64_t *r)
{
	switch (test_pick(r, 8)) {
	case 0:
		return test_rnd(r) & test_rnd(r);
	case 1:
		return SMMU_FIELD_PREP(SMMU_STE1_PRIVCFG, test_pick(r, 4)) |
		       SMMU_FIELD_PREP(SMMU_STE1_INSTCFG, test_pick(r, 4));
	case 2:
		return SMMU_FIELD_PREP(SMMU_STE1_S1DSS, test_pick(r, 4)) |
		       SMMU_FIELD_PREP(SMMU_STE1_EATS, test_pick(r, 3));
	default:
		return 0;
	}
}

/* Dword 2: the stage-2 fields, consistent (4K, 48 bits) unless wild. */
static uint64_t random_ste2(uint64_t *r, bool wild)
{
	uint64_t s2 = SMMU_FIELD_PREP(SMMU_STE2_S2VMID, test_pick(r, 4)) | SMMU_STE2_S2AA64 |
		      (test_rnd(r) & (SMMU_STE2_S2AFFD | SMMU_STE2_S2R |
				 (wild ? SMMU_STE2_S2PTW | SMMU_STE2_S2HD | SMMU_STE2_S2HA |
				  SMMU_STE2_S2S : 0)));

	if (!wild)
		return s2 | SMMU_FIELD_PREP(SMMU_STE2_S2T0SZ, 16 + test_pick(r, 9)) |
		       SMMU_FIELD_PREP(SMMU_STE2_S2SL0, 1 + test_pick(r, 2)) |
		       SMMU_FIELD_PREP(SMMU_STE2_S2TG, SMMU_S2TG_4K) |
		       SMMU_FIELD_PREP(SMMU_STE2_S2PS, SMMU_OAS_48);
	return s2 | SMMU_FIELD_PREP(SMMU_STE2_S2T0SZ, 16 + test_pick(r, 28)) |
	       SMMU_FIELD_PREP(SMMU_STE2_S2SL0, test_pick(r, 3)) |
	       SMMU_FIELD_PREP(SMMU_STE2_S2TG, test_pick(r, 3)) |
	       SMMU_FIELD_PREP(SMMU_STE2_S2PS, test_pick(r, 6));
}

static void write_ste_random(struct pair *p, uint64_t *r, uint32_t sid)
{
	static const unsigned configs[] = { SMMU_STE_CFG_ABORT, SMMU_STE_CFG_BYPASS,
					    SMMU_STE_CFG_S1, SMMU_STE_CFG_S2,
					    SMMU_STE_CFG_NESTED };
	bool wild = !test_pick(r, 4);
	uint64_t ste[SMMU_STE_DWORDS] = {
		(!wild || test_pick(r, 2) ? SMMU_STE0_V : 0) |
		SMMU_FIELD_PREP(SMMU_STE0_CONFIG, wild ? test_pick(r, 8) : configs[1 + test_pick(r, 4)]) |
		SMMU_FIELD_PREP(SMMU_STE0_S1CDMAX, test_pick(r, 3)) |
		SMMU_FIELD_PREP(SMMU_STE0_S1FMT, wild ? test_pick(r, 4) : 0) |
		((CD_BASE + sid * CD_STRIDE) & SMMU_STE0_S1CTXPTR),
		wild ? random_ste1(r) : SMMU_FIELD_PREP(SMMU_STE1_S1DSS, SMMU_S1DSS_SSID0),
		random_ste2(r, wild),
		!wild ? table_page(r) : test_rnd(r),
	};
	struct harness *h = p->h[0];

	for (unsigned i = 0; i < SMMU_STE_DWORDS; i++)
		pair_write64(p, h_ste_pa(h, sid) + i * 8, ste[i]);
}

static void write_cd_random(struct pair *p, uint64_t *r, uint32_t sid, uint32_t ssid)
{
	bool wild = !test_pick(r, 4);
	uint64_t flags = SMMU_CD0_R | SMMU_CD0_A | SMMU_CD0_EPD1 |
			 (test_rnd(r) & (SMMU_CD0_TBI | SMMU_CD0_AFFD | SMMU_CD0_WXN |
				    SMMU_CD0_UWXN | SMMU_CD0_PAN));
	uint64_t cd[SMMU_CD_DWORDS] = {
		wild ? test_rnd(r) | SMMU_FIELD_PREP(SMMU_CD0_T0SZ, 16 + test_pick(r, 24))
		     : (cd_word0((uint16_t)test_pick(r, 4), flags) & ~SMMU_CD0_T0SZ &
			~SMMU_CD0_IPS) |
		       SMMU_FIELD_PREP(SMMU_CD0_T0SZ, 16 + test_pick(r, 24)) |
		       SMMU_FIELD_PREP(SMMU_CD0_IPS, SMMU_OAS_48 - test_pick(r, 2)),
		table_page(r),
		table_page(r),
		test_rnd(r),
	};

	for (unsigned i = 0; i < SMMU_CD_DWORDS; i++)
		pair_write64(p, CD_BASE + sid * CD_STRIDE + ssid * SMMU_CD_SIZE + i * 8, cd[i]);
}

/* Commands to both; a command error is acknowledged on both. */
static void pair_cmd_sync(struct pair *p, uint64_t dw0, uint64_t dw1)
{
	unsigned err[2];

	for (unsigned i = 0; i < 2; i++) {
		err[i] = h_cmd_sync(p->h[i], dw0, dw1);
		if (err[i] != SMMU_CERROR_NONE) {
			h_cmdq_skip_error(p->h[i]);
			assert_int_equal(h_cmdq_wait(p->h[i]), SMMU_CERROR_NONE);
		}
	}
	assert_int_equal(err[0], err[1]);
}

static void random_commands(struct pair *p, uint64_t *r)
{
	uint64_t op = SMMU_CMD0_OP;

	switch (test_pick(r, 7)) {
	case 0:
		pair_cmd_sync(p, SMMU_FIELD_PREP(op, SMMU_CMD_CFGI_STE_RANGE),
			      SMMU_FIELD_PREP(SMMU_CMD1_RANGE, SMMU_CFGI_RANGE_ALL));
		break;
	case 1:
		pair_cmd_sync(p, SMMU_FIELD_PREP(op, SMMU_CMD_CFGI_STE) |
			      SMMU_FIELD_PREP(SMMU_CMD0_SID, test_pick(r, SIDS)), SMMU_CMD1_LEAF);
		break;
	case 2:
		pair_cmd_sync(p, cmd_tlbi(SMMU_CMD_TLBI_NH_ASID, (uint16_t)test_pick(r, 4),
					  (uint16_t)test_pick(r, 4)), 0);
		break;
	case 3:
		pair_cmd_sync(p, cmd_tlbi(SMMU_CMD_TLBI_NH_VA, (uint16_t)test_pick(r, 4),
					  (uint16_t)test_pick(r, 4)),
			      test_pick(r, 1u << 12) * PAGE | (test_rnd(r) & SMMU_CMD1_LEAF));
		break;
	case 4:
		pair_cmd_sync(p, SMMU_FIELD_PREP(op, SMMU_CMD_TLBI_NSNH_ALL), 0);
		break;
	case 5:         /* translation off (GBPA decides) or back on */
		for (unsigned i = 0; i < 2; i++)
			h_cr0(p->h[i], h_read32(p->h[i], SMMU_CR0) ^ (uint32_t)SMMU_CR0_SMMUEN);
		break;
	default:        /* anything: legal or not */
		pair_cmd_sync(p, test_rnd(r), test_rnd(r));
		break;
	}
}

static struct smmu_txn random_txn(uint64_t *r)
{
	uint64_t small = test_pick(r, 1u << 12) * PAGE + test_pick(r, 1u << 12);

	return (struct smmu_txn){
		.sid = test_pick(r, SIDS), .ssv = test_pick(r, 4) == 0,
.ssid = test_pick(r, SSIDS),
		.iova = test_pick(r, 4) ? small : test_rnd(r),
		.write = test_pick(r, 2), .exec = test_pick(r, 6) == 0, .priv = test_pick(r, 2),
		.translated = test_pick(r, 20) == 0, .ats_request = test_pick(r, 20) == 0,
	};
}

/*
 * The last transaction with one thing changed: what a cache must tell
 * apart from what it holds (a neighbouring page shares a micro-TLB line;
 * without SSV no SubstreamID bit means anything, bit 31 included).
 */
static struct smmu_txn mutated_txn(uint64_t *r, struct smmu_txn t)
{
	switch (test_pick(r, 6)) {
	case 0:
		t.ssv = !t.ssv;
		break;
	case 1:
		t.ssid ^= UINT32_C(1) << 31;
		break;
	case 2:
		t.ssid = test_pick(r, SSIDS);
		break;
	case 3:
		t.sid = test_pick(r, SIDS);
		break;
	case 4:
		t.iova ^= PAGE << test_pick(r, 3);
		break;
	default:
		t.write = test_pick(r, 2);
		t.exec = test_pick(r, 6) == 0;
		t.priv = test_pick(r, 2);
		break;
	}
	return t;
}

/* The same answer, in every field the status makes meaningful. */
static void assert_same_answer(const struct smmu_txn *txn, const struct smmu_txn_result *a,
			       const struct smmu_txn_result *b, uint64_t seed, unsigned round)
{
	bool ok = a->status == SMMU_TXN_OK;

	if (a->status != b->status || (ok && a->pa != b->pa) ||
	    a->event_recorded != b->event_recorded ||
	    ((!ok || a->event_recorded) && memcmp(a->event, b->event, sizeof(a->event))) ||
	    (a->status == SMMU_TXN_STALLED && a->stag != b->stag) ||
	    (ok && txn->ats_request &&
	     (a->ats_perms != b->ats_perms || a->ats_size_log2 != b->ats_size_log2)))
		fail_msg("seed %#llx round %u: status %d/%d pa %#llx/%#llx event %d/%d",
			 (unsigned long long)seed, round, a->status, b->status,
			 (unsigned long long)a->pa, (unsigned long long)b->pa,
			 a->event_recorded, b->event_recorded);
}

/* What the micro-TLB does not own counts the same with and without it. */
static void assert_same_counts(const struct smmu_model_stats *a,
			       const struct smmu_model_stats *b, uint64_t seed)
{
	if (a->translations != b->translations || a->iotlb_hits != b->iotlb_hits ||
	    a->iotlb_misses != b->iotlb_misses || a->walks != b->walks ||
	    a->events != b->events || a->translation_aborts != b->translation_aborts)
		fail_msg("seed %#llx: counters differ (IOTLB hits %llu/%llu, walks %llu/%llu)",
			 (unsigned long long)seed, (unsigned long long)a->iotlb_hits,
			 (unsigned long long)b->iotlb_hits, (unsigned long long)a->walks,
			 (unsigned long long)b->walks);
}

static struct harness *model_for(void **state, bool weakest, bool no_utlb)
{
	void *s = *state;
	struct harness *h;

	assert_int_equal(harness_setup(&s), 0);
	h = s;
	h->cfg.weakest_legal = weakest;
	h->cfg.no_utlb = no_utlb;
	/*
	 * Room for every walk of a run: micro-TLB hits leave the IOTLB's clock
	 * bits alone (as a TBU's hits do the TCU's), so under eviction the
	 * two IOTLBs would legally keep different entries.
	 */
	h->cfg.iotlb_capacity = IOTLB_ENTRIES;
	harness_rebuild(h);
	h_enable_all(h);
	return h;
}

static void fuzz(void **state, bool weakest, uint64_t seed)
{
	struct pair p = { { model_for(state, weakest, false), model_for(state, weakest, true) } };
	uint64_t r = seed;
	struct smmu_txn txn = random_txn(&r);
	struct smmu_model_stats s[2];

	for (unsigned i = 0; i < TABLE_PAGES * (PAGE / 8); i++)
		pair_write64(&p, TABLES + i * 8, random_desc(&r));
	for (uint32_t sid = 0; sid + 1 < SIDS; sid++) {
		write_ste_random(&p, &r, sid);
		for (uint32_t ssid = 0; ssid < SSIDS; ssid++)
			write_cd_random(&p, &r, sid, ssid);
	}
	for (unsigned round = 0; round < ROUNDS; round++) {
		struct smmu_txn_result res[2];

		switch (test_pick(&r, 16)) {
		case 0:
			write_ste_random(&p, &r, test_pick(&r, SIDS - 1));
			break;
		case 1:
			write_cd_random(&p, &r, test_pick(&r, SIDS - 1), test_pick(&r, SSIDS));
			break;
		case 2:
		case 3:
			pair_write64(&p, TABLES + test_pick(&r, TABLE_PAGES * (PAGE / 8)) * 8,
				     random_desc(&r));
			break;
		case 4:
			random_commands(&p, &r);
			break;
		default:
			break;
		}
		/* Repeats are what the caches answer, near misses what they must not. */
		switch (test_pick(&r, 6)) {
		case 0:
			txn = random_txn(&r);
			break;
		case 1:
			txn = mutated_txn(&r, txn);
			break;
		default:
			break;
		}
		for (unsigned i = 0; i < 2; i++)
			assert_int_equal(smmu_model_translate(p.h[i]->m, &txn, &res[i]), 0);
		assert_same_answer(&txn, &res[0], &res[1], seed, round);
	}
	s[0] = h_stats(p.h[0]);
	s[1] = h_stats(p.h[1]);
	assert_true(s[0].utlb_hits > 0);
	assert_int_equal(s[1].utlb_hits, 0);
	assert_same_counts(&s[0], &s[1], seed);
	for (unsigned i = 0; i < 2; i++)
		harness_teardown((void **)&p.h[i]);
}

/* SMMU_FUZZ_SEED=n runs seeds from n instead (and SMMU_FUZZ_RUNS of them). */
static uint64_t env_or(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

static void fuzz_runs(void **state, bool weakest, uint64_t first_seed)
{
	uint64_t seed = env_or("SMMU_FUZZ_SEED", first_seed);
	uint64_t runs = env_or("SMMU_FUZZ_RUNS", 2);

	for (uint64_t i = 0; i < runs; i++)
		fuzz(state, weakest, seed + i);
}

static void test_utlb_changes_no_answer(void **state)
{
	fuzz_runs(state, false, UINT64_C(0x5eed0001));
}

static void test_utlb_changes_no_answer_weakest_legal(void **state)
{
	fuzz_runs(state, true, UINT64_C(0x5eed0101));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utlb_changes_no_answer),
		cmocka_unit_test(test_utlb_changes_no_answer_weakest_legal),
	};

	return harness_run("fuzz", tests, sizeof(tests) / sizeof(tests[0]));
}

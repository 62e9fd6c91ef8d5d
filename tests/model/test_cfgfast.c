/*
 * Model suite: the configuration fast path (cfgfast.c) keeps the caching
 * semantics of the configuration cache behind it.
 *
 * Concepts: a stream is "warm" once the fast path holds its resolved
 * configuration - after a translation that found every structure in the
 * configuration cache; smmu_cfg_fast_lookup() shows it.  Each test warms a
 * stream, edits its structures or registers the way a driver would, and
 * checks that translations see exactly what the configuration cache alone
 * would give: the stale structure until the matching CFGI_* and CMD_SYNC,
 * the new one after it, never a cached failure, and the same statistics.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "cfg_tables.h"
#include "model_internal.h"
#include "xlate.h"

#define SSID(ssid) SMMU_FIELD_PREP(SMMU_CMD0_SSID, (ssid))
#define RACE_FLIPS 50u
#define RACERS 1u

/* Whether the fast path holds a configuration (a hit counts in cfg_hits). */
static bool fast_has(struct harness *h, uint32_t sid, bool ssv, uint32_t ssid)
{
	struct smmu_stream_id who = { sid, ssv, ssv ? ssid : 0 };
	struct smmu_xlate_cfg xc;

	return smmu_cfg_fast_lookup(h->m, &who, &xc);
}

/* Translate until the fast path serves the stream; expect the same outcome. */
static void warm(struct harness *h, uint32_t sid, bool ssv, uint32_t ssid, unsigned expect)
{
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(outcome(h, sid, ssv, ssid, NULL), expect);
	assert_true(fast_has(h, sid, ssv, ssid));
}

static void test_fast_serves_and_counts(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	struct smmu_model_stats before, after;
	uint64_t ste[8];

	ste_bypass(ste);
	put_ste(h, 3, ste);
	warm(h, 3, false, 0, 0);
	before = h_stats(h);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(outcome_of(h, 3), 0);
	after = h_stats(h);
	/* One STE hit per translation, as the configuration cache counted. */
	assert_int_equal(after.cfg_hits, before.cfg_hits + 10);
	assert_int_equal(after.cfg_misses, before.cfg_misses);
	assert_int_equal(after.translations, before.translations + 10);
	/* A substream, or another stream, is a different entry. */
	assert_false(fast_has(h, 3, true, 0));
	assert_false(fast_has(h, 4, false, 0));
}

/* Warm an STE, make it invalid in memory, and show it stays until dw0/dw1 + SYNC. */
static void check_ste_until(struct harness *h, uint32_t sid, uint64_t dw0, uint64_t dw1)
{
	uint64_t ste[8];

	ste_bypass(ste);
	put_ste(h, sid, ste);
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_STE) | SID(sid), 0), 0);
	warm(h, sid, false, 0, 0);
	ste[0] = 0;
	put_ste(h, sid, ste);
	assert_int_equal(outcome_of(h, sid), 0);       /* stale, as allowed */
	assert_true(fast_has(h, sid, false, 0));
	assert_int_equal(h_cmd_sync(h, dw0, dw1), 0);
	assert_false(fast_has(h, sid, false, 0));
	assert_int_equal(outcome_of(h, sid), SMMU_EVT_C_BAD_STE);
}

static void test_fast_cfgi_ste(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;

	check_ste_until(h, 10, OP(SMMU_CMD_CFGI_STE) | SID(10), SMMU_CMD1_LEAF);
	check_ste_until(h, 11, OP(SMMU_CMD_CFGI_STE) | SID(11), 0);
	check_ste_until(h, 20, OP(SMMU_CMD_CFGI_STE_RANGE) | SID(17),
			SMMU_FIELD_PREP(SMMU_CMD1_RANGE, 3));
	check_ste_until(h, 12, OP(SMMU_CMD_CFGI_STE_RANGE),
			SMMU_FIELD_PREP(SMMU_CMD1_RANGE, SMMU_CFGI_RANGE_ALL));
}

/* Invalidations that do not cover the stream drop the entry, not the result. */
static void test_fast_other_cfgi(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	uint64_t ste[8];

	ste_bypass(ste);
	put_ste(h, 41, ste);
	warm(h, 41, false, 0, 0);
	ste[0] = 0;
	put_ste(h, 41, ste);
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_STE) | SID(42), 0), 0);
	assert_int_equal(outcome_of(h, 41), 0);
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_CD_ALL) | SID(41), 0), 0);
	warm(h, 41, false, 0, 0);
}

/* A stage-1 stream: CD ssid warm, made invalid, gone after dw0/dw1 + SYNC. */
static void check_cd_until(struct cfg_fixture *f, uint32_t ssid, uint64_t dw0, uint64_t dw1)
{
	struct harness *h = f->h;
	uint64_t ste[8];

	ste_s1(ste, f->cd_pa, 4, SMMU_S1FMT_LINEAR, 0);
	put_ste(h, 1, ste);
	cd_valid(&f->cd_table[ssid * SMMU_CD_DWORDS], (uint16_t)ssid);
	warm(h, 1, true, ssid, SMMU_EVT_F_TRANSLATION);
	f->cd_table[ssid * SMMU_CD_DWORDS] &= ~SMMU_CD0_V;
	assert_int_equal(outcome(h, 1, true, ssid, NULL), SMMU_EVT_F_TRANSLATION);
	assert_int_equal(h_cmd_sync(h, dw0, dw1), 0);
	assert_false(fast_has(h, 1, true, ssid));
	assert_int_equal(outcome(h, 1, true, ssid, NULL), SMMU_EVT_C_BAD_CD);
}

static void test_fast_cfgi_cd(void **state)
{
	struct cfg_fixture *f = *state;

	check_cd_until(f, 1, OP(SMMU_CMD_CFGI_CD) | SID(1) | SSID(1), SMMU_CMD1_LEAF);
	check_cd_until(f, 2, OP(SMMU_CMD_CFGI_CD) | SID(1) | SSID(2), 0);
	check_cd_until(f, 3, OP(SMMU_CMD_CFGI_CD_ALL) | SID(1), 0);
	check_cd_until(f, 4, OP(SMMU_CMD_CFGI_STE_RANGE),
		       SMMU_FIELD_PREP(SMMU_CMD1_RANGE, SMMU_CFGI_RANGE_ALL));
}

/* A snapshot register that changes drops every entry; other writes do not. */
static void test_fast_register_writes(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	uint32_t cr0 = h_read32(h, SMMU_CR0);
	uint64_t ste[8];

	ste_bypass(ste);
	put_ste(h, 5, ste);
	warm(h, 5, false, 0, 0);
	h_write32(h, SMMU_IRQ_CTRL, (uint32_t)SMMU_IRQ_CTRL_EVENTQ_IRQEN);
	h_write32(h, SMMU_EVENTQ_CONS, h_read32(h, SMMU_EVENTQ_CONS));
	assert_true(fast_has(h, 5, false, 0));
	h_write32(h, SMMU_GBPA, (uint32_t)(SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT));
	assert_false(fast_has(h, 5, false, 0));
	warm(h, 5, false, 0, 0);
	/* SMMUEN clear: GBPA decides, whatever was resolved before. */
	h_cr0(h, cr0 & ~(uint32_t)SMMU_CR0_SMMUEN);
	assert_false(fast_has(h, 5, false, 0));
	assert_int_equal(outcome_of(h, 5), ~0u);
	h_write32(h, SMMU_GBPA, (uint32_t)SMMU_GBPA_UPDATE);
	assert_int_equal(outcome_of(h, 5), 0);
	assert_int_equal(outcome_of(h, 5), 0);
	assert_false(fast_has(h, 5, false, 0));        /* nothing while SMMUEN = 0 */
	h_cr0(h, cr0);
	warm(h, 5, false, 0, 0);
}

/* An entry evicted for capacity is fetched again: the fast path forgets it too. */
static void test_fast_eviction(void **state)
{
	struct cfg_fixture *f = *state;
	struct harness *h = f->h;
	uint64_t ste[8];

	h->cfg.config_cache_capacity = 2;
	harness_rebuild(h);
	h_enable_all(h);
	ste_bypass(ste);
	for (uint32_t sid = 0; sid < 3; sid++)
		put_ste(h, sid, ste);
	warm(h, 0, false, 0, 0);
	ste[0] = 0;
	put_ste(h, 0, ste);
	assert_int_equal(outcome_of(h, 1), 0);
	assert_int_equal(outcome_of(h, 2), 0);         /* evicts SID 0's STE */
	assert_int_equal(h_stats(h).cfg_evictions, 1);
	assert_false(fast_has(h, 0, false, 0));
	assert_int_equal(outcome_of(h, 0), SMMU_EVT_C_BAD_STE);
}

/* A configuration error is recorded every time; only successes are kept. */
static void test_fast_failures_not_kept(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	uint64_t ste[8] = { 0 };

	put_ste(h, 6, ste);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(outcome_of(h, 6), SMMU_EVT_C_BAD_STE);
	assert_int_equal(h_events_pending(h), 3);
	assert_false(fast_has(h, 6, false, 0));
	ste[0] = SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_ABORT);
	put_ste(h, 7, ste);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(outcome_of(h, 7), ~0u);
	assert_false(fast_has(h, 7, false, 0));
	assert_int_equal(h_stats(h).translation_aborts, 6);
}

/* Whether the fast path remembers a PREFETCH_* of who (counts its hits). */
static bool prefetch_known(struct harness *h, const struct smmu_stream_id *who)
{
	bool known;

	smmu_model_lock(h->m);
	known = smmu_cfg_fast_lookup(h->m, who, NULL);
	smmu_model_unlock(h->m);
	return known;
}

/* A repeated PREFETCH_CONFIG is remembered; it counts its hits as before. */
static void test_fast_prefetch(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	struct smmu_stream_id who = { 30, false, 0 };
	struct smmu_model_stats before;
	uint64_t ste[8];

	ste_bypass(ste);
	put_ste(h, 30, ste);
	assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_PREFETCH_CONFIG) | SID(30), 0), 0);
	assert_false(prefetch_known(h, &who));
	before = h_stats(h);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_PREFETCH_CONFIG) | SID(30) |
					    SSID(9), 0), 0);
	assert_int_equal(h_stats(h).cfg_hits, before.cfg_hits + 3);
	assert_int_equal(h_stats(h).cfg_misses, before.cfg_misses);
	assert_true(prefetch_known(h, &who));
	assert_false(fast_has(h, 30, false, 0));       /* no configuration kept */
	/* The prefetched STE, still cached, serves a translation after an edit. */
	ste[0] = 0;
	put_ste(h, 30, ste);
	warm(h, 30, false, 0, 0);
}

struct racer {
	struct harness *h;
	atomic_uint epoch;      /* odd while the STE changes, even once synced */
	atomic_bool stop;
	atomic_uint bad;
};

/* The STE's outcome in a settled epoch: bypass, then invalid, alternately. */
static bool settled_outcome_ok(unsigned epoch, const struct smmu_txn_result *res)
{
	if (epoch % 4)
		return res->status == SMMU_TXN_ABORT &&
		       SMMU_FIELD_GET(SMMU_EVT0_ID, res->event[0]) == SMMU_EVT_C_BAD_STE;
	return res->status == SMMU_TXN_OK && res->pa == IOVA;
}

/* No cmocka assertion here: a failing one would unwind the main thread's test. */
static void *race_translate(void *arg)
{
	struct racer *r = arg;
	struct smmu_txn txn = { .sid = 7, .iova = IOVA };
	struct smmu_txn_result res;

	while (!atomic_load(&r->stop)) {
		unsigned before = atomic_load(&r->epoch);

		if (smmu_model_translate(r->h->m, &txn, &res))
			atomic_fetch_add(&r->bad, 1);
		/* Translated wholly inside a settled epoch: its outcome only. */
		else if (!(before & 1u) && atomic_load(&r->epoch) == before &&
			 !settled_outcome_ok(before, &res))
			atomic_fetch_add(&r->bad, 1);
		/*
		 * The fast path makes no system call: yield, or a scheduler
		 * that runs one thread at a time (valgrind) starves the
		 * driver and the model thread.
		 */
		sched_yield();
	}
	return NULL;
}

/* Devices translate through the fast path while the driver flips the STE. */
static void test_fast_race_cfgi(void **state)
{
	struct harness *h = ((struct cfg_fixture *)*state)->h;
	struct racer r = { .h = h };
	struct smmu_txn txn = { .sid = 7, .iova = IOVA };
	struct smmu_txn_result res;
	pthread_t threads[RACERS];
	uint64_t ste[8];

	ste_bypass(ste);
	put_ste(h, 7, ste);
	warm(h, 7, false, 0, 0);
	for (unsigned t = 0; t < RACERS; t++)
		assert_int_equal(pthread_create(&threads[t], NULL, race_translate, &r), 0);
	/* Counted, not asserted, until the racers are joined (h_cmd_sync asserts only on a hang). */
	for (unsigned i = 1; i <= RACE_FLIPS && !atomic_load(&r.bad); i++) {
		atomic_store(&r.epoch, 2 * i - 1);
		ste[0] = i & 1 ? 0 : SMMU_STE0_V |
			 SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_BYPASS);
		if (smmu_mem_write64(h->mem, h_ste_pa(h, 7), ste[0]) ||
		    h_cmd_sync(h, OP(SMMU_CMD_CFGI_STE) | SID(7), 0))
			atomic_fetch_add(&r.bad, 1);
		atomic_store(&r.epoch, 2 * i);
		if (smmu_model_translate(h->m, &txn, &res) || !settled_outcome_ok(2 * i, &res))
			atomic_fetch_add(&r.bad, 1);
	}
	atomic_store(&r.stop, true);
	for (unsigned t = 0; t < RACERS; t++)
		pthread_join(threads[t], NULL);
	assert_int_equal(atomic_load(&r.bad), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, cfg_setup, cfg_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fast_serves_and_counts), T(test_fast_cfgi_ste), T(test_fast_other_cfgi),
		T(test_fast_cfgi_cd), T(test_fast_register_writes), T(test_fast_eviction),
		T(test_fast_failures_not_kept), T(test_fast_prefetch), T(test_fast_race_cfgi),
	};

	return harness_run("model_cfgfast", tests, sizeof(tests) / sizeof(tests[0]));
}

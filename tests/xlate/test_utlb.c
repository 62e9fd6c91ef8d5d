/*
 * The micro-TLB (model/utlb.h): repeated translations are answered from
 * it, and never with anything the IOTLB and the configuration cache could
 * not give.  Through the model's boundary: TLBI, CFGI and capacity
 * evictions end its answers, weakest-legal mode keeps them until the
 * sync, permissions and substreams are exact, ATS traffic never uses it,
 * and a translating thread never sees a translation a completed TLBI +
 * CMD_SYNC removed.  As a unit: a line is never rewritten within an epoch,
 * and its sectors answer only for their own pages.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#include "model_internal.h"
#include "streams.h"
#include "utlb.h"

#define PA1      0x5000ull
#define PA2      0x6000ull
#define RACE_ROUNDS 200u
#define RACE_READERS 2u
#define ALL_ACCESSES ((1u << SMMU_UTLB_ACCESSES) - 1)
#define RACE_PA(round) (0x100000ull + (uint64_t)(round) * 0x1000)

/*
 * Translations of a page until the micro-TLB answers: the first fetches
 * the STE and CD and walks; the second finds them in the configuration
 * cache (and so publishes the stream to the configuration fast path) and
 * hits the IOTLB; the third resolves by the fast path, hits the IOTLB and
 * publishes; the fourth is answered by the micro-TLB.
 */
#define WARM_TRANSLATIONS 4u

/* A stage-1 stream with page 0x1000 mapped to pa, warmed up. */
static struct xt warm_stream(void **state, uint64_t pa)
{
	struct xt t = xt_begin(state);

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	map_s1(&t, 0x1000, pa, AF);
	for (unsigned i = 0; i < WARM_TRANSLATIONS; i++)
		assert_int_equal(h_translate(t.h, SID, false, 0, 0x1000, false).pa, pa);
	return t;
}

/* The same with the model re-created from the harness's edited configuration. */
static struct xt rebuilt_warm_stream(void **state)
{
	harness_rebuild(*state);
	return warm_stream(state, PA1);
}

static uint64_t read_pa(struct harness *h, uint64_t iova)
{
	struct smmu_txn_result r = h_translate(h, SID, false, 0, iova, false);

	assert_int_equal(r.status, SMMU_TXN_OK);
	return r.pa;
}

static void test_repeats_are_served(void **state)
{
	struct xt t = warm_stream(state, PA1);
	struct smmu_model_stats s;

	s = h_stats(t.h);
	assert_int_equal(s.translations, WARM_TRANSLATIONS);
	assert_int_equal(s.walks, 1);
	assert_int_equal(s.iotlb_misses, 1);
	assert_int_equal(s.iotlb_hits, WARM_TRANSLATIONS - 1);
	assert_int_equal(s.utlb_hits, 1);
	assert_int_equal(read_pa(t.h, 0x1abc), PA1 + 0xabc);
	s = h_stats(t.h);
	assert_int_equal(s.utlb_hits, 2);
	assert_int_equal(s.walks, 1);
	smmu_model_reset_stats(t.h->m);
	assert_int_equal(h_stats(t.h).utlb_hits, 0);
	assert_int_equal(h_stats(t.h).translations, 0);
}

static void test_tlbi_ends_answers(void **state)
{
	struct xt t = warm_stream(state, PA1);

	/* The tables change; without a TLBI the cached answer is legal. */
	map_s1(&t, 0x1000, PA2, AF);
	assert_int_equal(read_pa(t.h, 0x1000), PA1);
	/* A TLBI of another ASID removes nothing: still cached. */
	assert_int_equal(h_cmd_sync(t.h, cmd_tlbi_va(ASID + 1, VMID), 0x1000), SMMU_CERROR_NONE);
	assert_int_equal(read_pa(t.h, 0x1000), PA1);
	assert_int_equal(h_cmd_sync(t.h, cmd_tlbi_va(ASID, VMID), 0x1000), SMMU_CERROR_NONE);
	assert_int_equal(read_pa(t.h, 0x1000), PA2);
}

static void test_cfgi_ends_answers(void **state)
{
	struct xt t = warm_stream(state, PA1);
	uint64_t abort_ste[SMMU_STE_DWORDS] = {
		SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_ABORT),
	};

	h_write_ste(t.h, h_ste_pa(t.h, SID), abort_ste);
	/* The cached STE stands until its CFGI. */
	assert_int_equal(read_pa(t.h, 0x1000), PA1);
	assert_int_equal(h_cmd_sync(t.h, SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_CFGI_STE) |
				    SMMU_FIELD_PREP(SMMU_CMD0_SID, SID), SMMU_CMD1_LEAF),
			 SMMU_CERROR_NONE);
	assert_int_equal(h_translate(t.h, SID, false, 0, 0x1000, false).status, SMMU_TXN_ABORT);
}

static void test_smmuen_clear_ends_answers(void **state)
{
	struct xt t = warm_stream(state, PA1);

	/* SMMUEN clear: bypass by GBPA (its reset value lets traffic through). */
	h_cr0(t.h, h_read32(t.h, SMMU_CR0) & ~SMMU_CR0_SMMUEN);
	assert_int_equal(read_pa(t.h, 0x1000), 0x1000);
}

static void test_weakest_legal_keeps_until_sync(void **state)
{
	struct harness *h = *state;
	struct xt t;

	h->cfg.weakest_legal = true;
	t = rebuilt_warm_stream(state);
	assert_int_equal(h_stats(t.h).utlb_hits, 1);
	map_s1(&t, 0x1000, PA2, AF);
	h_cmd(t.h, cmd_tlbi_va(ASID, VMID), 0x1000);
	assert_int_equal(h_cmdq_wait(t.h), SMMU_CERROR_NONE);
	/* The TLBI has run but completes only at the sync. */
	assert_int_equal(read_pa(t.h, 0x1000), PA1);
	assert_int_equal(h_sync(t.h), SMMU_CERROR_NONE);
	assert_int_equal(read_pa(t.h, 0x1000), PA2);
}

static void test_eviction_ends_answers(void **state)
{
	struct harness *h = *state;
	struct xt t;

	h->cfg.iotlb_capacity = 1;
	t = rebuilt_warm_stream(state);
	map_s1(&t, 0x2000, PA2, AF);
	/* Each page evicts the other from the one-entry IOTLB: every one walks. */
	for (unsigned i = 0; i < 4; i++) {
		uint64_t before = walks(t.h);

		assert_int_equal(read_pa(t.h, i & 1 ? 0x1000 : 0x2000), i & 1 ? PA1 : PA2);
		assert_int_equal(walks(t.h), before + 1);
	}
}

/*
 * A walk that refills an entry in place (here: a write the cached
 * read-only entry does not allow, after the tables changed without a
 * TLBI) replaces what the micro-TLB copied: its answers follow the IOTLB.
 */
static void test_refill_ends_answers(void **state)
{
	struct xt t = xt_begin(state);

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	map_s1(&t, 0x1000, PA1, AF | SMMU_PTE_AP_RDONLY);
	for (unsigned i = 0; i < WARM_TRANSLATIONS; i++)
		assert_int_equal(read_pa(t.h, 0x1000), PA1);
	map_s1(&t, 0x1000, PA2, AF);
	assert_int_equal(h_translate(t.h, SID, false, 0, 0x1000, true).pa, PA2);
	assert_int_equal(read_pa(t.h, 0x1000), PA2);
}

#define BLOCK_VA 0x200000ull   /* a 2 MiB block at level 2 */
#define BLOCK_PA 0x40000000ull

/* Returns the block descriptor's address. */
static uint64_t map_block(struct xt *t, uint64_t pa, uint64_t attrs)
{
	return ptb_map(&t->b, t->s1_root, 48, 0, BLOCK_VA, pa, 2, attrs);
}

/*
 * A cached 4 KiB page that does not allow an instruction fetch, and a
 * 2 MiB block the tables now give instead (no TLBI): the fetch walks and
 * caches the block, but a lookup still finds the page first, so the
 * next fetch walks again - the micro-TLB must not answer it from the block.
 */
static void test_shadowed_walk_not_published(void **state)
{
	struct xt t = xt_begin(state);
	uint64_t n;

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	map_s1(&t, BLOCK_VA, PA1, AF | SMMU_PTE_UXN);
	map_s1(&t, 0x1000, PA2, AF);
	for (unsigned i = 0; i < WARM_TRANSLATIONS; i++) {
		assert_int_equal(read_pa(t.h, BLOCK_VA), PA1);
		assert_int_equal(read_pa(t.h, 0x1000), PA2);
	}
	/* A new epoch (another page invalidated) frees the page's slot. */
	assert_int_equal(h_cmd_sync(t.h, cmd_tlbi_va(ASID, VMID), 0x1000), SMMU_CERROR_NONE);
	map_block(&t, BLOCK_PA, AF);
	for (unsigned i = 0; i < WARM_TRANSLATIONS; i++) {
		n = walks(t.h);
		assert_int_equal(xt_access(t.h, BLOCK_VA, false, true, false).pa, BLOCK_PA);
		assert_int_equal(walks(t.h), n + 1);
	}
}

/*
 * The reverse: a cached block, then a 4 KiB page inside it (no TLBI) that
 * a write needs a walk for.  A lookup now finds the page before the
 * block, so what the micro-TLB copied from the block is void.
 */
static void test_shadowing_walk_ends_answers(void **state)
{
	struct xt t = xt_begin(state);

	uint64_t block;

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	block = map_block(&t, BLOCK_PA, AF | SMMU_PTE_AP_RDONLY);
	for (unsigned i = 0; i < WARM_TRANSLATIONS; i++)
		assert_int_equal(read_pa(t.h, BLOCK_VA), BLOCK_PA);
	/* The block becomes a table holding the page. */
	ptb_write(&t.b, block, 0);
	map_s1(&t, BLOCK_VA, PA2, AF);
	assert_int_equal(h_translate(t.h, SID, false, 0, BLOCK_VA, true).pa, PA2);
	assert_int_equal(read_pa(t.h, BLOCK_VA), PA2);
}

/* Read-only page: reads are served, a write still faults with its event. */
static void test_permissions_are_exact(void **state)
{
	struct xt t = xt_begin(state);
	struct smmu_txn_result r;
	uint64_t evt[4];

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	map_s1(&t, 0x1000, PA1, AF | SMMU_PTE_AP_RDONLY);
	for (unsigned i = 0; i < WARM_TRANSLATIONS; i++)
		assert_int_equal(read_pa(t.h, 0x1000), PA1);
	assert_int_equal(h_stats(t.h).utlb_hits, 1);
	r = h_translate(t.h, SID, false, 0, 0x1000, true);
	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_true(h_event_pop(t.h, evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_PERMISSION);
	/* A privileged read is a different access, allowed by this page too. */
	r = xt_access(t.h, 0x1000, true, false, false);
	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.pa, PA1);
}

/* Two substreams with their own tables: the same IOVA, their own answers. */
static void test_substreams_are_apart(void **state)
{
	struct xt t = xt_begin(state);
	uint64_t other_root = ptb_table(&t.b, 512);
	uint64_t ste[SMMU_STE_DWORDS] = {
		SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_S1) |
		SMMU_FIELD_PREP(SMMU_STE0_S1CDMAX, 1) | (CD_BASE & SMMU_STE0_S1CTXPTR),
	};
	uint64_t cd1[2] = { cd_word0(ASID + 1, SMMU_CD0_R | SMMU_CD0_A), other_root };

	write_cd(&t, 0, ASID, SMMU_CD0_R | SMMU_CD0_A);
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(smmu_mem_write64(t.h->mem, CD_BASE + SMMU_CD_SIZE + i * 8,
						  cd1[i]), 0);
	h_write_ste(t.h, h_ste_pa(t.h, SID), ste);
	map_s1(&t, 0x1000, PA1, AF);
	ptb_map(&t.b, other_root, 48, 0, 0x1000, PA2, 3, AF);
	for (unsigned i = 0; i < 2 * (WARM_TRANSLATIONS + 1); i++)
		assert_int_equal(h_translate(t.h, SID, true, i & 1, 0x1000, false).pa,
				 i & 1 ? PA2 : PA1);
	/* Each substream's last two of WARM_TRANSLATIONS + 1 come from the micro-TLB. */
	assert_int_equal(h_stats(t.h).utlb_hits, 2 * 2);
}

/*
 * Without SSV the SubstreamID means nothing, whatever its bits: a request
 * without one (here S1DSS bypasses it) never takes the answer of a
 * substream whose ID has the same low bits.
 */
static void test_no_substream_apart_from_every_substream(void **state)
{
	struct xt t = xt_begin(state);
	uint64_t ste[SMMU_STE_DWORDS] = {
		SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_S1) |
		SMMU_FIELD_PREP(SMMU_STE0_S1CDMAX, 1) | (CD_BASE & SMMU_STE0_S1CTXPTR),
		SMMU_FIELD_PREP(SMMU_STE1_S1DSS, SMMU_S1DSS_BYPASS),
	};

	write_cd(&t, 0, ASID, SMMU_CD0_R | SMMU_CD0_A);
	h_write_ste(t.h, h_ste_pa(t.h, SID), ste);
	map_s1(&t, 0x1000, PA1, AF);
	for (unsigned i = 0; i < WARM_TRANSLATIONS + 1; i++)
		assert_int_equal(h_translate(t.h, SID, true, 0, 0x1000, false).pa, PA1);
	assert_int_equal(h_translate(t.h, SID, false, UINT32_C(1) << 31, 0x1000, false).pa,
			 0x1000);
}

/* ATS requests and Translated transactions never take a cached answer. */
static void test_ats_traffic_is_not_served(void **state)
{
	struct harness *h = *state;
	struct smmu_txn_result r;
	struct smmu_txn req = { .sid = SID, .iova = 0x1000, .ats_request = true };
	struct smmu_txn done = { .sid = SID, .iova = 0x1000, .translated = true };

	h->cfg.ats = true;
	rebuilt_warm_stream(state);
	assert_int_equal(smmu_model_translate(h->m, &req, &r), 0);
	/* EATS = 0: a request is refused, not answered with the cached page. */
	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_int_equal(smmu_model_translate(h->m, &done, &r), 0);
	/* Translated, ATSCHK clear: the address is already physical. */
	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.pa, 0x1000);
	assert_int_equal(h_stats(h).utlb_hits, 1);
}

static void test_off_when_asked_or_checked(void **state)
{
	struct harness *h = *state;
	struct xt t;

	h->cfg.no_utlb = true;
	t = rebuilt_warm_stream(state);
	assert_int_equal(h_stats(t.h).utlb_hits, 0);
	assert_int_equal(h_stats(t.h).iotlb_hits, WARM_TRANSLATIONS - 1);

	h->cfg.no_utlb = false;
	h->cfg.check_coherency = true;
	t = rebuilt_warm_stream(state);
	assert_int_equal(h_stats(t.h).utlb_hits, 0);
	assert_int_equal(h_stats(t.h).oracle_walks, WARM_TRANSLATIONS - 1);
}

struct race {
	struct harness *h;
	atomic_uint round;              /* last round whose TLBI + SYNC completed */
	atomic_bool stop;
	atomic_uint stale, failed;
};

/* Translate while the tables move: never a page older than the last sync. */
static void *race_reader(void *arg)
{
	struct race *r = arg;
	struct smmu_txn txn = { .sid = SID, .iova = 0x1000 };
	struct smmu_txn_result res;

	while (!atomic_load(&r->stop)) {
		unsigned round = atomic_load(&r->round);

		if (smmu_model_translate(r->h->m, &txn, &res) || res.status != SMMU_TXN_OK)
			atomic_fetch_add(&r->failed, 1);
		else if (res.pa < RACE_PA(round))
			atomic_fetch_add(&r->stale, 1);
	}
	return NULL;
}

static void test_no_stale_answer_after_sync(void **state)
{
	struct xt t = warm_stream(state, RACE_PA(0));
	struct race r = { .h = t.h };
	pthread_t reader[RACE_READERS];

	/* Several readers: they also race each other to publish. */
	for (unsigned i = 0; i < RACE_READERS; i++)
		assert_int_equal(pthread_create(&reader[i], NULL, race_reader, &r), 0);
	for (unsigned round = 1; round <= RACE_ROUNDS; round++) {
		map_s1(&t, 0x1000, RACE_PA(round), AF);
		assert_int_equal(h_cmd_sync(t.h, cmd_tlbi_va(ASID, VMID), 0x1000),
				 SMMU_CERROR_NONE);
		atomic_store(&r.round, round);
	}
	atomic_store(&r.stop, true);
	for (unsigned i = 0; i < RACE_READERS; i++)
		assert_int_equal(pthread_join(reader[i], NULL), 0);
	assert_int_equal(atomic_load(&r.failed), 0);
	assert_int_equal(atomic_load(&r.stale), 0);
	assert_int_equal(read_pa(t.h, 0x1000), RACE_PA(RACE_ROUNDS));
}

/* Addresses with no bit in common: their and is 0, though neither is NULL. */
#define DISJOINT_TXN_VA ((void *)0x10000000ul)
#define DISJOINT_RES_VA ((void *)0x20000000ul)

static void *map_at(void *va)
{
	void *p = mmap(va, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	/* Kernels before 4.17 take the address as a hint and map elsewhere. */
	if (p != MAP_FAILED && p != va)
		munmap(p, 4096);
	return p == va ? p : NULL;
}

/*
 * NULL anywhere is -EINVAL; pointers that fail the hot path's one-test
 * NULL check without being NULL are checked in full and served as usual.
 */
static void test_pointers_checked(void **state)
{
	struct xt t = warm_stream(state, PA1);
	struct smmu_txn txn = { .sid = SID, .iova = 0x1000 }, *ptxn;
	struct smmu_txn_result res, *pres;
	uint64_t hits = h_stats(t.h).utlb_hits;

	assert_int_equal(smmu_model_translate(NULL, &txn, &res), -EINVAL);
	assert_int_equal(smmu_model_translate(t.h->m, NULL, &res), -EINVAL);
	assert_int_equal(smmu_model_translate(t.h->m, &txn, NULL), -EINVAL);
	ptxn = map_at(DISJOINT_TXN_VA);
	pres = map_at(DISJOINT_RES_VA);
	if (ptxn && pres) {
		*ptxn = txn;
		assert_int_equal(smmu_model_translate(t.h->m, ptxn, pres), 0);
		assert_int_equal(pres->status, SMMU_TXN_OK);
		assert_int_equal(pres->pa, PA1);
		assert_int_equal(h_stats(t.h).utlb_hits, hits + 1);
	}
	if (ptxn)
		munmap(ptxn, 4096);
	if (pres)
		munmap(pres, 4096);
	if (!ptxn || !pres)
		skip();
}

#define COUNTED_HITS 100000u

static void *hitter(void *arg)
{
	struct harness *h = arg;
	struct smmu_txn txn = { .sid = SID, .iova = 0x1000 };
	struct smmu_txn_result res;
	uintptr_t ok = 0;

	for (unsigned i = 0; i < COUNTED_HITS; i++)
		ok += !smmu_model_translate(h->m, &txn, &res) && res.status == SMMU_TXN_OK;
	return (void *)ok;
}

/*
 * Hits count exactly whatever thread makes them: the main thread's (it
 * hit first, so it counts without a locked add) and those of threads
 * racing each other.
 */
static void test_hits_count_exactly_across_threads(void **state)
{
	struct xt t = warm_stream(state, PA1);
	pthread_t thread[RACE_READERS];
	void *ok;

	smmu_model_reset_stats(t.h->m);
	for (unsigned i = 0; i < RACE_READERS; i++)
		assert_int_equal(pthread_create(&thread[i], NULL, hitter, t.h), 0);
	assert_int_equal((uintptr_t)hitter(t.h), COUNTED_HITS);
	for (unsigned i = 0; i < RACE_READERS; i++) {
		assert_int_equal(pthread_join(thread[i], &ok), 0);
		assert_int_equal((uintptr_t)ok, COUNTED_HITS);
	}
	assert_int_equal(h_stats(t.h).utlb_hits, (RACE_READERS + 1) * COUNTED_HITS);
	assert_int_equal(h_stats(t.h).translations, (RACE_READERS + 1) * COUNTED_HITS);
	smmu_model_reset_stats(t.h->m);
	assert_int_equal(read_pa(t.h, 0x1000), PA1);
	assert_int_equal(h_stats(t.h).utlb_hits, 1);
}

/* As many pages as the IOTLB by default (62 bytes per IOTLB entry for both), or as asked. */
static void test_sizing(void **state)
{
	struct harness *h = *state;
	struct smmu_model_config cfg = h->cfg;

	h->cfg.iotlb_capacity = 3 * 4096;
	harness_rebuild(h);
	assert_int_equal(smmu_utlb_slots(h->m), 8192);
	assert_int_equal(smmu_utlb_bytes(h->m), 8192 * 16);
	h->cfg.iotlb_capacity = 16;
	harness_rebuild(h);
	assert_int_equal(smmu_utlb_slots(h->m), 1024);
	h->cfg.utlb_slots = 1u << 16;
	harness_rebuild(h);
	assert_int_equal(smmu_utlb_slots(h->m), 1u << 16);
	h->cfg.utlb_slots = SMMU_UTLB_SECTORS;
	harness_rebuild(h);
	assert_int_equal(smmu_utlb_slots(h->m), SMMU_UTLB_SECTORS);
	/* Not a power of two, less than a line, or too big: a bad configuration. */
	cfg.utlb_slots = 3000;
	errno = 0;
	assert_null(smmu_model_new(&cfg, h->mem));
	assert_int_equal(errno, EINVAL);
	cfg.utlb_slots = SMMU_UTLB_SECTORS / 2;
	assert_null(smmu_model_new(&cfg, h->mem));
	cfg.utlb_slots = (size_t)SMMU_UTLB_MAX_SLOTS * 2;
	assert_null(smmu_model_new(&cfg, h->mem));
}

static bool unit_hit(struct smmu_utlb *u, const struct smmu_txn *txn, uint64_t pa)
{
	struct smmu_txn_result res;

	return smmu_utlb_hit(u, txn, smmu_utlb_epoch(u), &res) && res.pa == pa;
}

/* The unit: a line taken in this epoch is kept; the next epoch frees it. */
static void test_line_never_rewritten_within_epoch(void **state)
{
	struct harness *h = *state;
	struct smmu_utlb *u = h->m->utlb;
	uint64_t span = (u->mask + 1) << SMMU_UTLB_LINE_LOG2;
	struct smmu_txn a = { .sid = 1, .iova = 0x1000 };
	struct smmu_txn b = { .sid = 1, .iova = 0x1000 + span };
	struct smmu_utlb_ticket ticket = { .epoch = smmu_utlb_epoch(u) };

	assert_ptr_equal(smmu_utlb_line(u, smmu_utlb_key(&a), smmu_utlb_group(&a)),
			 smmu_utlb_line(u, smmu_utlb_key(&b), smmu_utlb_group(&b)));
	smmu_utlb_publish(h->m, &ticket, &a, PA1, ALL_ACCESSES);
	smmu_utlb_publish(h->m, &ticket, &b, PA2, ALL_ACCESSES);
	assert_true(unit_hit(u, &a, PA1));
	assert_false(unit_hit(u, &b, PA2));
	smmu_utlb_bump(h->m);
	assert_false(unit_hit(u, &a, PA1));
	/* A ticket from before the bump publishes nothing. */
	smmu_utlb_publish(h->m, &ticket, &b, PA2, ALL_ACCESSES);
	ticket.epoch = smmu_utlb_epoch(u);
	assert_false(unit_hit(u, &b, PA2));
	smmu_utlb_publish(h->m, &ticket, &b, PA2, ALL_ACCESSES);
	assert_true(unit_hit(u, &b, PA2));
	assert_false(unit_hit(u, &a, PA1));
}

/*
 * The unit: the pages of a line's group fill its sectors one by one within
 * the epoch and are never rewritten in it; a sector answers only for its
 * page, a line only for its stream, and a line taken anew starts empty.
 */
static void test_sectors_answer_their_pages(void **state)
{
	struct harness *h = *state;
	struct smmu_utlb *u = h->m->utlb;
	struct smmu_txn p[SMMU_UTLB_SECTORS], other = { .sid = 2, .iova = 0x1000 };
	struct smmu_utlb_ticket ticket = { .epoch = smmu_utlb_epoch(u) };

	for (unsigned i = 0; i < SMMU_UTLB_SECTORS; i++)
		p[i] = (struct smmu_txn){ .sid = 1, .iova = 0x10000 + i * 0x1000 };
	smmu_utlb_publish(h->m, &ticket, &p[1], PA1, ALL_ACCESSES);
	assert_true(unit_hit(u, &p[1], PA1));
	assert_false(unit_hit(u, &p[0], PA1));
	assert_false(unit_hit(u, &p[2], PA1 + 0x1000));
	/* The others join it; the cached page keeps its answer. */
	for (unsigned i = 0; i < SMMU_UTLB_SECTORS; i++)
		smmu_utlb_publish(h->m, &ticket, &p[i], PA2 + i * 0x1000, ALL_ACCESSES);
	for (unsigned i = 0; i < SMMU_UTLB_SECTORS; i++)
		assert_true(unit_hit(u, &p[i], i == 1 ? PA1 : PA2 + i * 0x1000));
	/* Another stream's page is not in the line. */
	other.iova = p[0].iova;
	assert_false(unit_hit(u, &other, PA2));
	/* Taken anew in a later epoch, for one page: the others are gone. */
	smmu_utlb_bump(h->m);
	ticket.epoch = smmu_utlb_epoch(u);
	smmu_utlb_publish(h->m, &ticket, &p[3], PA1, ALL_ACCESSES);
	assert_true(unit_hit(u, &p[3], PA1));
	for (unsigned i = 0; i < SMMU_UTLB_SECTORS - 1; i++)
		assert_false(unit_hit(u, &p[i], PA2 + i * 0x1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		H_TEST(test_repeats_are_served),
		H_TEST(test_tlbi_ends_answers),
		H_TEST(test_cfgi_ends_answers),
		H_TEST(test_smmuen_clear_ends_answers),
		H_TEST(test_weakest_legal_keeps_until_sync),
		H_TEST(test_eviction_ends_answers),
		H_TEST(test_refill_ends_answers),
		H_TEST(test_shadowed_walk_not_published),
		H_TEST(test_shadowing_walk_ends_answers),
		H_TEST(test_permissions_are_exact),
		H_TEST(test_substreams_are_apart),
		H_TEST(test_no_substream_apart_from_every_substream),
		H_TEST(test_ats_traffic_is_not_served),
		H_TEST(test_off_when_asked_or_checked),
		H_TEST(test_no_stale_answer_after_sync),
		H_TEST(test_pointers_checked),
		H_TEST(test_hits_count_exactly_across_threads),
		H_TEST(test_sizing),
		H_TEST(test_line_never_rewritten_within_epoch),
		H_TEST(test_sectors_answer_their_pages),
	};

	return harness_run("utlb", tests, sizeof(tests) / sizeof(tests[0]));
}

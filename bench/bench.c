/*
 * The libsmmu benchmark: speed and memory figures of the model's caches.
 *
 * Concepts: each figure is measured in the same run and printed as one
 * line ("name: value unit"), or all together as one JSON object with
 * --json.  Figures: IOTLB lookup rate on hits over working sets of 1, 1K
 * and 1M entries; the cost of a TLBI by ASID on a 16-entry tag beside 1K
 * and 1M other entries (and their ratio, which should stay near 1); range
 * TLBI cost per entry removed at several range sizes and IOTLB fills; and
 * bytes per IOTLB entry; and whole translations through the model
 * (smmu_model_translate on a stage-1 stream: STE and CD from the
 * configuration cache, then the IOTLB) on hits over working sets of 1, 1K
 * and 1M pages, against two pages in turn through an IOTLB of one entry,
 * which walks every time (both checked in the model's statistics);
 * and the driver's IOTLB cache tag allocator (lowest free ID, as the
 * kernel's xa_alloc/ida_alloc) at 99% occupancy of a 16-bit ASID space,
 * holes spread out or all at the top, against an empty space; and the
 * driver's own figures (driver.c: command queue, map + unmap, attach +
 * detach).
 * `--hits N` and `--translate-hits N` run only the lookups or translations
 * over a working set of N (`--translate-walks`: translations that all
 * walk), inside run_lookups() or measured_translations(), so
 * `valgrind --tool=callgrind --toggle-collect=<function>` counts the
 * instructions of one hit exactly.
 * Timings are reported, never judged: the tests assert behaviour only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <smmu/mem.h>
#include <smmu/model.h>

#include "idmap.h"
#include "iotlb.h"
#include "model_internal.h"
#include "utlb.h"
#include "ptb.h"
#include "report.h"
#include "walk.h"

#define PAGE_SHIFT 12u
#define MILLION BENCH_MILLION
#define NS_PER_S BENCH_NS_PER_S

static struct smmu_iotlb *iotlb_or_die(size_t capacity)
{
	struct smmu_iotlb *t = smmu_iotlb_new(capacity);

	if (!t) {
		fprintf(stderr, "bench: cannot allocate an IOTLB of %zu entries\n", capacity);
		exit(1);
	}
	return t;
}

static void fill_pages(struct smmu_iotlb *t, uint16_t asid, uint64_t base, size_t n)
{
	struct smmu_iotlb_tag tag = { .kind = SMMU_IOTLB_S1, .vmid = 1, .asid = asid };

	for (size_t i = 0; i < n; i++) {
		struct smmu_iotlb_fill fill = {
			.ia = base + (i << PAGE_SHIFT), .oa = i << PAGE_SHIFT,
			.size_log2 = PAGE_SHIFT, .level = SMMU_LAST_LEVEL,
			.granule_log2 = PAGE_SHIFT, .perms = SMMU_PERM_ALL,
		};
		if (smmu_iotlb_insert(t, &tag, &fill)) {
			fprintf(stderr, "bench: insert failed\n");
			exit(1);
		}
	}
}

/*
 * Lookups of pseudo-random pages of a working set of ws pages (a power of
 * two); kept out of line so callgrind can count it alone.  Returns the
 * number of hits so the work cannot be optimised away.
 */
__attribute__((noinline)) uint64_t run_lookups(struct smmu_iotlb *t, uint64_t ws,
					       uint64_t n, bool sequential);
__attribute__((noinline)) uint64_t run_lookups(struct smmu_iotlb *t, uint64_t ws,
					       uint64_t n, bool sequential)
{
	const struct smmu_iotlb_tag tag = { .kind = SMMU_IOTLB_S1, .vmid = 1, .asid = 1 };
	uint64_t x = 1, hits = 0;

	for (uint64_t i = 0; i < n; i++) {
		/* A 64-bit LCG: cheap, and it visits the working set evenly. */
		x = sequential ? x + 1 :
		    x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
		hits += smmu_iotlb_lookup(t, &tag, ((x >> (sequential ? 0 : 20)) & (ws - 1))
					  << PAGE_SHIFT) != NULL;
	}
	return hits;
}

static void figure_hits(struct bench_report *r, uint64_t ws, bool sequential, const char *name)
{
	struct smmu_iotlb *t = iotlb_or_die(ws);
	uint64_t n = 20000000, hits;
	double t0;

	fill_pages(t, 1, 0, ws);
	run_lookups(t, ws, n / 10, sequential);
	t0 = bench_now_ns();
	hits = run_lookups(t, ws, n, sequential);
	bench_figure(r, name, (double)n / ((bench_now_ns() - t0) / NS_PER_S) / MILLION, "M lookups/s");
	if (hits != n)
		fprintf(stderr, "bench: %" PRIu64 " of %" PRIu64 " lookups missed\n", n - hits, n);
	smmu_iotlb_free(t);
}

/* Nanoseconds per TLBI of one 16-entry ASID beside `others` entries. */
static double asid_tlbi_ns(size_t others)
{
	struct smmu_iotlb *t = iotlb_or_die(others + 64);
	struct smmu_tlbi req = { .op = SMMU_CMD_TLBI_NH_ASID, .vmid = 1, .asid = 1 };
	const int reps = 20000;
	double total = 0;

	/* The other entries spread over 1024 ASIDs, like many live domains. */
	for (size_t i = 0; i < others; i++)
		fill_pages(t, (uint16_t)(2 + i % 1024), (uint64_t)i << PAGE_SHIFT, 1);
	for (int i = 0; i < reps; i++) {
		double t0;
		fill_pages(t, 1, 0, 16);
		t0 = bench_now_ns();
		smmu_iotlb_invalidate(t, &req);
		total += bench_now_ns() - t0;
	}
	smmu_iotlb_free(t);
	return total / reps;
}

/* Nanoseconds per entry removed by a range TLBI of `n` pages (a power of 2). */
static double range_tlbi_ns_per_entry(size_t others, unsigned scale)
{
	struct smmu_iotlb *t = iotlb_or_die(others + (1u << scale) + 64);
	struct smmu_tlbi req = { .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
				 .addr = UINT64_C(1) << 40, .tg = SMMU_TLBI_TG_4K,
				 .scale = scale };
	int reps = 2000 >> (scale / 2);
	double total = 0;

	fill_pages(t, 2, 0, others);
	for (int i = 0; i < reps; i++) {
		double t0;
		fill_pages(t, 1, req.addr, (size_t)1 << scale);
		t0 = bench_now_ns();
		smmu_iotlb_invalidate(t, &req);
		total += bench_now_ns() - t0;
	}
	smmu_iotlb_free(t);
	return total / reps / (double)(1u << scale);
}

static void figure_ranges(struct bench_report *r)
{
	static const unsigned scales[] = { 0, 4, 8, 12 };
	static const size_t fills[] = { 1024, 1024 * 1024 };
	char name[96];

	for (size_t f = 0; f < sizeof(fills) / sizeof(fills[0]); f++)
		for (size_t s = 0; s < sizeof(scales) / sizeof(scales[0]); s++) {
			snprintf(name, sizeof(name), "range_tlbi_%u_entries_beside_%zuk_ns_per_entry",
				 1u << scales[s], fills[f] / 1024);
			bench_figure(r, name, range_tlbi_ns_per_entry(fills[f], scales[s]), "ns/entry");
		}
}

/* ---- whole translations through the model ----------------------------- */

#define STRTAB_PA  UINT64_C(0x01000000)
#define CD_PA      UINT64_C(0x01100000)
#define TABLES_PA  UINT64_C(0x10000000)
#define OUT_PA     UINT64_C(0x0000008000000000)
#define UTLB_MIN_PAGES 1024u

struct bench_model {
	struct smmu_mem *mem;
	struct smmu_model *m;
};

static void write_words(struct smmu_mem *mem, uint64_t pa, const uint64_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (smmu_mem_write64(mem, pa + i * 8, w[i]))
			exit(1);
}

/* One stage-1 stream (SID 0) mapping ws 4 KiB pages from VA 0. */
static struct bench_model model_or_die(uint64_t ws, size_t iotlb_capacity)
{
	struct smmu_model_config cfg;
	struct bench_model b = { .mem = smmu_mem_new() };
	uint64_t ste[SMMU_STE_DWORDS] = {
		SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_S1) |
		(CD_PA & SMMU_STE0_S1CTXPTR),
	};
	uint64_t cd[SMMU_CD_DWORDS] = {
		SMMU_CD0_V | SMMU_CD0_AA64 | SMMU_CD0_A | SMMU_CD0_R | SMMU_CD0_EPD1 |
		SMMU_FIELD_PREP(SMMU_CD0_T0SZ, 16) | SMMU_FIELD_PREP(SMMU_CD0_TG0, SMMU_TG0_4K) |
		SMMU_FIELD_PREP(SMMU_CD0_IPS, SMMU_OAS_48) | SMMU_FIELD_PREP(SMMU_CD0_ASID, 1),
	};
	struct ptb pt;

	smmu_model_config_default(&cfg);
	cfg.iotlb_capacity = iotlb_capacity;
	/* A micro-TLB as big as the working set, like the IOTLB (at least 1K pages). */
	cfg.utlb_slots = ws < UTLB_MIN_PAGES ? UTLB_MIN_PAGES : ws;
	b.m = b.mem ? smmu_model_new(&cfg, b.mem) : NULL;
	if (!b.m) {
		fprintf(stderr, "bench: cannot create the model\n");
		exit(1);
	}
	ptb_init(&pt, b.mem, TABLES_PA, PAGE_SHIFT);
	cd[1] = ptb_table(&pt, 1u << (PAGE_SHIFT - SMMU_PTE_SIZE_LOG2));
	for (uint64_t i = 0; i < ws; i++)
		ptb_map(&pt, cd[1], 48, 0, i << PAGE_SHIFT, OUT_PA + (i << PAGE_SHIFT),
			SMMU_LAST_LEVEL, SMMU_PTE_AF | SMMU_PTE_NG);
	write_words(b.mem, CD_PA, cd, SMMU_CD_DWORDS);
	write_words(b.mem, STRTAB_PA, ste, SMMU_STE_DWORDS);
	smmu_model_mmio_write64(b.m, SMMU_STRTAB_BASE, STRTAB_PA);
	smmu_model_mmio_write32(b.m, SMMU_STRTAB_BASE_CFG,
				(uint32_t)SMMU_FIELD_PREP(SMMU_STRTAB_BASE_CFG_LOG2SIZE, 1));
	smmu_model_mmio_write32(b.m, SMMU_CR0, (uint32_t)SMMU_CR0_SMMUEN);
	while (!(smmu_model_mmio_read32(b.m, SMMU_CR0ACK) & SMMU_CR0_SMMUEN))
		;
	return b;
}

static void model_free(struct bench_model *b)
{
	smmu_model_free(b->m);
	smmu_mem_free(b->mem);
}

/*
 * Privileged reads of pseudo-random pages, or of the pages in turn (which
 * an IOTLB smaller than ws misses every time); returns how many translated.
 */
__attribute__((noinline)) uint64_t run_translations(struct smmu_model *m, uint64_t ws,
						    uint64_t n, bool in_turn);
__attribute__((noinline)) uint64_t run_translations(struct smmu_model *m, uint64_t ws,
						    uint64_t n, bool in_turn)
{
	struct smmu_txn txn = { .priv = true };
	struct smmu_txn_result res;
	uint64_t x = 1, ok = 0;

	for (uint64_t i = 0; i < n; i++) {
		x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
		txn.iova = ((in_turn ? i : x >> 20) & (ws - 1)) << PAGE_SHIFT;
		smmu_model_translate(m, &txn, &res);
		ok += res.status == SMMU_TXN_OK;
	}
	return ok;
}

/* Translate each page once, so an IOTLB that can hold them all does. */
static void warm_translations(struct smmu_model *m, uint64_t ws)
{
	struct smmu_txn txn = { .priv = true };
	struct smmu_txn_result res;

	for (uint64_t i = 0; i < ws; i++) {
		txn.iova = i << PAGE_SHIFT;
		smmu_model_translate(m, &txn, &res);
	}
}

/* A run that did not do what its figure claims is reported, not hidden. */
static void check_run(struct smmu_model *m, uint64_t n, uint64_t ok, bool walks)
{
	struct smmu_model_stats st;

	if (ok != n)
		fprintf(stderr, "bench: %" PRIu64 " of %" PRIu64 " translations failed\n",
			n - ok, n);
	smmu_model_get_stats(m, &st);
	if (walks ? st.walks != n : st.iotlb_misses != 0)
		fprintf(stderr, "bench: %" PRIu64 " walks in %" PRIu64 " translations\n",
			st.walks, n);
}

/*
 * Millions of translations per second over ws pages, random or in turn,
 * with this IOTLB: all hits, or all walks when it holds fewer than ws.
 */
static double translate_rate(uint64_t ws, size_t iotlb_capacity, uint64_t n, bool in_turn)
{
	struct bench_model b = model_or_die(ws, iotlb_capacity);
	uint64_t ok;
	double t0;

	warm_translations(b.m, ws);
	smmu_model_reset_stats(b.m);
	t0 = bench_now_ns();
	ok = run_translations(b.m, ws, n, in_turn);
	t0 = bench_now_ns() - t0;
	check_run(b.m, n, ok, iotlb_capacity < ws);
	model_free(&b);
	return (double)n / (t0 / NS_PER_S) / MILLION;
}

static void figure_translate(struct bench_report *r)
{
	double hits_1k, walks;

	bench_figure(r, "translate_hits_ws1_mtrans_per_s",
		     translate_rate(1, 1, 5000000, false), "M/s");
	hits_1k = translate_rate(1024, 1024, 5000000, false);
	bench_figure(r, "translate_hits_ws1k_mtrans_per_s", hits_1k, "M/s");
	bench_figure(r, "translate_hits_ws1m_mtrans_per_s",
		     translate_rate(1024 * 1024, 1024 * 1024, 5000000, false), "M/s");
	bench_figure(r, "translate_hits_ws1m_sequential_mtrans_per_s",
		     translate_rate(1024 * 1024, 1024 * 1024, 5000000, true), "M/s");
	/* One IOTLB entry and two pages in turn: every translation walks. */
	walks = translate_rate(2, 1, 1000000, true);
	bench_figure(r, "translate_walk_every_time_mtrans_per_s", walks, "M/s");
	bench_figure(r, "translate_hit_over_walk_ratio", hits_1k / walks, "x");
}

#define ASID_SPACE 65535u
#define TAG_PAIRS 4000000u

/* Which IDs of [1, ASID_SPACE] stay allocated while tags are measured. */
enum tag_fill { TAGS_EMPTY, TAGS_99_SPREAD, TAGS_99_TOP };

static bool tag_stays_used(enum tag_fill fill, uint32_t id)
{
	switch (fill) {
	case TAGS_99_SPREAD:
		return id % 100u != 0;
	case TAGS_99_TOP:
		return id <= ASID_SPACE - ASID_SPACE / 100u;
	default:
		return false;
	}
}

/* Nanoseconds per tag alloc + release pair; negative on failure. */
static double tag_pair_ns(enum tag_fill fill)
{
	struct smmu_idmap *map;
	double t0, ns = -1;
	uint32_t id, n = 0;

	if (smmu_idmap_create(1, ASID_SPACE, &map))
		return -1;
	for (uint32_t i = 1; i <= ASID_SPACE; i++)
		if (tag_stays_used(fill, i) && smmu_idmap_alloc_specific(map, i, NULL))
			goto out;
	t0 = bench_now_ns();
	for (n = 0; n < TAG_PAIRS; n++)
		if (smmu_idmap_alloc_lowest(map, NULL, 1, ASID_SPACE, &id) ||
		    smmu_idmap_release(map, id))
			break;
	if (n == TAG_PAIRS)
		ns = (bench_now_ns() - t0) / TAG_PAIRS;
out:
	smmu_idmap_destroy(map);
	return ns;
}

static void figure_tags(struct bench_report *r)
{
	double empty = tag_pair_ns(TAGS_EMPTY);
	double spread = tag_pair_ns(TAGS_99_SPREAD), top = tag_pair_ns(TAGS_99_TOP);

	bench_figure(r, "tag_alloc_free_empty_ns", empty, "ns");
	bench_figure(r, "tag_alloc_free_99pct_spread_ns", spread, "ns");
	bench_figure(r, "tag_alloc_free_99pct_top_ns", top, "ns");
	bench_figure(r, "tag_alloc_free_99pct_over_empty_ratio",
	       (spread > top ? spread : top) / empty, "x");
}

/* The measured part of count_translations(), apart from the warm-up. */
__attribute__((noinline)) uint64_t measured_translations(struct smmu_model *m, uint64_t ws,
							 uint64_t n, bool walks);
__attribute__((noinline)) uint64_t measured_translations(struct smmu_model *m, uint64_t ws,
							 uint64_t n, bool walks)
{
	return run_translations(m, ws, n, walks);
}

/*
 * For callgrind (--toggle-collect=measured_translations): a million
 * translations over ws pages with this IOTLB, after a warm-up.
 */
static int count_translations(uint64_t ws, size_t iotlb_capacity, bool walks)
{
	struct bench_model b = model_or_die(ws, iotlb_capacity);
	uint64_t ok;

	warm_translations(b.m, ws);
	smmu_model_reset_stats(b.m);
	ok = measured_translations(b.m, ws, 1000000, walks);
	printf("%" PRIu64 " translated\n", ok);
	check_run(b.m, 1000000, ok, walks);
	model_free(&b);
	return 0;
}

/*
 * Memory per IOTLB entry of a 1M-entry IOTLB, alone and with the micro-TLB
 * a model of that capacity gets by default.
 */
static void figure_bytes(struct bench_report *r)
{
	const size_t entries = 1024 * 1024;
	struct smmu_iotlb *t = iotlb_or_die(entries);
	struct smmu_mem *mem = smmu_mem_new();
	struct smmu_model_config cfg;
	struct smmu_model *m;
	double iotlb = (double)smmu_iotlb_bytes_per_entry(t);

	smmu_model_config_default(&cfg);
	cfg.iotlb_capacity = entries;
	m = mem ? smmu_model_new(&cfg, mem) : NULL;
	if (!m) {
		fprintf(stderr, "bench: cannot create the model\n");
		exit(1);
	}
	bench_figure(r, "iotlb_bytes_per_entry", iotlb, "bytes");
	bench_figure(r, "iotlb_and_utlb_bytes_per_entry",
		     iotlb + (double)smmu_utlb_bytes(m) / (double)entries, "bytes");
	smmu_model_free(m);
	smmu_mem_free(mem);
	smmu_iotlb_free(t);
}

int main(int argc, char **argv)
{
	struct bench_report r = { .first = true };
	double small, large;
	struct smmu_iotlb *t;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			r.json = true;
		} else if (!strcmp(argv[i], "--hits") && i + 1 < argc) {
			uint64_t ws = strtoull(argv[++i], NULL, 0);
			if (!smmu_is_pow2(ws))
				return fprintf(stderr, "bench: --hits takes a power of two\n"), 2;
			t = iotlb_or_die(ws);
			fill_pages(t, 1, 0, ws);
			printf("%" PRIu64 " hits\n", run_lookups(t, ws, 1000000, false));
			smmu_iotlb_free(t);
			return 0;
		} else if (!strcmp(argv[i], "--translate-hits") && i + 1 < argc) {
			uint64_t ws = strtoull(argv[++i], NULL, 0);
			if (!smmu_is_pow2(ws))
				return fprintf(stderr, "bench: --translate-hits takes a power of two\n"), 2;
			return count_translations(ws, ws, false);
		} else if (!strcmp(argv[i], "--translate-walks")) {
			return count_translations(2, 1, true);
		} else {
			fprintf(stderr, "usage: bench [--json] [--hits WORKING_SET] "
				"[--translate-hits WORKING_SET] [--translate-walks]\n");
			return 2;
		}
	}
	figure_hits(&r, 1, false, "iotlb_hits_ws1_mlookups_per_s");
	figure_hits(&r, 1024, false, "iotlb_hits_ws1k_random_mlookups_per_s");
	figure_hits(&r, 1024 * 1024, false, "iotlb_hits_ws1m_random_mlookups_per_s");
	figure_hits(&r, 1024, true, "iotlb_hits_ws1k_sequential_mlookups_per_s");
	figure_hits(&r, 1024 * 1024, true, "iotlb_hits_ws1m_sequential_mlookups_per_s");
	small = asid_tlbi_ns(1024);
	large = asid_tlbi_ns(1024 * 1024);
	bench_figure(&r, "asid_tlbi_16_beside_1k_ns", small, "ns");
	bench_figure(&r, "asid_tlbi_16_beside_1m_ns", large, "ns");
	bench_figure(&r, "asid_tlbi_1m_over_1k_ratio", large / small, "x");
	figure_ranges(&r);
	figure_translate(&r);
	figure_tags(&r);
	bench_driver_figures(&r);
	figure_bytes(&r);
	bench_report_end(&r);
	return 0;
}

/*
 * The libsmmu benchmark: speed and memory figures of the model's caches.
 *
 * Concepts: each figure is measured in the same run and printed as one
 * line ("name: value unit"), or all together as one JSON object with
 * --json.  Figures: IOTLB lookup rate on hits over working sets of 1, 1K
 * and 1M entries; the cost of a TLBI by ASID on a 16-entry tag beside 1K
 * and 1M other entries (and their ratio, which should stay near 1); range
 * TLBI cost per entry removed at several range sizes and IOTLB fills; and
 * bytes per IOTLB entry.  `--hits N` runs only the lookups over a working
 * set of N, inside run_lookups(), so `valgrind --tool=callgrind
 * --toggle-collect=run_lookups` counts the instructions of a hit exactly.
 * Timings are reported, never judged: the tests assert behaviour only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iotlb.h"
#include "walk.h"

#define PAGE_SHIFT 12u
#define MILLION 1000000.0
#define NS_PER_S 1e9

struct report {
	bool json;
	bool first;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * NS_PER_S + (double)ts.tv_nsec;
}

static void figure(struct report *r, const char *name, double value, const char *unit)
{
	if (r->json)
		printf("%s\n  \"%s\": %.3f", r->first ? "{" : ",", name, value);
	else
		printf("%s: %.3f %s\n", name, value, unit);
	r->first = false;
}

static void report_end(const struct report *r)
{
	if (r->json)
		printf("%s\n}\n", r->first ? "{" : "");
}

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

static void figure_hits(struct report *r, uint64_t ws, bool sequential, const char *name)
{
	struct smmu_iotlb *t = iotlb_or_die(ws);
	uint64_t n = 20000000, hits;
	double t0;

	fill_pages(t, 1, 0, ws);
	run_lookups(t, ws, n / 10, sequential);
	t0 = now_ns();
	hits = run_lookups(t, ws, n, sequential);
	figure(r, name, (double)n / ((now_ns() - t0) / NS_PER_S) / MILLION, "M lookups/s");
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
		t0 = now_ns();
		smmu_iotlb_invalidate(t, &req);
		total += now_ns() - t0;
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
		t0 = now_ns();
		smmu_iotlb_invalidate(t, &req);
		total += now_ns() - t0;
	}
	smmu_iotlb_free(t);
	return total / reps / (double)(1u << scale);
}

static void figure_ranges(struct report *r)
{
	static const unsigned scales[] = { 0, 4, 8, 12 };
	static const size_t fills[] = { 1024, 1024 * 1024 };
	char name[96];

	for (size_t f = 0; f < sizeof(fills) / sizeof(fills[0]); f++)
		for (size_t s = 0; s < sizeof(scales) / sizeof(scales[0]); s++) {
			snprintf(name, sizeof(name), "range_tlbi_%u_entries_beside_%zuk_ns_per_entry",
				 1u << scales[s], fills[f] / 1024);
			figure(r, name, range_tlbi_ns_per_entry(fills[f], scales[s]), "ns/entry");
		}
}

int main(int argc, char **argv)
{
	struct report r = { .first = true };
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
		} else {
			fprintf(stderr, "usage: bench [--json] [--hits WORKING_SET]\n");
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
	figure(&r, "asid_tlbi_16_beside_1k_ns", small, "ns");
	figure(&r, "asid_tlbi_16_beside_1m_ns", large, "ns");
	figure(&r, "asid_tlbi_1m_over_1k_ratio", large / small, "x");
	figure_ranges(&r);
	t = iotlb_or_die(1024 * 1024);
	figure(&r, "iotlb_bytes_per_entry", (double)smmu_iotlb_bytes_per_entry(t), "bytes");
	smmu_iotlb_free(t);
	report_end(&r);
	return 0;
}

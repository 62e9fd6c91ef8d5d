/*
 * IOTLB cache tag allocation cost against occupancy.
 *
 * Concepts: the ASID map must stay cheap when nearly full, because a busy
 * system keeps most tags in use.  This times one alloc + release pair on
 * a 16-bit ASID space ([1, 65535]) that is empty, 99% full (every 100th
 * ID free) and full but for one ID, each for a fixed number of pairs, and
 * prints ns per pair and the ratios to the empty case (the goal is at
 * most 2x).  "name: value unit" lines, or one JSON object with --json.
 * Timings are reported, never judged.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "idmap.h"

#define ASID_MAX 65535u
#define PAIRS 4000000u
#define NS_PER_S 1e9

enum fill { FILL_EMPTY, FILL_99, FILL_ONE_FREE };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / NS_PER_S;
}

static bool id_stays_used(enum fill fill, uint32_t id)
{
	switch (fill) {
	case FILL_99:
		return id % 100u != 0;
	case FILL_ONE_FREE:
		return id != ASID_MAX / 2;
	default:
		return false;
	}
}

/* Fill [1, ASID_MAX], then free the IDs the occupancy leaves free. */
static int fill_map(struct smmu_idmap *map, enum fill fill)
{
	uint32_t id;

	for (uint32_t i = 1; i <= ASID_MAX; i++)
		if (smmu_idmap_alloc(map, NULL, &id))
			return -1;
	for (uint32_t i = 1; i <= ASID_MAX; i++)
		if (!id_stays_used(fill, i) && smmu_idmap_release(map, i))
			return -1;
	return 0;
}

/* ns per alloc + release pair; negative on failure. */
static double run(enum fill fill)
{
	struct smmu_idmap *map;
	double start, ns = -1;
	uint32_t id;
	unsigned n;

	if (smmu_idmap_create(1, ASID_MAX, &map))
		return -1;
	if (!fill_map(map, fill)) {
		start = now_s();
		for (n = 0; n < PAIRS; n++)
			if (smmu_idmap_alloc(map, NULL, &id) ||
			    smmu_idmap_release(map, id))
				break;
		if (n == PAIRS)
			ns = (now_s() - start) * NS_PER_S / PAIRS;
	}
	smmu_idmap_destroy(map);
	return ns;
}

int main(int argc, char **argv)
{
	bool json = argc > 1 && !strcmp(argv[1], "--json");
	double empty = run(FILL_EMPTY), full99 = run(FILL_99);
	double one_free = run(FILL_ONE_FREE);

	if (empty <= 0 || full99 <= 0 || one_free <= 0)
		return 1;
	if (json)
		printf("{\n  \"tag_alloc_free_ns_empty\": %.1f,\n"
		       "  \"tag_alloc_free_ns_99pct\": %.1f,\n"
		       "  \"tag_alloc_free_ns_one_free\": %.1f,\n"
		       "  \"tag_alloc_free_ratio_99pct\": %.2f,\n"
		       "  \"tag_alloc_free_ratio_one_free\": %.2f\n}\n",
		       empty, full99, one_free, full99 / empty, one_free / empty);
	else
		printf("tag_alloc_free_ns_empty: %.1f ns\n"
		       "tag_alloc_free_ns_99pct: %.1f ns\n"
		       "tag_alloc_free_ns_one_free: %.1f ns\n"
		       "tag_alloc_free_ratio_99pct: %.2f x empty\n"
		       "tag_alloc_free_ratio_one_free: %.2f x empty\n",
		       empty, full99, one_free, full99 / empty, one_free / empty);
	return 0;
}

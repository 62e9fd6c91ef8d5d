/*
 * Unit tests for the ID map that hands out ASIDs and VMIDs: range bounds,
 * ID 0 never given, exhaustion leaves the map unchanged, next-fit reuse
 * and hint wrap-around, for 8-bit and 16-bit spaces.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "idmap.h"

static struct smmu_idmap *map_new(uint32_t min, uint32_t max)
{
	struct smmu_idmap *map = NULL;

	assert_int_equal(smmu_idmap_create(min, max, &map), 0);
	assert_non_null(map);
	return map;
}

static void test_create_rejects_bad_ranges(void **state)
{
	struct smmu_idmap *map = NULL;

	(void)state;
	assert_int_equal(smmu_idmap_create(0, 255, &map), -EINVAL);
	assert_int_equal(smmu_idmap_create(10, 9, &map), -EINVAL);
	assert_int_equal(smmu_idmap_create(1, SMMU_IDMAP_MAX_SPAN + 1, &map),
			 -EINVAL);
	assert_int_equal(smmu_idmap_create(1, 255, NULL), -EINVAL);
	assert_null(map);
}

/* Fill the whole space: every ID in [min, max] exactly once, never 0. */
static void fill_and_check(uint32_t max)
{
	struct smmu_idmap *map = map_new(1, max);
	uint8_t *seen = calloc(max + 1, 1);
	int marker;
	uint32_t id;

	assert_non_null(seen);
	for (uint32_t n = 0; n < max; n++) {
		assert_int_equal(smmu_idmap_alloc(map, &marker, &id), 0);
		assert_true(id >= 1 && id <= max);
		assert_int_equal(seen[id], 0);
		seen[id] = 1;
	}
	assert_int_equal(smmu_idmap_count(map), max);
	id = 12345;
	assert_int_equal(smmu_idmap_alloc(map, &marker, &id), -ENOSPC);
	assert_int_equal(id, 12345);
	assert_int_equal(smmu_idmap_count(map), max);
	assert_ptr_equal(smmu_idmap_lookup(map, max), &marker);
	free(seen);
	smmu_idmap_destroy(map);
}

static void test_exhaust_8bit(void **state)
{
	(void)state;
	fill_and_check(255);
}

static void test_exhaust_16bit(void **state)
{
	(void)state;
	fill_and_check(65535);
}

static void test_lookup_and_release(void **state)
{
	struct smmu_idmap *map = map_new(1, 255);
	int a, b;
	uint32_t ida, idb;

	(void)state;
	assert_int_equal(smmu_idmap_alloc(map, &a, &ida), 0);
	assert_int_equal(smmu_idmap_alloc(map, &b, &idb), 0);
	assert_int_equal(ida, 1);
	assert_int_equal(idb, 2);
	assert_ptr_equal(smmu_idmap_lookup(map, ida), &a);
	assert_ptr_equal(smmu_idmap_lookup(map, idb), &b);
	assert_null(smmu_idmap_lookup(map, 3));
	assert_null(smmu_idmap_lookup(map, 0));
	assert_null(smmu_idmap_lookup(map, 256));
	assert_int_equal(smmu_idmap_release(map, ida), 0);
	assert_null(smmu_idmap_lookup(map, ida));
	assert_int_equal(smmu_idmap_release(map, ida), -EINVAL);
	assert_int_equal(smmu_idmap_release(map, 0), -EINVAL);
	assert_int_equal(smmu_idmap_release(map, 256), -EINVAL);
	assert_int_equal(smmu_idmap_count(map), 1);
	smmu_idmap_destroy(map);
}

/* A freed ID is not handed out again until the hint wraps round to it. */
static void test_next_fit_and_wrap(void **state)
{
	struct smmu_idmap *map = map_new(1, 255);
	uint32_t id;

	(void)state;
	assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(smmu_idmap_release(map, 1), 0);
	for (uint32_t want = 2; want <= 255; want++) {
		assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
		assert_int_equal(id, want);
	}
	/* Wrapped: the only free ID is the one released first. */
	assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(smmu_idmap_alloc(map, NULL, &id), -ENOSPC);
	/* Free one in the middle of a full word and one in another word. */
	assert_int_equal(smmu_idmap_release(map, 70), 0);
	assert_int_equal(smmu_idmap_release(map, 3), 0);
	assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
	assert_int_equal(id, 3);
	assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
	assert_int_equal(id, 70);
	smmu_idmap_destroy(map);
}

static void test_alloc_specific(void **state)
{
	struct smmu_idmap *map = map_new(1, 255);
	int a;
	uint32_t id;

	(void)state;
	assert_int_equal(smmu_idmap_alloc_specific(map, 1, &a), 0);
	assert_int_equal(smmu_idmap_alloc_specific(map, 1, NULL), -EBUSY);
	assert_ptr_equal(smmu_idmap_lookup(map, 1), &a);
	assert_int_equal(smmu_idmap_alloc_specific(map, 0, NULL), -EINVAL);
	assert_int_equal(smmu_idmap_alloc_specific(map, 256, NULL), -EINVAL);
	assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
	assert_int_equal(id, 2);
	assert_int_equal(smmu_idmap_count(map), 2);
	smmu_idmap_destroy(map);
}

/* A range not starting at 1 and not a multiple of 64 wide. */
static void test_odd_range(void **state)
{
	struct smmu_idmap *map = map_new(100, 164);
	uint32_t id, n = 0;

	(void)state;
	while (smmu_idmap_alloc(map, NULL, &id) == 0) {
		assert_int_equal(id, 100 + n);
		n++;
	}
	assert_int_equal(n, 65);
	assert_int_equal(smmu_idmap_release(map, 164), 0);
	assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
	assert_int_equal(id, 164);
	smmu_idmap_destroy(map);
}

/* At 99% occupancy of 16 bits every alloc still finds the few holes. */
static void test_sparse_holes_16bit(void **state)
{
	struct smmu_idmap *map = map_new(1, 65535);
	uint32_t id;

	(void)state;
	for (uint32_t n = 0; n < 65535; n++)
		assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
	for (uint32_t hole = 7; hole <= 65535; hole += 4099)
		assert_int_equal(smmu_idmap_release(map, hole), 0);
	for (uint32_t round = 0; round < 1000; round++) {
		assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
		assert_int_equal((id - 7) % 4099, 0);
		assert_int_equal(smmu_idmap_release(map, id), 0);
	}
	smmu_idmap_destroy(map);
}

static void test_null_map(void **state)
{
	uint32_t id;

	(void)state;
	assert_int_equal(smmu_idmap_alloc(NULL, NULL, &id), -EINVAL);
	assert_int_equal(smmu_idmap_release(NULL, 1), -EINVAL);
	assert_null(smmu_idmap_lookup(NULL, 1));
	assert_int_equal(smmu_idmap_count(NULL), 0);
	smmu_idmap_destroy(NULL);
}

/* Threads allocating and releasing at once never share an ID. */
#define RACE_THREADS 4u
#define RACE_HELD 16u

struct race {
	struct smmu_idmap *map;
	uint8_t owner[256];   /* thread + 1 holding each ID; 0 = free */
	pthread_mutex_t owner_lock;
};

struct racer {
	struct race *r;
	unsigned me;
};

static void *race_main(void *arg)
{
	struct race *r = ((struct racer *)arg)->r;
	unsigned me = ((struct racer *)arg)->me;
	uint32_t held[RACE_HELD];

	for (unsigned round = 0; round < 500; round++) {
		for (unsigned k = 0; k < RACE_HELD; k++) {
			assert_int_equal(smmu_idmap_alloc(r->map, r, &held[k]), 0);
			pthread_mutex_lock(&r->owner_lock);
			assert_int_equal(r->owner[held[k]], 0);
			r->owner[held[k]] = (uint8_t)(me + 1);
			pthread_mutex_unlock(&r->owner_lock);
		}
		for (unsigned k = 0; k < RACE_HELD; k++) {
			pthread_mutex_lock(&r->owner_lock);
			r->owner[held[k]] = 0;
			pthread_mutex_unlock(&r->owner_lock);
			assert_int_equal(smmu_idmap_release(r->map, held[k]), 0);
		}
	}
	return NULL;
}

static void test_concurrent_alloc_release(void **state)
{
	struct race r = { .map = map_new(1, 255) };
	struct racer racers[RACE_THREADS];
	pthread_t t[RACE_THREADS];

	(void)state;
	pthread_mutex_init(&r.owner_lock, NULL);
	for (unsigned i = 0; i < RACE_THREADS; i++) {
		racers[i] = (struct racer){ .r = &r, .me = i };
		assert_int_equal(pthread_create(&t[i], NULL, race_main, &racers[i]), 0);
	}
	for (unsigned i = 0; i < RACE_THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(smmu_idmap_count(r.map), 0);
	pthread_mutex_destroy(&r.owner_lock);
	smmu_idmap_destroy(r.map);
}

/* The kernel's xa_alloc/ida_alloc_range: the lowest free ID, hint untouched. */
static void test_lowest_free(void **state)
{
	struct smmu_idmap *map = map_new(1, 255);
	uint32_t id;

	(void)state;
	for (unsigned i = 1; i <= 3; i++)
		assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
	assert_int_equal(smmu_idmap_release(map, 2), 0);
	assert_int_equal(smmu_idmap_alloc_lowest(map, NULL, 1, 255, &id), 0);
	assert_int_equal(id, 2);
	assert_int_equal(smmu_idmap_release(map, 1), 0);
	assert_int_equal(smmu_idmap_alloc_lowest(map, NULL, 1, 255, &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
	assert_int_equal(id, 4);
	assert_int_equal(smmu_idmap_alloc_lowest(map, NULL, 200, 201, &id), 0);
	assert_int_equal(id, 200);
	assert_int_equal(smmu_idmap_alloc_lowest(map, NULL, 0, 255, &id), -EINVAL);
	assert_int_equal(smmu_idmap_alloc_lowest(map, NULL, 200, 200, &id), -ENOSPC);
	assert_int_equal(smmu_idmap_count(map), 5);
	smmu_idmap_destroy(map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lowest_free),
		cmocka_unit_test(test_create_rejects_bad_ranges),
		cmocka_unit_test(test_exhaust_8bit),
		cmocka_unit_test(test_exhaust_16bit),
		cmocka_unit_test(test_lookup_and_release),
		cmocka_unit_test(test_next_fit_and_wrap),
		cmocka_unit_test(test_alloc_specific),
		cmocka_unit_test(test_odd_range),
		cmocka_unit_test(test_sparse_holes_16bit),
		cmocka_unit_test(test_null_map),
		cmocka_unit_test(test_concurrent_alloc_release),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The owned exact count (model/tcount.h) as a unit: the first thread to
 * bump it owns it, every other thread's bumps still count, exactly, and
 * resets and ended owners lose nothing.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "tcount.h"

#define BUMPS 200000u
#define THREADS 3u

static struct smmu_tcount *new_count(void)
{
	struct smmu_tcount *c = aligned_alloc(alignof(struct smmu_tcount), sizeof(*c));

	assert_non_null(c);
	smmu_tcount_init(c);
	return c;
}

static void free_count(struct smmu_tcount *c)
{
	smmu_tcount_destroy(c);
	free(c);
}

static void bump_n(struct smmu_tcount *c, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		smmu_tcount_bump(c);
}

static void *bumper(void *arg)
{
	bump_n(arg, BUMPS);
	return NULL;
}

static void run_bumpers(struct smmu_tcount *c, unsigned threads)
{
	pthread_t t[THREADS];

	for (unsigned i = 0; i < threads; i++)
		assert_int_equal(pthread_create(&t[i], NULL, bumper, c), 0);
	for (unsigned i = 0; i < threads; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
}

/* The first bump claims the count for its thread; its bumps are owned. */
static void test_first_bumper_owns(void **state)
{
	struct smmu_tcount *c = new_count();

	(void)state;
	assert_int_equal(c->owner, 0);
	bump_n(c, 3);
	assert_int_equal(c->owner, smmu_tcount_self());
	assert_int_equal(c->owned, 3);
	assert_int_equal(c->shared, 0);
	assert_int_equal(smmu_tcount_read(c), 3);
	free_count(c);
}

/* A reset starts from 0 without writing the owner's word. */
static void test_reset(void **state)
{
	struct smmu_tcount *c = new_count();

	(void)state;
	bump_n(c, 5);
	smmu_tcount_reset(c);
	assert_int_equal(smmu_tcount_read(c), 0);
	assert_int_equal(c->owned, 5);
	bump_n(c, 2);
	assert_int_equal(smmu_tcount_read(c), 2);
	free_count(c);
}

/* Threads racing beside the owner: every bump counted once. */
static void test_threads_count_exactly(void **state)
{
	struct smmu_tcount *c = new_count();

	(void)state;
	bump_n(c, 1);
	run_bumpers(c, THREADS);
	assert_int_equal(smmu_tcount_read(c), 1 + THREADS * BUMPS);
	assert_int_equal(c->owned, 1);
	free_count(c);
}

/* An owner that ended leaves its count; the others' bumps go on counting. */
static void test_ended_owner_keeps_its_count(void **state)
{
	struct smmu_tcount *c = new_count();

	(void)state;
	run_bumpers(c, 1);
	assert_int_not_equal(c->owner, smmu_tcount_self());
	assert_int_equal(c->owned, BUMPS);
	bump_n(c, 4);
	assert_int_equal(smmu_tcount_read(c), BUMPS + 4);
	smmu_tcount_reset(c);
	run_bumpers(c, THREADS);
	assert_int_equal(smmu_tcount_read(c), THREADS * BUMPS);
	free_count(c);
}

#define RACE_READS 3000000u

struct reset_race {
	struct smmu_tcount *c;
	atomic_bool stop;
};

static void *owner_bumps(void *arg)
{
	struct reset_race *r = arg;

	while (!atomic_load(&r->stop))
		smmu_tcount_bump(r->c);
	return NULL;
}

static void *resetter(void *arg)
{
	struct reset_race *r = arg;

	while (!atomic_load(&r->stop))
		smmu_tcount_reset(r->c);
	return NULL;
}

/*
 * A read racing a reset and the owner's bumps gives a count from before
 * or after the reset, never one that mixes them (and so wraps below 0).
 */
static void test_read_during_reset(void **state)
{
	struct reset_race r = { .c = new_count() };
	pthread_t bumper_thread, reset_thread;
	uint64_t worst = 0;

	(void)state;
	assert_int_equal(pthread_create(&bumper_thread, NULL, owner_bumps, &r), 0);
	while (!__atomic_load_n(&r.c->owner, __ATOMIC_RELAXED))
		;
	assert_int_equal(pthread_create(&reset_thread, NULL, resetter, &r), 0);
	for (unsigned i = 0; i < RACE_READS; i++) {
		uint64_t n = smmu_tcount_read(r.c);

		if (n > worst)
			worst = n;
	}
	atomic_store(&r.stop, true);
	assert_int_equal(pthread_join(bumper_thread, NULL), 0);
	assert_int_equal(pthread_join(reset_thread, NULL), 0);
	/* Never more than were ever bumped. */
	assert_true(worst <= __atomic_load_n(&r.c->owned, __ATOMIC_RELAXED));
	free_count(r.c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_bumper_owns),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_threads_count_exactly),
		cmocka_unit_test(test_ended_owner_keeps_its_count),
		cmocka_unit_test(test_read_during_reset),
	};

	return cmocka_run_group_tests_name("tcount", tests, NULL, NULL);
}

/*
 * The owned exact count (model/tcount.h) as a unit: the first thread to
 * bump it owns it, every other thread's bumps still count, exactly, and
 * resets and ended owners lose nothing.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdalign.h>
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
	free(c);
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
	free(c);
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
	free(c);
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
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_bumper_owns),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_threads_count_exactly),
		cmocka_unit_test(test_ended_owner_keeps_its_count),
	};

	return cmocka_run_group_tests_name("tcount", tests, NULL, NULL);
}

/*
 * Unit tests for bounded waiting and the request-merging worker: a poll
 * gives up at its deadline, waits on the platform's event hook when told
 * to, and a worker never runs its job twice at once, never deadlocks when
 * re-entered, and loses no request.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "dev.h"
#include "poll.h"

/*
 * Long enough that a loaded machine (valgrind, other jobs taking the CPU
 * at each sched_yield) still gets a second wait in before the deadline.
 */
#define DEADLINE_MS 100u

static unsigned wait_events;

static void count_wait_event(void *opaque)
{
	wait_events++;
}

static double elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_poll_deadline(void **state)
{
	struct smmu_dev dev;
	struct smmu_poll p;
	struct timespec t0;
	unsigned waits = 0;

	memset(&dev, 0, sizeof(dev));
	dev.plat.poll_timeout_us = DEADLINE_MS * 1000u;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	smmu_poll_init(&p, &dev, true); /* no wait_event hook: spins instead */
	while (smmu_poll_wait(&p) == 0)
		waits++;
	assert_true(elapsed_ms(&t0) >= DEADLINE_MS);
	assert_true(elapsed_ms(&t0) < 1000.0);
	assert_true(waits > 1);

	dev.plat.wait_event = count_wait_event;
	wait_events = 0;
	smmu_poll_init(&p, &dev, true);
	assert_int_equal(smmu_poll_wait(&p), 0);
	assert_int_equal(wait_events, 1);
	smmu_poll_init(&p, &dev, false);
	assert_int_equal(smmu_poll_wait(&p), 0);
	assert_int_equal(wait_events, 1);
}

struct job {
	struct smmu_worker w;
	atomic_int inside;
	atomic_uint runs;
	unsigned reenter;
	bool overlap;
};

static unsigned job_fn(void *arg)
{
	struct job *j = arg;

	if (atomic_fetch_add(&j->inside, 1))
		j->overlap = true;
	atomic_fetch_add(&j->runs, 1);
	if (j->reenter) {
		j->reenter--;
		/* Re-entry only asks for another round. */
		assert_int_equal(smmu_worker_run(&j->w, job_fn, j), 0);
	}
	atomic_fetch_sub(&j->inside, 1);
	return 1;
}

static void test_worker_reentry(void **state)
{
	struct job j = { .reenter = 2 };

	smmu_worker_init(&j.w);
	assert_int_equal(smmu_worker_run(&j.w, job_fn, &j), 3);
	assert_int_equal(atomic_load(&j.runs), 3);
	assert_false(j.overlap);
	smmu_worker_destroy(&j.w);
}

#define WORKER_THREADS 4
#define WORKER_CALLS 2000

static void *worker_main(void *arg)
{
	struct job *j = arg;

	for (int i = 0; i < WORKER_CALLS; i++)
		smmu_worker_run(&j->w, job_fn, j);
	return NULL;
}

static void test_worker_concurrent(void **state)
{
	struct job j = { 0 };
	pthread_t th[WORKER_THREADS];

	smmu_worker_init(&j.w);
	for (int t = 0; t < WORKER_THREADS; t++)
		pthread_create(&th[t], NULL, worker_main, &j);
	for (int t = 0; t < WORKER_THREADS; t++)
		pthread_join(th[t], NULL);
	assert_false(j.overlap);
	assert_true(atomic_load(&j.runs) >= WORKER_CALLS);
	assert_true(atomic_load(&j.runs) <= WORKER_THREADS * WORKER_CALLS);
	/* Nothing is left pending once every caller has returned. */
	assert_false(atomic_load(&j.w.pending));
	smmu_worker_destroy(&j.w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poll_deadline),
		cmocka_unit_test(test_worker_reentry),
		cmocka_unit_test(test_worker_concurrent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

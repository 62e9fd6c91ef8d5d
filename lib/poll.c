/*
 * Bounded waiting for the SMMU: deadline from the platform, back-off in
 * the kernel's spirit (yield first, then sleeps doubling from 1 us, capped
 * so a waiter notices completion promptly), or the platform's wait_event
 * hook when the SMMU signals SEV.  Also the worker that merges
 * concurrent and re-entrant requests for the same job.
 */
#include <errno.h>
#include <sched.h>

#include "dev.h"
#include "poll.h"

#define SMMU_POLL_DEFAULT_US 1000000u
#define SMMU_POLL_SPINS      64u
#define SMMU_POLL_DELAY_CAP_US 1000u
#define NSEC_PER_USEC 1000u
#define NSEC_PER_SEC  1000000000u

static void timespec_add_us(struct timespec *ts, uint64_t us)
{
	uint64_t ns = (uint64_t)ts->tv_nsec + (us % 1000000u) * NSEC_PER_USEC;

	ts->tv_sec += (time_t)(us / 1000000u + ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
}

static bool timespec_passed(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec ||
	       (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

void smmu_poll_init(struct smmu_poll *p, const struct smmu_dev *dev, bool wfe)
{
	uint64_t us = dev->plat.poll_timeout_us ? dev->plat.poll_timeout_us
						: SMMU_POLL_DEFAULT_US;

	p->dev = dev;
	p->spins = 0;
	p->delay_us = 1;
	p->wfe = wfe && dev->plat.wait_event;
	clock_gettime(CLOCK_MONOTONIC, &p->deadline);
	timespec_add_us(&p->deadline, us);
}

int smmu_poll_wait(struct smmu_poll *p)
{
	struct timespec ts = { 0 };

	if (timespec_passed(&p->deadline))
		return -ETIMEDOUT;
	if (p->wfe) {
		p->dev->plat.wait_event(p->dev->plat.opaque);
		return 0;
	}
	if (p->spins < SMMU_POLL_SPINS) {
		p->spins++;
		sched_yield();
		return 0;
	}
	ts.tv_nsec = (long)p->delay_us * NSEC_PER_USEC;
	nanosleep(&ts, NULL);
	if (p->delay_us < SMMU_POLL_DELAY_CAP_US)
		p->delay_us *= 2;
	return 0;
}

void smmu_worker_init(struct smmu_worker *w)
{
	pthread_mutex_init(&w->lock, NULL);
	atomic_init(&w->pending, false);
}

void smmu_worker_destroy(struct smmu_worker *w)
{
	pthread_mutex_destroy(&w->lock);
}

unsigned smmu_worker_run(struct smmu_worker *w, unsigned (*fn)(void *arg),
			 void *arg)
{
	unsigned done = 0;

	atomic_store(&w->pending, true);
	/* Re-check after unlocking: a request may have come in meanwhile. */
	while (atomic_load(&w->pending)) {
		if (pthread_mutex_trylock(&w->lock))
			return done;
		while (atomic_exchange(&w->pending, false))
			done += fn(arg);
		pthread_mutex_unlock(&w->lock);
	}
	return done;
}

/*
 * Owned exact counts (tcount.h has the concepts and the bump): claiming,
 * reading and resetting.
 */
#include <string.h>

#include "tcount.h"

void smmu_tcount_init(struct smmu_tcount *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
}

void smmu_tcount_destroy(struct smmu_tcount *c)
{
	pthread_mutex_destroy(&c->lock);
}

/* A claimed count is only read here: the CAS would take the owner's line. */
void smmu_tcount_bump_unowned(struct smmu_tcount *c)
{
	uint64_t unclaimed = 0;

	if (!__atomic_load_n(&c->owner, __ATOMIC_RELAXED) &&
	    __atomic_compare_exchange_n(&c->owner, &unclaimed, smmu_tcount_self(), false,
					__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		smmu_tcount_bump_owned(c);
	else
		__atomic_fetch_add(&c->shared, 1, __ATOMIC_RELAXED);
}

uint64_t smmu_tcount_read(struct smmu_tcount *c)
{
	uint64_t n;

	pthread_mutex_lock(&c->lock);
	/* owned only grows from the base taken under this lock: no wrap. */
	n = __atomic_load_n(&c->shared, __ATOMIC_RELAXED) +
	    __atomic_load_n(&c->owned, __ATOMIC_RELAXED) - c->base;
	pthread_mutex_unlock(&c->lock);
	return n;
}

void smmu_tcount_reset(struct smmu_tcount *c)
{
	pthread_mutex_lock(&c->lock);
	__atomic_store_n(&c->shared, 0, __ATOMIC_RELAXED);
	c->base = __atomic_load_n(&c->owned, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&c->lock);
}

/*
 * The micro-TLB's life cycle, publication and statistics (utlb.h has the
 * concepts and the lookup, which the translation entry point inlines).
 */
#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "utlb.h"

/* Big enough for a page-indexed table not to collide inside one stream. */
#define UTLB_MIN_SLOTS 1024u
/* Epochs start here; a slot's stamp of 0 never matches. */
#define UTLB_FIRST_EPOCH 1u

/* Off when every cached answer must be checked or traced, or when asked. */
static bool utlb_wanted(const struct smmu_model_config *cfg)
{
	return !cfg->no_utlb && !cfg->check_coherency && !cfg->trace;
}

/*
 * The configured count, or half the IOTLB's (rounded down to a power of
 * two): with the IOTLB's 46 bytes an entry, 62 bytes per cached entry.
 */
static size_t utlb_slots(const struct smmu_model *m, size_t iotlb_capacity)
{
	size_t n = UTLB_MIN_SLOTS;

	if (!utlb_wanted(&m->cfg))
		return 1;
	if (m->cfg.utlb_slots)
		return m->cfg.utlb_slots;
	while (n * 2 <= iotlb_capacity / 2)
		n *= 2;
	return n;
}

bool smmu_utlb_slots_ok(size_t slots)
{
	return !slots || (smmu_is_pow2(slots) && slots <= SMMU_UTLB_MAX_SLOTS);
}

size_t smmu_utlb_bytes(const struct smmu_model *m)
{
	return (size_t)(m->utlb->mask + 1) * sizeof(struct smmu_utlb_slot);
}

int smmu_utlb_new(struct smmu_model *m, size_t iotlb_capacity)
{
	/* Aligned as its counter's line needs (sizeof is a multiple of it). */
	struct smmu_utlb *u = aligned_alloc(alignof(struct smmu_utlb), sizeof(*u));
	size_t n = utlb_slots(m, iotlb_capacity);

	if (!u)
		return -ENOMEM;
	memset(u, 0, sizeof(*u));
	u->slot = calloc(n, sizeof(*u->slot));
	if (!u->slot) {
		free(u);
		return -ENOMEM;
	}
	atomic_init(&u->epoch, UTLB_FIRST_EPOCH);
	u->mask = n - 1;
	/* Disabled, it keeps one slot that is never published: lookups just miss. */
	u->enabled = utlb_wanted(&m->cfg);
	pthread_mutex_init(&u->publish, NULL);
	m->utlb = u;
	return 0;
}

void smmu_utlb_free(struct smmu_model *m)
{
	if (!m->utlb)
		return;
	pthread_mutex_destroy(&m->utlb->publish);
	free(m->utlb->slot);
	free(m->utlb);
	m->utlb = NULL;
}

void smmu_utlb_bump(struct smmu_model *m)
{
	atomic_fetch_add_explicit(&m->utlb->epoch, 1, memory_order_acq_rel);
}

/*
 * Only under the epoch the answer was found at, and never over a slot of
 * that epoch: a stamp is never written twice, so readers cannot mistake a
 * rewritten slot for the one they started reading.
 */
static bool slot_takes(struct smmu_utlb *u, const struct smmu_utlb_slot *s,
		       const struct smmu_utlb_ticket *t)
{
	return smmu_utlb_epoch(u) == t->epoch &&
	       __atomic_load_n(&s->stamp, __ATOMIC_RELAXED) != t->epoch;
}

void smmu_utlb_publish(struct smmu_model *m, const struct smmu_utlb_ticket *t,
		       const struct smmu_txn *txn, uint64_t pa, unsigned allowed)
{
	struct smmu_utlb *u = m->utlb;
	uint64_t key = smmu_utlb_key(txn), page = txn->iova >> SMMU_UTLB_PAGE_LOG2;
	struct smmu_utlb_slot *s = smmu_utlb_slot(u, key, page);
	uint64_t out;

	if (!u->enabled || !slot_takes(u, s, t) || pthread_mutex_trylock(&u->publish))
		return;
	/* Again under the lock: a bump or another publisher may have come first. */
	if (slot_takes(u, s, t)) {
		out = ((pa - txn->iova) & SMMU_UTLB_PAGE_MASK) |
		      SMMU_FIELD_PREP(SMMU_UTLB_OUT_ALLOWED, allowed);
		/* Release stores: no word is seen before the stamp is cleared. */
		__atomic_store_n(&s->stamp, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&s->key, key, __ATOMIC_RELEASE);
		__atomic_store_n(&s->page, page, __ATOMIC_RELEASE);
		__atomic_store_n(&s->out, out, __ATOMIC_RELEASE);
		__atomic_store_n(&s->stamp, t->epoch, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&u->publish);
}

void smmu_utlb_fold_stats(struct smmu_model *m, struct smmu_model_stats *out)
{
	uint64_t n = __atomic_load_n(&m->utlb->hits, __ATOMIC_RELAXED);

	out->translations += n;
	out->iotlb_hits += n;
	out->utlb_hits += n;
}

void smmu_utlb_reset_stats(struct smmu_model *m)
{
	__atomic_store_n(&m->utlb->hits, 0, __ATOMIC_RELAXED);
}

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
/* Line counts are powers of two, so page counts are from one line up. */
#define UTLB_MIN_CONFIGURED_SLOTS SMMU_UTLB_SECTORS
/* Epochs start here; a line's stamp of 0 never matches. */
#define UTLB_FIRST_EPOCH 1u

/* Off when every cached answer must be checked or traced, or when asked. */
static bool utlb_wanted(const struct smmu_model_config *cfg)
{
	return !cfg->no_utlb && !cfg->check_coherency && !cfg->trace;
}

/*
 * Lines for the configured count of pages, or for as many as the IOTLB
 * holds (rounded down to a power of two): 16 bytes a page, so with the
 * IOTLB's 46 bytes an entry, 62 bytes per cached entry.
 */
static size_t utlb_lines(const struct smmu_model *m, size_t iotlb_capacity)
{
	size_t n = UTLB_MIN_SLOTS;

	if (!utlb_wanted(&m->cfg))
		return 1;
	if (m->cfg.utlb_slots)
		return m->cfg.utlb_slots / SMMU_UTLB_SECTORS;
	while (n * 2 <= iotlb_capacity)
		n *= 2;
	return n / SMMU_UTLB_SECTORS;
}

bool smmu_utlb_slots_ok(size_t slots)
{
	return !slots || (smmu_is_pow2(slots) && slots >= UTLB_MIN_CONFIGURED_SLOTS &&
			  slots <= SMMU_UTLB_MAX_SLOTS);
}

size_t smmu_utlb_slots(const struct smmu_model *m)
{
	return (size_t)(m->utlb->mask + 1) * SMMU_UTLB_SECTORS;
}

size_t smmu_utlb_bytes(const struct smmu_model *m)
{
	return (size_t)(m->utlb->mask + 1) * sizeof(struct smmu_utlb_line);
}

int smmu_utlb_new(struct smmu_model *m, size_t iotlb_capacity)
{
	/* Aligned as its counter's line needs (sizeof is a multiple of it). */
	struct smmu_utlb *u = aligned_alloc(alignof(struct smmu_utlb), sizeof(*u));
	size_t n = utlb_lines(m, iotlb_capacity);

	if (!u)
		return -ENOMEM;
	memset(u, 0, sizeof(*u));
	u->line = aligned_alloc(alignof(struct smmu_utlb_line), n * sizeof(*u->line));
	if (!u->line) {
		free(u);
		return -ENOMEM;
	}
	memset(u->line, 0, n * sizeof(*u->line));
	atomic_init(&u->epoch, UTLB_FIRST_EPOCH);
	u->mask = n - 1;
	/* Disabled, it keeps one line that is never published: lookups just miss. */
	u->enabled = utlb_wanted(&m->cfg);
	pthread_mutex_init(&u->publish, NULL);
	smmu_tcount_init(&u->hits);
	m->utlb = u;
	return 0;
}

void smmu_utlb_free(struct smmu_model *m)
{
	if (!m->utlb)
		return;
	smmu_tcount_destroy(&m->utlb->hits);
	pthread_mutex_destroy(&m->utlb->publish);
	free(m->utlb->line);
	free(m->utlb);
	m->utlb = NULL;
}

void smmu_utlb_bump(struct smmu_model *m)
{
	atomic_fetch_add_explicit(&m->utlb->epoch, 1, memory_order_acq_rel);
}

/*
 * Only under the epoch the answer was found at.  Nothing of that epoch is
 * ever rewritten, so readers cannot mistake a line for the one they
 * started reading: a line of the epoch only takes a missing page of its
 * own group and stream.
 */
static bool line_takes(struct smmu_utlb *u, const struct smmu_utlb_line *l,
		       const struct smmu_utlb_ticket *t, uint64_t key, uint64_t group,
		       unsigned sector)
{
	return smmu_utlb_epoch(u) == t->epoch &&
	       (__atomic_load_n(&l->stamp, __ATOMIC_RELAXED) != t->epoch ||
		(__atomic_load_n(&l->key, __ATOMIC_RELAXED) == key &&
		 __atomic_load_n(&l->group, __ATOMIC_RELAXED) == group &&
		 !__atomic_load_n(&l->out[sector], __ATOMIC_RELAXED)));
}

/* A line of an older epoch becomes this epoch's, for key's group, empty. */
static void line_rewrite(struct smmu_utlb_line *l, const struct smmu_utlb_ticket *t,
			 uint64_t key, uint64_t group)
{
	/* Release stores: no word is seen before the stamp is cleared. */
	__atomic_store_n(&l->stamp, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->key, key, __ATOMIC_RELEASE);
	__atomic_store_n(&l->group, group, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < SMMU_UTLB_SECTORS; i++)
		__atomic_store_n(&l->out[i], 0, __ATOMIC_RELEASE);
	__atomic_store_n(&l->stamp, t->epoch, __ATOMIC_RELEASE);
}

void smmu_utlb_publish(struct smmu_model *m, const struct smmu_utlb_ticket *t,
		       const struct smmu_txn *txn, uint64_t pa, unsigned allowed)
{
	struct smmu_utlb *u = m->utlb;
	uint64_t key = smmu_utlb_key(txn), group = smmu_utlb_group(txn);
	struct smmu_utlb_line *l = smmu_utlb_line(u, key, group);
	unsigned sector = smmu_utlb_sector(txn->iova);

	if (!u->enabled || !line_takes(u, l, t, key, group, sector) ||
	    pthread_mutex_trylock(&u->publish))
		return;
	/* Again under the lock: a bump or another publisher may have come first. */
	if (line_takes(u, l, t, key, group, sector)) {
		if (__atomic_load_n(&l->stamp, __ATOMIC_RELAXED) != t->epoch)
			line_rewrite(l, t, key, group);
		/* One word, from 0: a reader sees the page missing or cached. */
		__atomic_store_n(&l->out[sector],
				 ((pa - txn->iova) & SMMU_UTLB_PAGE_MASK) |
				 SMMU_FIELD_PREP(SMMU_UTLB_OUT_ALLOWED, allowed), __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&u->publish);
}

void smmu_utlb_fold_stats(struct smmu_model *m, struct smmu_model_stats *out)
{
	uint64_t n = smmu_tcount_read(&m->utlb->hits);

	out->translations += n;
	out->iotlb_hits += n;
	out->utlb_hits += n;
}

void smmu_utlb_reset_stats(struct smmu_model *m)
{
	smmu_tcount_reset(&m->utlb->hits);
}

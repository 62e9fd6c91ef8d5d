/*
 * The micro-TLB: the translation fast path, in front of the IOTLB.
 *
 * Concepts: real SMMUs answer most transactions from a small TLB next to
 * the device (a TBU's micro-TLB) that holds final translations of 4 KiB
 * pages keyed by stream, so a hit needs neither the configuration nor the
 * main TLB.  This is the model's: a direct-mapped table of sectored
 * lines, each one cache line holding four consecutive 4 KiB pages of one
 * stream (a sectored TLB: one tag, a translation per sector, so a large
 * working set takes 16 bytes a page and a random hit touches one host
 * cache line), indexed by input page group (offset by a hash of the
 * stream, so one stream's consecutive pages take consecutive lines, as in
 * a TLB indexed by low VA bits).  A line maps (StreamID, SSV,
 * SubstreamID, page group) -> per page (output page, permissions).  It
 * holds exactly what an IOTLB lookup would answer: a sector is published
 * after an IOTLB hit, or after a walk from what a lookup finds once its
 * entry is inserted, for a configuration that came from the configuration
 * fast path; its line is stamped with the epoch read before the
 * transaction started and valid only while that epoch is current.  The
 * epoch moves
 * whenever the IOTLB removes an entry (TLBI, capacity eviction; at the
 * CMD_SYNC in weakest-legal mode), whenever an insert changes what a
 * lookup finds for an address already cached (an entry overwritten, or
 * one now found after the new one), and whenever the configuration fast
 * path's generation moves (CFGI_*, configuration-cache evictions, register
 * changes), so the micro-TLB never answers otherwise than its two sources
 * would: invalidation semantics are theirs, exactly.
 * It is off when every cached answer must be checked (check_coherency) or
 * traced (a trace callback), and with cfg.no_utlb.
 *
 * Lines are published by one thread at a time and never rewritten within
 * an epoch, only given more sectors (each one atomic word, from empty), so
 * a line's stamp only ever grows: readers need no separate sequence count
 * (stamp, words, stamp again).  A hit counts as a
 * translation, an IOTLB hit and a micro-TLB hit; like the hardware's, it
 * consults no configuration cache, so cfg_hits does not move.
 */
#ifndef SMMU_MODEL_UTLB_H
#define SMMU_MODEL_UTLB_H

#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "model_internal.h"
#include "tcount.h"
#include "walk.h"

#define SMMU_UTLB_PAGE_LOG2 SMMU_GRANULE_4K_LOG2
#define SMMU_UTLB_PAGE_MASK (~UINT64_C(0) << SMMU_UTLB_PAGE_LOG2)
/* Pages a line holds: four, so a line is a host cache line. */
#define SMMU_UTLB_SECTORS_LOG2 2u
#define SMMU_UTLB_SECTORS (1u << SMMU_UTLB_SECTORS_LOG2)
#define SMMU_UTLB_LINE_LOG2 (SMMU_UTLB_PAGE_LOG2 + SMMU_UTLB_SECTORS_LOG2)
/*
 * The out word of a sector: output page minus input page (so a hit's
 * address is one add), with the map of allowed accesses in the bits a page
 * offset has; 0, which allows nothing, while the page is not cached.
 */
#define SMMU_UTLB_OUT_ALLOWED SMMU_GENMASK(7, 0)
#define SMMU_UTLB_ACCESSES 8u
/* The group word: the input address's page group, and SSV above it. */
#define SMMU_UTLB_GROUP_SSV_SHIFT 63u
/* Fits a 32-bit immediate: the hash is one multiply. */
#define SMMU_UTLB_HASH UINT64_C(0x5bd1e995)

_Static_assert(SMMU_FIELD_FITS(SMMU_UTLB_OUT_ALLOWED, (1u << SMMU_UTLB_ACCESSES) - 1),
	       "a bit per access fits the out word");

struct smmu_utlb_line {
	uint64_t out[SMMU_UTLB_SECTORS];        /* first: a sector is out + 8 * i */
	uint64_t stamp;         /* epoch published at; 0 while being written */
	uint64_t key;
	uint64_t group;         /* smmu_utlb_group() */
} __attribute__((aligned(SMMU_MODEL_CACHELINE)));

_Static_assert(sizeof(struct smmu_utlb_line) == SMMU_MODEL_CACHELINE,
	       "a line is one host cache line");

struct smmu_utlb {
	struct smmu_tcount hits;        /* first: u is where it starts */
	_Atomic uint64_t epoch;
	uint64_t mask;          /* lines - 1 */
	struct smmu_utlb_line *line;
	bool enabled;
	pthread_mutex_t publish;
};

/* What a transaction learnt that lets its answer be published. */
struct smmu_utlb_ticket {
	uint64_t epoch;         /* read before the transaction started */
};

#define SMMU_UTLB_MAX_SLOTS (UINT64_C(1) << 26)

/* Sized by cfg.utlb_slots or after the IOTLB: 0 or -ENOMEM. */
int smmu_utlb_new(struct smmu_model *m, size_t iotlb_capacity);
/* Whether cfg.utlb_slots is a count the micro-TLB takes. */
bool smmu_utlb_slots_ok(size_t slots);
/* The pages it can hold. */
size_t smmu_utlb_slots(const struct smmu_model *m);
/* The memory its lines take. */
size_t smmu_utlb_bytes(const struct smmu_model *m);
void smmu_utlb_free(struct smmu_model *m);
/* Something a line may copy is gone: void every line. */
void smmu_utlb_bump(struct smmu_model *m);
/*
 * Remember that txn's page translates to pa's page for the incoming
 * accesses in allowed (bit smmu_utlb_access() per access).
 */
void smmu_utlb_publish(struct smmu_model *m, const struct smmu_utlb_ticket *t,
		       const struct smmu_txn *txn, uint64_t pa, unsigned allowed);
/* Hits, into the public statistics (and to zero, with reset). */
void smmu_utlb_fold_stats(struct smmu_model *m, struct smmu_model_stats *out);
void smmu_utlb_reset_stats(struct smmu_model *m);

static inline uint64_t smmu_utlb_epoch(struct smmu_utlb *u)
{
	return atomic_load_explicit(&u->epoch, memory_order_acquire);
}

/* Whether a publication under this ticket can still land (checked again). */
static inline bool smmu_utlb_may_publish(struct smmu_utlb *u, const struct smmu_utlb_ticket *t)
{
	return t && u->enabled && smmu_utlb_epoch(u) == t->epoch;
}

_Static_assert(offsetof(struct smmu_txn, ssid) == offsetof(struct smmu_txn, sid) + sizeof(uint32_t),
	       "the two IDs of a transaction are one word");

/*
 * The stream part of a line's tag: StreamID and SubstreamID, each whole,
 * in one load.  Without SSV the SubstreamID is meaningless but kept: a
 * device that passes varying ones only misses more.
 */
static inline uint64_t smmu_utlb_key(const struct smmu_txn *txn)
{
	uint64_t ids;

	memcpy(&ids, (const char *)txn + offsetof(struct smmu_txn, sid), sizeof(ids));
	return ids;
}

_Static_assert(64 - SMMU_UTLB_LINE_LOG2 <= SMMU_UTLB_GROUP_SSV_SHIFT,
	       "SSV is above every page group");

/* The address part of a line's tag, with SSV, which the key has no room for. */
static inline uint64_t smmu_utlb_group(const struct smmu_txn *txn)
{
	return txn->iova >> SMMU_UTLB_LINE_LOG2 |
	       (uint64_t)txn->ssv << SMMU_UTLB_GROUP_SSV_SHIFT;
}

static inline struct smmu_utlb_line *smmu_utlb_line(const struct smmu_utlb *u,
						    uint64_t key, uint64_t group)
{
	return &u->line[(group ^ ((key * SMMU_UTLB_HASH) >> 32)) & u->mask];
}

/* The sector of the page an input address is in. */
static inline unsigned smmu_utlb_sector(uint64_t iova)
{
	return (unsigned)(iova >> SMMU_UTLB_PAGE_LOG2) & (SMMU_UTLB_SECTORS - 1);
}

/*
 * The out word's bit for an access: write, exec and priv as three index
 * bits into the map of the accesses the sector allows.
 */
static inline unsigned smmu_utlb_access(bool write, bool exec, bool priv)
{
	return (unsigned)write + 2u * exec + 4u * priv;
}

/* The access of a map index: smmu_utlb_access undone. */
static inline struct smmu_access smmu_utlb_access_of(unsigned i)
{
	return (struct smmu_access){ .write = i & 1u, .exec = i & 2u, .priv = i & 4u };
}

/*
 * The whole translation of a hit: true with status, pa and event_recorded
 * set (on OK nothing else in *res is meaningful).
 */
static inline bool smmu_utlb_hit(struct smmu_utlb *u, const struct smmu_txn *txn,
				 uint64_t epoch, struct smmu_txn_result *res)
{
	uint64_t key = smmu_utlb_key(txn), group = smmu_utlb_group(txn);
	struct smmu_utlb_line *l = smmu_utlb_line(u, key, group);
	uint64_t out;

	/*
	 * Acquire loads keep the second read of the stamp after the words (a
	 * fence would do the same, but ThreadSanitizer cannot see fences); on
	 * x86 they are plain loads.
	 */
	if (__atomic_load_n(&l->stamp, __ATOMIC_ACQUIRE) != epoch ||
	    __atomic_load_n(&l->key, __ATOMIC_ACQUIRE) != key ||
	    __atomic_load_n(&l->group, __ATOMIC_ACQUIRE) != group)
		return false;
	out = __atomic_load_n(&l->out[smmu_utlb_sector(txn->iova)], __ATOMIC_ACQUIRE);
	/* A line being rewritten meanwhile has a new stamp: reject the copy. */
	if (__atomic_load_n(&l->stamp, __ATOMIC_RELAXED) != epoch ||
	    !(out >> smmu_utlb_access(txn->write, txn->exec, txn->priv) & 1u) ||
	    (txn->translated | txn->ats_request))
		return false;
	res->status = SMMU_TXN_OK;
	res->pa = txn->iova + (out & SMMU_UTLB_PAGE_MASK);
	res->event_recorded = false;
	smmu_tcount_bump(&u->hits);
	return true;
}

#endif /* SMMU_MODEL_UTLB_H */

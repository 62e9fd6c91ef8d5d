/*
 * The configuration fast path: resolved stream configurations, read
 * without locks.
 *
 * Concepts: resolving a transaction's configuration (translate.c) costs a
 * register snapshot under m->lock and one configuration-cache lookup per
 * structure, each under the cache's mutex, plus the decoding - about a
 * thousand instructions before the IOTLB is asked.  This table remembers
 * the outcome per (StreamID, SSV, SubstreamID): the decoded struct
 * smmu_xlate_cfg, and how many configuration-cache hits the slow path
 * made, so the statistics stay as they were.  An entry is exact, not a
 * guess: it is published only when every structure came from the
 * configuration cache (no memory read) and nothing changed meanwhile, and
 * it is valid only while the generation it was published at is current.
 * Every event that could change what the slow path would return bumps the
 * generation: a configuration-cache removal (CFGI_*, capacity eviction) and
 * a register write that changes the snapshot (SMMUEN, GBPA, CR2,
 * STRTAB_BASE/_CFG).  An insertion needs no bump: a published entry's
 * structures were all cached already, and the cache never replaces an
 * entry.  Failures are never published (the slow path records their
 * events every time), and a PREFETCH_* whose lookups all hit is remembered
 * without a configuration: repeating it would change nothing.
 *
 * Each slot is a seqlock: readers copy the words with relaxed atomic loads
 * between two reads of an even sequence number; one publisher at a time
 * (a leaf try-lock: not caching is always allowed) makes it odd while
 * writing.  Slots are direct-mapped by a hash of the key.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "utlb.h"
#include "xlate.h"

#define FAST_SLOTS_LOG2 8u
#define FAST_SLOTS (1u << FAST_SLOTS_LOG2)
/* Multiplicative hashing constants (golden ratio, murmur3 finaliser). */
#define HASH_SID 0x9e3779b1u
#define HASH_SSID 0x85ebca77u
/* Where SSV enters the hash: above the low bits StreamIDs differ in. */
#define HASH_SSV_SHIFT 31u
/* The key word: StreamID, and the SubstreamID above it. */
#define KEY_SSID_SHIFT 32u

/*
 * A slot's words: the generation it was published at (0: never valid),
 * the key (StreamID, SubstreamID), what else matters, then the
 * configuration.
 */
enum { W_GEN, W_KEY, W_INFO, HEADER_WORDS };
#define INFO_HITS UINT32_MAX                    /* the slow path's cache hits */
#define INFO_HAS_XC (UINT64_C(1) << 32)         /* else a PREFETCH_* no-op */
#define INFO_SSV (UINT64_C(1) << 33)

#define XC_WORDS (sizeof(struct smmu_xlate_cfg) / sizeof(uint64_t))
#define ENTRY_WORDS (HEADER_WORDS + XC_WORDS)

_Static_assert(sizeof(struct smmu_xlate_cfg) % sizeof(uint64_t) == 0,
	       "configurations are copied as whole words");

struct fast_slot {
	atomic_uint seq;        /* odd while being written */
	uint64_t w[ENTRY_WORDS];        /* accessed only atomically */
};

struct smmu_cfg_fast {
	_Atomic uint64_t gen;
	pthread_mutex_t publish;
	struct fast_slot slot[FAST_SLOTS];
};

int smmu_cfg_fast_new(struct smmu_model *m)
{
	struct smmu_cfg_fast *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	atomic_init(&f->gen, 1);
	pthread_mutex_init(&f->publish, NULL);
	m->cfg_fast = f;
	return 0;
}

void smmu_cfg_fast_free(struct smmu_model *m)
{
	if (!m->cfg_fast)
		return;
	pthread_mutex_destroy(&m->cfg_fast->publish);
	free(m->cfg_fast);
	m->cfg_fast = NULL;
}

/* The micro-TLB's answers rest on these configurations too. */
void smmu_cfg_fast_bump(struct smmu_model *m)
{
	atomic_fetch_add_explicit(&m->cfg_fast->gen, 1, memory_order_acq_rel);
	smmu_utlb_bump(m);
}

uint64_t smmu_cfg_fast_gen(struct smmu_model *m)
{
	return atomic_load_explicit(&m->cfg_fast->gen, memory_order_acquire);
}

static struct fast_slot *slot_of(struct smmu_cfg_fast *f, const struct smmu_stream_id *who)
{
	uint32_t h = who->sid ^ (who->ssid * HASH_SSID) ^ ((uint32_t)who->ssv << HASH_SSV_SHIFT);

	return &f->slot[(h * HASH_SID) >> (32u - FAST_SLOTS_LOG2)];
}

/*
 * Relaxed atomic word copies (the seqlock's data accesses), unrolled: the
 * counts are small constants and a loop would cost more than the copy.
 */
static void load_words(const struct fast_slot *s, size_t first, void *to, size_t n)
{
	char *dst = to;

#pragma GCC unroll 32
	for (size_t i = 0; i < n; i++) {
		uint64_t v = __atomic_load_n(&s->w[first + i], __ATOMIC_RELAXED);

		memcpy(dst + i * sizeof(v), &v, sizeof(v));
	}
}

static void store_words(struct fast_slot *s, size_t first, const void *from, size_t n)
{
	const char *src = from;

#pragma GCC unroll 32
	for (size_t i = 0; i < n; i++) {
		uint64_t v;

		memcpy(&v, src + i * sizeof(v), sizeof(v));
		__atomic_store_n(&s->w[first + i], v, __ATOMIC_RELAXED);
	}
}

static uint64_t key_word(const struct smmu_stream_id *who)
{
	return who->sid | (uint64_t)who->ssid << KEY_SSID_SHIFT;
}

bool smmu_cfg_fast_lookup(struct smmu_model *m, const struct smmu_stream_id *who,
			  struct smmu_xlate_cfg *xc)
{
	struct smmu_cfg_fast *f = m->cfg_fast;
	struct fast_slot *s = slot_of(f, who);
	uint64_t gen = smmu_cfg_fast_gen(m), info;
	uint64_t need = (xc ? INFO_HAS_XC : 0) | (who->ssv ? INFO_SSV : 0);
	unsigned seq = atomic_load_explicit(&s->seq, memory_order_acquire);

	if (seq & 1u)
		return false;
	info = __atomic_load_n(&s->w[W_INFO], __ATOMIC_RELAXED);
	if (__atomic_load_n(&s->w[W_GEN], __ATOMIC_RELAXED) != gen ||
	    __atomic_load_n(&s->w[W_KEY], __ATOMIC_RELAXED) != key_word(who) ||
	    (info & (need | INFO_SSV)) != need)
		return false;
	/* A torn copy is possible here; the sequence check below rejects it. */
	if (xc)
		load_words(s, HEADER_WORDS, xc, XC_WORDS);
	atomic_thread_fence(memory_order_acquire);
	if (atomic_load_explicit(&s->seq, memory_order_relaxed) != seq)
		return false;
	if (xc)
		__atomic_fetch_add(&m->fast_translations[info & INFO_HITS], 1, __ATOMIC_RELAXED);
	else            /* m->lock held: no locked add needed */
		__atomic_store_n(&m->fast_prefetch_hits,
				 __atomic_load_n(&m->fast_prefetch_hits, __ATOMIC_RELAXED) +
				 (info & INFO_HITS), __ATOMIC_RELAXED);
	return true;
}

void smmu_cfg_fast_publish(struct smmu_model *m, uint64_t gen,
			   const struct smmu_stream_id *who, unsigned hits,
			   const struct smmu_xlate_cfg *xc)
{
	struct smmu_cfg_fast *f = m->cfg_fast;
	struct fast_slot *s = slot_of(f, who);
	uint64_t hdr[HEADER_WORDS] = {
		[W_GEN] = gen,
		[W_KEY] = key_word(who),
		[W_INFO] = hits | (xc ? INFO_HAS_XC : 0) | (who->ssv ? INFO_SSV : 0),
	};
	unsigned seq;

	if (hits > SMMU_CFG_MAX_LOOKUPS || pthread_mutex_trylock(&f->publish))
		return;
	/* Published under a generation that is already gone: never valid. */
	if (smmu_cfg_fast_gen(m) == gen) {
		seq = atomic_load_explicit(&s->seq, memory_order_relaxed);
		atomic_store_explicit(&s->seq, seq + 1u, memory_order_relaxed);
		atomic_thread_fence(memory_order_release);
		store_words(s, 0, hdr, HEADER_WORDS);
		if (xc)
			store_words(s, HEADER_WORDS, xc, XC_WORDS);
		atomic_store_explicit(&s->seq, seq + 2u, memory_order_release);
	}
	pthread_mutex_unlock(&f->publish);
}

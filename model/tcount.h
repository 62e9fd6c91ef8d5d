/*
 * An exact event count that a hot path bumps without a locked instruction.
 *
 * Concepts: a locked add on a shared word keeps a count exact across
 * threads, but costs as much as the rest of a micro-TLB hit.  So the count
 * has an owner: the first thread to bump it claims it, and from then on
 * bumps it with a plain load, add and store, being its only writer.
 * Threads are told apart by their thread pointer (the address of their
 * control block, unique among live threads; what pthread_self() returns
 * on glibc), which is one register read.  Every other thread bumps a
 * shared word with a locked add, so every bump is counted exactly once
 * however many threads there are; a device model usually translates from
 * one thread, which gets the fast path.  A thread that ends leaves its
 * count behind; a later thread given the same control block carries on
 * as the owner.  Reading sums the two words; resetting records the
 * owner's count as a base instead of writing it, so the owner stays its
 * only writer.  Reads and resets take the count's lock, so a read never
 * mixes the words from before a reset with those after it; bumps take
 * none.
 */
#ifndef SMMU_MODEL_TCOUNT_H
#define SMMU_MODEL_TCOUNT_H

#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>

#include "model_internal.h"

struct smmu_tcount {
	uint64_t owned;         /* written by the owner only */
	uint64_t owner;         /* its thread pointer; 0 until claimed */
	uint64_t base;          /* owned at the last reset (under lock) */
	pthread_mutex_t lock;   /* reads and resets */
	/* Apart from what the owner reads: every other thread's bump writes it. */
	alignas(SMMU_MODEL_CACHELINE) uint64_t shared;
};

void smmu_tcount_init(struct smmu_tcount *c);
void smmu_tcount_destroy(struct smmu_tcount *c);
/* A bump from a thread that does not own the count (yet). */
void smmu_tcount_bump_unowned(struct smmu_tcount *c);
/* Everything counted since the last reset. */
uint64_t smmu_tcount_read(struct smmu_tcount *c);
void smmu_tcount_reset(struct smmu_tcount *c);

/* The calling thread: one register read where the compiler offers it. */
static inline uint64_t smmu_tcount_self(void)
{
#if defined(__has_builtin) && __has_builtin(__builtin_thread_pointer)
	return (uint64_t)(uintptr_t)__builtin_thread_pointer();
#else
	return (uint64_t)pthread_self();
#endif
}

/* The owner's bump: it is the word's only writer. */
static inline void smmu_tcount_bump_owned(struct smmu_tcount *c)
{
	__atomic_store_n(&c->owned, __atomic_load_n(&c->owned, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

static inline void smmu_tcount_bump(struct smmu_tcount *c)
{
	if (__builtin_expect(__atomic_load_n(&c->owner, __ATOMIC_RELAXED) == smmu_tcount_self(), 1))
		smmu_tcount_bump_owned(c);
	else
		smmu_tcount_bump_unowned(c);
}

#endif /* SMMU_MODEL_TCOUNT_H */

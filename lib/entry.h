/*
 * The hitless entry writer: update a live STE or CD the SMMU may read at
 * any moment.
 *
 * Concepts: an entry is N little-endian 64-bit words in memory shared with
 * the device, which reads each word with one single-copy-atomic load but
 * may read the words of one entry at different times.  The writer is
 * generic over the entry type through struct smmu_entry_ops: get_used
 * says which bits the hardware reads in a given configuration,
 * get_update_safe (optional) which used bits may change in any order, and
 * sync makes the device forget what it cached (CFGI + CMD_SYNC).  Given the
 * live entry and a target, the writer orders 64-bit stores and syncs so
 * that at every sync the device sees either the old or the new
 * configuration, and takes the entry through V=0 only when more than one
 * word's used bits must change.  One writer call per entry at a time: the
 * caller serialises writers of the same entry.
 */
#ifndef SMMU_LIB_ENTRY_H
#define SMMU_LIB_ENTRY_H

#include <stdatomic.h>
#include <stdint.h>

#define SMMU_ENTRY_MAX_WORDS 8u

struct smmu_entry_ops {
	unsigned num_words;     /* 1..SMMU_ENTRY_MAX_WORDS */
	/* Fill used[0..num_words) (zeroed by the caller) for this entry. */
	void (*get_used)(const uint64_t *entry, uint64_t *used);
	/*
	 * Optional: bits that may change at any step while both cur and
	 * target use them (safe[] zeroed by the caller).
	 */
	void (*get_update_safe)(const uint64_t *cur, const uint64_t *target,
				uint64_t *safe);
	/* Make the device observe the entry as it is now; 0 or -errno. */
	int (*sync)(void *ctx);
};

struct smmu_entry_writer {
	const struct smmu_entry_ops *ops;
	void *ctx;              /* passed to ops->sync */
};

/*
 * Move the live entry to target.  -EINVAL (nothing written) for a bad
 * writer or a target that sets bits its own configuration does not use.
 * A failing sync does not stop the sequence: the entry still reaches the
 * target in memory (each intermediate state is a legal one) and the first
 * sync error is returned.
 */
int smmu_entry_write(const struct smmu_entry_writer *writer, uint64_t *entry,
		     const uint64_t *target);

/*
 * One 64-bit store the device observes whole.  Release ordering: whatever
 * the word points to (a CD table, a leaf) is visible before the word.
 */
static inline void smmu_entry_store_word(uint64_t *word, uint64_t val)
{
	atomic_store_explicit((_Atomic uint64_t *)word, val,
			      memory_order_release);
}

static inline uint64_t smmu_entry_load_word(const uint64_t *word)
{
	return atomic_load_explicit((const _Atomic uint64_t *)word,
				    memory_order_relaxed);
}

#endif /* SMMU_LIB_ENTRY_H */

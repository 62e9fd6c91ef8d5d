/*
 * The hitless entry writer (the kernel's arm_smmu_write_entry, restated).
 *
 * Concepts: bits the current configuration does not use can be written at
 * any time without the device noticing.  So the writer first computes the
 * "unused update": the live entry with every bit it does not use already
 * set to the target's value.  What is left are the used bits that must
 * change, counted per 64-bit word ("critical" words).  None: write and
 * sync once.  One: write the unused bits, then the critical word in one
 * atomic store (the switch from old to new), then clear what the new
 * configuration no longer uses.  Two or more: no single store can switch,
 * so V=0, the other words, then word 0.  Each step syncs only if it
 * changed a word, which is what makes the sync counts minimal.
 */
#include "entry.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

/* One write in progress: the live entry and a local copy of its words. */
struct entry_update {
	const struct smmu_entry_writer *writer;
	uint64_t *live;
	uint64_t cur[SMMU_ENTRY_MAX_WORDS];
	int err;                /* first sync error */
};

static bool writer_valid(const struct smmu_entry_writer *writer)
{
	const struct smmu_entry_ops *ops = writer ? writer->ops : NULL;

	return ops && ops->get_used && ops->sync && ops->num_words &&
	       ops->num_words <= SMMU_ENTRY_MAX_WORDS;
}

/*
 * Fill unused_update and return the mask of critical words, or -EINVAL
 * when the target sets a bit outside its own used bits (such a bit would
 * never be cleaned up, and would mean a builder and get_used disagree).
 */
static int entry_qword_diff(const struct smmu_entry_ops *ops,
			    const uint64_t *cur, const uint64_t *target,
			    uint64_t *unused_update)
{
	uint64_t cur_used[SMMU_ENTRY_MAX_WORDS] = { 0 };
	uint64_t target_used[SMMU_ENTRY_MAX_WORDS] = { 0 };
	uint64_t safe[SMMU_ENTRY_MAX_WORDS] = { 0 };
	int critical = 0;

	ops->get_used(cur, cur_used);
	ops->get_used(target, target_used);
	if (ops->get_update_safe)
		ops->get_update_safe(cur, target, safe);

	for (unsigned i = 0; i < ops->num_words; i++) {
		if (target[i] & ~target_used[i])
			return -EINVAL;
		/* A safe bit only matters where both configurations read it. */
		safe[i] &= cur_used[i] & target_used[i];
		cur_used[i] &= ~safe[i];
		unused_update[i] = (cur[i] & cur_used[i]) |
				   (target[i] & ~cur_used[i]);
		if ((unused_update[i] & target_used[i]) != target[i])
			critical |= 1 << i;
	}
	return critical;
}

/* Store the words of src[start, start + len) that differ; sync if any. */
static void entry_set(struct entry_update *up, const uint64_t *src,
		      unsigned start, unsigned len)
{
	bool changed = false;

	for (unsigned i = start; i < start + len; i++) {
		if (up->cur[i] == src[i])
			continue;
		up->cur[i] = src[i];
		smmu_entry_store_word(&up->live[i], src[i]);
		changed = true;
	}
	if (changed) {
		int ret = up->writer->ops->sync(up->writer->ctx);

		if (ret && !up->err)
			up->err = ret;
	}
}

static void write_one_critical(struct entry_update *up,
			       uint64_t *unused_update, const uint64_t *target,
			       unsigned critical_word)
{
	unsigned n = up->writer->ops->num_words;

	/* The critical word is written whole in the next step. */
	unused_update[critical_word] = up->cur[critical_word];
	entry_set(up, unused_update, 0, n);
	entry_set(up, target, critical_word, 1);
	entry_set(up, target, 0, n);
}

static void write_breaking(struct entry_update *up, const uint64_t *target)
{
	/* Word 0 holds V in both STEs and CDs: zero means invalid. */
	const uint64_t invalid_word0 = 0;
	unsigned n = up->writer->ops->num_words;

	entry_set(up, &invalid_word0, 0, 1);
	entry_set(up, target, 1, n - 1);
	entry_set(up, target, 0, 1);
}

int smmu_entry_write(const struct smmu_entry_writer *writer, uint64_t *entry,
		     const uint64_t *target)
{
	uint64_t unused_update[SMMU_ENTRY_MAX_WORDS];
	struct entry_update up = { .writer = writer, .live = entry };
	int critical;

	if (!writer_valid(writer) || !entry || !target)
		return -EINVAL;
	for (unsigned i = 0; i < writer->ops->num_words; i++)
		up.cur[i] = smmu_entry_load_word(&entry[i]);

	critical = entry_qword_diff(writer->ops, up.cur, target, unused_update);
	if (critical < 0)
		return critical;

	/*
	 * The kernel's dma_wmb(): tables the target points to (a CD table,
	 * a page table) must be visible to the device before the entry.
	 */
	atomic_thread_fence(memory_order_release);

	if (critical == 0)
		entry_set(&up, target, 0, writer->ops->num_words);
	else if (!(critical & (critical - 1)))
		write_one_critical(&up, unused_update, target,
				   (unsigned)__builtin_ctz((unsigned)critical));
	else
		write_breaking(&up, target);
	return up.err;
}

/*
 * The recording sync op of the hitless-writer tests.
 *
 * Concepts: a struct rec stands in for the SMMU.  At every sync it looks
 * at the live entry as the SMMU would after CMD_SYNC: it counts syncs,
 * notes whether the entry was invalid (V=0), whether the sync followed a
 * step that changed nothing, and whether the bits the live configuration
 * uses meant neither the old nor the new configuration (ignoring bits
 * get_update_safe allows to differ, as the kernel's KUnit test does).
 */
#ifndef SMMU_TESTS_ENTRIES_RECORDER_H
#define SMMU_TESTS_ENTRIES_RECORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "entry.h"

#define REC_WORDS SMMU_ENTRY_MAX_WORDS

struct rec {
	const struct smmu_entry_ops *ops;
	uint64_t v_mask;        /* V in word 0 */
	const uint64_t *init, *target, *live;
	uint64_t at_last_sync[REC_WORDS];
	unsigned syncs;
	unsigned fail_sync;     /* this sync (1-based) fails; 0: none */
	bool invalid_seen, mixed_seen, redundant_sync;
};

/* ops->sync; ctx is the struct rec. */
int rec_sync(void *ctx);

/* STE and CD ops whose sync is rec_sync. */
extern const struct smmu_entry_ops rec_ste_ops, rec_cd_ops;

/* Copy init to live and write target over it; the writer's result. */
int rec_write(struct rec *r, const uint64_t *init, const uint64_t *target,
	      uint64_t *live);

#endif /* SMMU_TESTS_ENTRIES_RECORDER_H */

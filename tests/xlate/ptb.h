/*
 * A page-table builder for tests: writes AArch64 translation tables by hand
 * into simulated memory.
 *
 * Concepts: tables are carved from a bump allocator over a region of a
 * struct smmu_mem.  ptb_map() walks from a root table down to the leaf
 * level the test names, creating table descriptors on the way, so each
 * test states the start level and the leaf level it expects instead of
 * asking the walker's own arithmetic.  Big-endian tables are written
 * byte-swapped.
 */
#ifndef SMMU_TESTS_PTB_H
#define SMMU_TESTS_PTB_H

#include <stdbool.h>
#include <stdint.h>
#include <smmu/mem.h>

#include "walk.h"

struct ptb {
	struct smmu_mem *mem;
	uint64_t next;           /* next free byte of the table region */
	unsigned granule_log2;
	bool big_endian;
	uint64_t view_delta;     /* added to table addresses (PA -> IPA) */
};

void ptb_init(struct ptb *b, struct smmu_mem *mem, uint64_t region,
	      unsigned granule_log2);
/* A zeroed table of `entries` descriptors, aligned to its size or granule. */
uint64_t ptb_table(struct ptb *b, uint64_t entries);
/*
 * Map ia -> oa with a leaf at leaf_level under root (whose start level
 * resolves ia_bits of input); attrs are the leaf's attribute bits (AF, AP,
 * nG, XN ...).  Returns the leaf descriptor's address.
 */
uint64_t ptb_map(struct ptb *b, uint64_t root, unsigned ia_bits, int start_level,
		 uint64_t ia, uint64_t oa, int leaf_level, uint64_t attrs);
/* The address of ia's descriptor at level, tables above it made as needed. */
uint64_t ptb_desc_at(struct ptb *b, uint64_t root, unsigned ia_bits, int start_level,
		     uint64_t ia, int level);
/* Table descriptor attribute bits to OR into every table on ia's path. */
void ptb_set_table_attrs(struct ptb *b, uint64_t root, unsigned ia_bits,
			 int start_level, uint64_t ia, uint64_t attrs);
uint64_t ptb_read(struct ptb *b, uint64_t pa);
void ptb_write(struct ptb *b, uint64_t pa, uint64_t desc);

/* Walk ops over a smmu_mem; fetches from fail_pa abort. */
struct ptb_mem_ops {
	struct smmu_walk_ops ops;
	struct smmu_mem *mem;
	uint64_t fail_pa;        /* reads and writes abort; 0: none */
	uint64_t fail_write_pa;  /* only writes abort; 0: none */
	unsigned reads, writes;
};
void ptb_mem_ops_init(struct ptb_mem_ops *m, struct smmu_mem *mem);

#endif /* SMMU_TESTS_PTB_H */

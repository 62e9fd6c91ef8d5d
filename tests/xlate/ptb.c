/*
 * Page-table builder for tests (see ptb.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "ptb.h"

void ptb_init(struct ptb *b, struct smmu_mem *mem, uint64_t region,
	      unsigned granule_log2)
{
	*b = (struct ptb){ .mem = mem, .next = region, .granule_log2 = granule_log2 };
}

uint64_t ptb_table(struct ptb *b, uint64_t entries)
{
	uint64_t bytes = entries << SMMU_PTE_SIZE_LOG2;
	uint64_t align = UINT64_C(1) << b->granule_log2;
	uint64_t pa;

	if (bytes > align)
		align = bytes;
	pa = (b->next + align - 1) & ~(align - 1);
	b->next = pa + (bytes > align ? bytes : align);
	/* Memory reads as zero until written: the table starts invalid. */
	return pa;
}

uint64_t ptb_read(struct ptb *b, uint64_t pa)
{
	uint64_t v = 0;

	if (smmu_mem_read64(b->mem, pa, &v))
		abort();
	return b->big_endian ? __builtin_bswap64(v) : v;
}

void ptb_write(struct ptb *b, uint64_t pa, uint64_t desc)
{
	if (smmu_mem_write64(b->mem, pa, b->big_endian ? __builtin_bswap64(desc) : desc))
		abort();
}

static uint64_t desc_pa(struct ptb *b, uint64_t table, unsigned ia_bits,
			int start_level, int level, uint64_t ia)
{
	unsigned stride = b->granule_log2 - SMMU_PTE_SIZE_LOG2;
	unsigned shift = b->granule_log2 + stride * (unsigned)(SMMU_LAST_LEVEL - level);
	unsigned bits = level == start_level ? ia_bits - shift : stride;

	return table + (((ia >> shift) & ((UINT64_C(1) << bits) - 1)) << SMMU_PTE_SIZE_LOG2);
}

static uint64_t next_table(struct ptb *b, uint64_t pa)
{
	uint64_t desc = ptb_read(b, pa);

	if (!(desc & SMMU_PTE_VALID)) {
		uint64_t t = ptb_table(b, UINT64_C(1) << (b->granule_log2 - SMMU_PTE_SIZE_LOG2));
		desc = (t + b->view_delta) | SMMU_PTE_VALID | SMMU_PTE_TYPE;
		ptb_write(b, pa, desc);
	}
	return (desc & SMMU_PTE_TBL_ADDR & ~((UINT64_C(1) << b->granule_log2) - 1)) -
	       b->view_delta;
}

uint64_t ptb_desc_at(struct ptb *b, uint64_t root, unsigned ia_bits, int start_level,
		     uint64_t ia, int level)
{
	uint64_t table = root;

	for (int l = start_level; l < level; l++)
		table = next_table(b, desc_pa(b, table, ia_bits, start_level, l, ia));
	return desc_pa(b, table, ia_bits, start_level, level, ia);
}

uint64_t ptb_map(struct ptb *b, uint64_t root, unsigned ia_bits, int start_level,
		 uint64_t ia, uint64_t oa, int leaf_level, uint64_t attrs)
{
	uint64_t pa = ptb_desc_at(b, root, ia_bits, start_level, ia, leaf_level);

	ptb_write(b, pa, oa | attrs | SMMU_PTE_VALID |
		  (leaf_level == SMMU_LAST_LEVEL ? SMMU_PTE_TYPE : 0));
	return pa;
}

void ptb_set_table_attrs(struct ptb *b, uint64_t root, unsigned ia_bits,
			 int start_level, uint64_t ia, uint64_t attrs)
{
	uint64_t table = root;

	for (int level = start_level; level < SMMU_LAST_LEVEL; level++) {
		uint64_t pa = desc_pa(b, table, ia_bits, start_level, level, ia);
		uint64_t desc = ptb_read(b, pa);
		if ((desc & (SMMU_PTE_VALID | SMMU_PTE_TYPE)) !=
		    (SMMU_PTE_VALID | SMMU_PTE_TYPE))
			return;
		ptb_write(b, pa, desc | attrs);
		table = (desc & SMMU_PTE_TBL_ADDR) - b->view_delta;
	}
}

static int mem_read_desc(void *opaque, uint64_t pa, uint64_t *desc)
{
	struct ptb_mem_ops *m = opaque;

	m->reads++;
	if (m->fail_pa && pa == m->fail_pa)
		return -EIO;
	return smmu_mem_read64(m->mem, pa, desc);
}

static int mem_write_desc(void *opaque, uint64_t pa, uint64_t desc)
{
	struct ptb_mem_ops *m = opaque;

	m->writes++;
	if ((m->fail_pa && pa == m->fail_pa) || (m->fail_write_pa && pa == m->fail_write_pa))
		return -EIO;
	return smmu_mem_write64(m->mem, pa, desc);
}

void ptb_mem_ops_init(struct ptb_mem_ops *m, struct smmu_mem *mem)
{
	*m = (struct ptb_mem_ops){
		.ops = { .read_desc = mem_read_desc, .write_desc = mem_write_desc,
			 .opaque = m },
		.mem = mem,
	};
}

/*
 * Simulated physical memory: a sparse 52-bit space of 4 KiB pages.
 *
 * Concepts: page frames hang off a four-level radix tree indexed by
 * PA[51:12] (10 bits per level).  Every slot is an atomic pointer, so
 * lookups take no lock and concurrent writers race only on a
 * compare-and-swap that installs a missing node or page.  A slot points at
 * host bytes: either a page allocated lazily on first write (owned by the
 * tree) or a page of a DMA buffer mapped with smmu_mem_map_host() (owned by
 * the buffer).  Reads of an empty slot return zero.  A memory built with
 * smmu_mem_new_ops() has no tree: every access goes to the callbacks.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mem_internal.h"

#define RADIX_BITS 10u
#define RADIX_FANOUT (1u << RADIX_BITS)
#define RADIX_LEVELS 4u
#define SLOT_OWNED ((uintptr_t)1) /* low pointer bit: page owned by tree */

struct radix_node {
	_Atomic(uintptr_t) slot[RADIX_FANOUT];
};

struct smmu_mem {
	struct radix_node root;
	const struct smmu_mem_ops *ops;
	void *opaque;
};

struct smmu_mem *smmu_mem_new(void)
{
	return calloc(1, sizeof(struct smmu_mem));
}

struct smmu_mem *smmu_mem_new_ops(const struct smmu_mem_ops *ops, void *opaque)
{
	struct smmu_mem *mem;

	if (!ops || !ops->read || !ops->write) {
		errno = EINVAL;
		return NULL;
	}
	mem = smmu_mem_new();
	if (mem) {
		mem->ops = ops;
		mem->opaque = opaque;
	}
	return mem;
}

bool smmu_mem_is_callback(const struct smmu_mem *mem)
{
	return mem->ops != NULL;
}

static unsigned radix_index(uint64_t pfn, unsigned level)
{
	return (unsigned)(pfn >> (RADIX_BITS * (RADIX_LEVELS - 1 - level))) &
	       (RADIX_FANOUT - 1);
}

static void free_node(struct radix_node *node, unsigned level)
{
	for (unsigned i = 0; i < RADIX_FANOUT; i++) {
		uintptr_t v = atomic_load_explicit(&node->slot[i], memory_order_relaxed);

		if (!v)
			continue;
		if (level + 1 < RADIX_LEVELS) {
			free_node((struct radix_node *)v, level + 1);
			free((void *)v);
		} else if (v & SLOT_OWNED) {
			free((void *)(v & ~SLOT_OWNED));
		}
	}
}

void smmu_mem_free(struct smmu_mem *mem)
{
	if (!mem)
		return;
	free_node(&mem->root, 0);
	free(mem);
}

/* Install a fresh zeroed block in *slot unless someone else did first. */
static uintptr_t slot_fill(_Atomic(uintptr_t) *slot, size_t size, uintptr_t tag)
{
	uintptr_t expected = 0;
	void *fresh = aligned_alloc(SMMU_MEM_PAGE_SIZE, size);

	if (!fresh)
		return 0;
	memset(fresh, 0, size);
	if (atomic_compare_exchange_strong_explicit(slot, &expected,
						    (uintptr_t)fresh | tag,
						    memory_order_acq_rel,
						    memory_order_acquire))
		return (uintptr_t)fresh | tag;
	free(fresh);
	return expected;
}

/*
 * The leaf slot for pfn, or NULL if absent and !create (or on OOM; the
 * caller tells the two apart by create).
 */
static _Atomic(uintptr_t) *leaf_slot(struct smmu_mem *mem, uint64_t pfn, bool create)
{
	struct radix_node *node = &mem->root;

	for (unsigned level = 0; level + 1 < RADIX_LEVELS; level++) {
		_Atomic(uintptr_t) *slot = &node->slot[radix_index(pfn, level)];
		uintptr_t v = atomic_load_explicit(slot, memory_order_acquire);

		if (!v) {
			if (!create)
				return NULL;
			v = slot_fill(slot, sizeof(struct radix_node), 0);
			if (!v)
				return NULL;
		}
		node = (struct radix_node *)v;
	}
	return &node->slot[radix_index(pfn, RADIX_LEVELS - 1)];
}

/* Host address of the page holding pa, allocating it if create. */
static uint8_t *page_of(struct smmu_mem *mem, uint64_t pa, bool create)
{
	_Atomic(uintptr_t) *slot = leaf_slot(mem, pa >> SMMU_MEM_PAGE_SHIFT, create);
	uintptr_t v;

	if (!slot)
		return NULL;
	v = atomic_load_explicit(slot, memory_order_acquire);
	if (!v && create)
		v = slot_fill(slot, SMMU_MEM_PAGE_SIZE, SLOT_OWNED);
	return (uint8_t *)(v & ~SLOT_OWNED);
}

static bool range_ok(uint64_t pa, size_t len)
{
	return pa < SMMU_PA_LIMIT && len <= SMMU_PA_LIMIT - pa;
}

int smmu_mem_read(struct smmu_mem *mem, uint64_t pa, void *buf, size_t len)
{
	uint8_t *out = buf;

	if (!mem || (!buf && len))
		return -EINVAL;
	if (!range_ok(pa, len))
		return -EFAULT;
	if (mem->ops)
		return mem->ops->read(mem->opaque, pa, buf, len);
	while (len) {
		size_t off = pa & (SMMU_MEM_PAGE_SIZE - 1);
		size_t chunk = SMMU_MEM_PAGE_SIZE - off;
		const uint8_t *page = page_of(mem, pa, false);

		if (chunk > len)
			chunk = len;
		if (page)
			memcpy(out, page + off, chunk);
		else
			memset(out, 0, chunk);
		out += chunk;
		pa += chunk;
		len -= chunk;
	}
	return 0;
}

int smmu_mem_write(struct smmu_mem *mem, uint64_t pa, const void *buf, size_t len)
{
	const uint8_t *in = buf;

	if (!mem || (!buf && len))
		return -EINVAL;
	if (!range_ok(pa, len))
		return -EFAULT;
	if (mem->ops)
		return mem->ops->write(mem->opaque, pa, buf, len);
	while (len) {
		size_t off = pa & (SMMU_MEM_PAGE_SIZE - 1);
		size_t chunk = SMMU_MEM_PAGE_SIZE - off;
		uint8_t *page = page_of(mem, pa, true);

		if (!page)
			return -ENOMEM;
		if (chunk > len)
			chunk = len;
		memcpy(page + off, in, chunk);
		in += chunk;
		pa += chunk;
		len -= chunk;
	}
	return 0;
}

/* Aligned word access shared by the 32- and 64-bit forms. */
static int word_check(struct smmu_mem *mem, uint64_t pa, size_t size)
{
	if (!mem || (pa & (size - 1)))
		return -EINVAL;
	return range_ok(pa, size) ? 0 : -EFAULT;
}

int smmu_mem_read64(struct smmu_mem *mem, uint64_t pa, uint64_t *val)
{
	int ret = word_check(mem, pa, sizeof(*val));
	const uint8_t *page;

	if (ret || !val)
		return ret ? ret : -EINVAL;
	if (mem->ops)
		return mem->ops->read(mem->opaque, pa, val, sizeof(*val));
	page = page_of(mem, pa, false);
	*val = page ? atomic_load_explicit((_Atomic uint64_t *)(page + (pa & (SMMU_MEM_PAGE_SIZE - 1))),
					   memory_order_acquire)
		    : 0;
	return 0;
}

int smmu_mem_write64(struct smmu_mem *mem, uint64_t pa, uint64_t val)
{
	int ret = word_check(mem, pa, sizeof(val));
	uint8_t *page;

	if (ret)
		return ret;
	if (mem->ops)
		return mem->ops->write(mem->opaque, pa, &val, sizeof(val));
	page = page_of(mem, pa, true);
	if (!page)
		return -ENOMEM;
	atomic_store_explicit((_Atomic uint64_t *)(page + (pa & (SMMU_MEM_PAGE_SIZE - 1))),
			      val, memory_order_release);
	return 0;
}

int smmu_mem_read32(struct smmu_mem *mem, uint64_t pa, uint32_t *val)
{
	int ret = word_check(mem, pa, sizeof(*val));
	const uint8_t *page;

	if (ret || !val)
		return ret ? ret : -EINVAL;
	if (mem->ops)
		return mem->ops->read(mem->opaque, pa, val, sizeof(*val));
	page = page_of(mem, pa, false);
	*val = page ? atomic_load_explicit((_Atomic uint32_t *)(page + (pa & (SMMU_MEM_PAGE_SIZE - 1))),
					   memory_order_acquire)
		    : 0;
	return 0;
}

int smmu_mem_write32(struct smmu_mem *mem, uint64_t pa, uint32_t val)
{
	int ret = word_check(mem, pa, sizeof(val));
	uint8_t *page;

	if (ret)
		return ret;
	if (mem->ops)
		return mem->ops->write(mem->opaque, pa, &val, sizeof(val));
	page = page_of(mem, pa, true);
	if (!page)
		return -ENOMEM;
	atomic_store_explicit((_Atomic uint32_t *)(page + (pa & (SMMU_MEM_PAGE_SIZE - 1))),
			      val, memory_order_release);
	return 0;
}

void *smmu_mem_host_ptr(struct smmu_mem *mem, uint64_t pa, size_t len)
{
	uint8_t *first;

	if (!mem || mem->ops || !len || !range_ok(pa, len))
		return NULL;
	first = page_of(mem, pa, false);
	if (!first)
		return NULL;
	/* Contiguous only if every page maps to the next host page. */
	for (uint64_t p = (pa & ~(SMMU_MEM_PAGE_SIZE - 1)) + SMMU_MEM_PAGE_SIZE;
	     p < pa + len; p += SMMU_MEM_PAGE_SIZE) {
		_Atomic(uintptr_t) *slot = leaf_slot(mem, p >> SMMU_MEM_PAGE_SHIFT, false);
		uintptr_t v = slot ? atomic_load_explicit(slot, memory_order_acquire) : 0;

		if (!v || (v & SLOT_OWNED) ||
		    (uint8_t *)v != first + (p - (pa & ~(SMMU_MEM_PAGE_SIZE - 1))))
			return NULL;
	}
	return first + (pa & (SMMU_MEM_PAGE_SIZE - 1));
}

int smmu_mem_map_host(struct smmu_mem *mem, uint64_t pa, void *host, size_t len)
{
	uint64_t npages = len >> SMMU_MEM_PAGE_SHIFT;

	if (!mem || mem->ops || !host || !len ||
	    ((pa | len | (uintptr_t)host) & (SMMU_MEM_PAGE_SIZE - 1)))
		return -EINVAL;
	if (!range_ok(pa, len))
		return -EFAULT;
	for (uint64_t i = 0; i < npages; i++) {
		_Atomic(uintptr_t) *slot =
			leaf_slot(mem, (pa >> SMMU_MEM_PAGE_SHIFT) + i, true);
		uintptr_t old;

		if (!slot) {
			smmu_mem_unmap_host(mem, pa, i << SMMU_MEM_PAGE_SHIFT);
			return -ENOMEM;
		}
		old = atomic_exchange_explicit(slot,
					       (uintptr_t)host + (i << SMMU_MEM_PAGE_SHIFT),
					       memory_order_acq_rel);
		if (old & SLOT_OWNED)
			free((void *)(old & ~SLOT_OWNED));
	}
	return 0;
}

void smmu_mem_unmap_host(struct smmu_mem *mem, uint64_t pa, size_t len)
{
	for (uint64_t off = 0; off < len; off += SMMU_MEM_PAGE_SIZE) {
		_Atomic(uintptr_t) *slot =
			leaf_slot(mem, (pa + off) >> SMMU_MEM_PAGE_SHIFT, false);

		if (slot)
			atomic_store_explicit(slot, 0, memory_order_release);
	}
}

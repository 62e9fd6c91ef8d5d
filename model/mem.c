/*
 * Simulated physical memory: a sparse 52-bit space of 4 KiB pages.
 *
 * Concepts: page frames hang off a four-level radix tree indexed by
 * PA[51:12] (10 bits per level).  Every slot is an atomic pointer, so
 * lookups take no lock and concurrent writers race only on a
 * compare-and-swap that installs a missing node or page.  A slot points at
 * host bytes: either a page allocated lazily on first write (owned by the
 * tree) or a page of a DMA buffer mapped with smmu_mem_map_host() (owned by
 * the buffer).  Reads of an empty slot return zero.  A lazily allocated
 * page that a DMA buffer replaces is retired, not freed, until the memory
 * is freed: a reader on another thread may still hold its address.  A
 * memory built with smmu_mem_new_ops() has no tree: every access goes to
 * the callbacks.
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

/* A page replaced by a DMA mapping, kept until smmu_mem_free(). */
struct retired_page {
	struct retired_page *next;
	void *page;
};

struct smmu_mem {
	struct radix_node root;
	struct smmu_mem_ops ops; /* read == NULL: the radix tree holds memory */
	void *opaque;
	_Atomic(struct retired_page *) retired;
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
		mem->ops = *ops;
		mem->opaque = opaque;
	}
	return mem;
}

bool smmu_mem_is_callback(const struct smmu_mem *mem)
{
	return mem->ops.read != NULL;
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

static void free_retired(struct smmu_mem *mem)
{
	struct retired_page *r = atomic_load_explicit(&mem->retired, memory_order_acquire);

	while (r) {
		struct retired_page *next = r->next;

		free(r->page);
		free(r);
		r = next;
	}
}

void smmu_mem_free(struct smmu_mem *mem)
{
	if (!mem)
		return;
	free_node(&mem->root, 0);
	free_retired(mem);
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

static size_t page_offset(uint64_t pa)
{
	return (size_t)(pa & (SMMU_MEM_PAGE_SIZE - 1));
}

/* Bytes of [pa, pa + len) that lie in pa's page. */
static size_t page_chunk(uint64_t pa, size_t len)
{
	size_t room = (size_t)SMMU_MEM_PAGE_SIZE - page_offset(pa);

	return len < room ? len : room;
}

static void tree_read(struct smmu_mem *mem, uint64_t pa, uint8_t *out, size_t len)
{
	while (len) {
		size_t chunk = page_chunk(pa, len);
		const uint8_t *page = page_of(mem, pa, false);

		if (page)
			memcpy(out, page + page_offset(pa), chunk);
		else
			memset(out, 0, chunk);
		out += chunk;
		pa += chunk;
		len -= chunk;
	}
}

/* Allocate every page of the range first, so a write never half-applies. */
static int tree_populate(struct smmu_mem *mem, uint64_t pa, size_t len)
{
	uint64_t end = pa + len;

	for (uint64_t p = pa; p < end; p += page_chunk(p, end - p))
		if (!page_of(mem, p, true))
			return -ENOMEM;
	return 0;
}

static int tree_write(struct smmu_mem *mem, uint64_t pa, const uint8_t *in, size_t len)
{
	int ret = tree_populate(mem, pa, len);

	while (!ret && len) {
		size_t chunk = page_chunk(pa, len);
		uint8_t *page = page_of(mem, pa, true);

		if (!page)
			return -ENOMEM; /* a DMA buffer freed meanwhile, then OOM */
		memcpy(page + page_offset(pa), in, chunk);
		in += chunk;
		pa += chunk;
		len -= chunk;
	}
	return ret;
}

int smmu_mem_read(struct smmu_mem *mem, uint64_t pa, void *buf, size_t len)
{
	if (!mem || (!buf && len))
		return -EINVAL;
	if (!range_ok(pa, len))
		return -EFAULT;
	if (smmu_mem_is_callback(mem))
		return mem->ops.read(mem->opaque, pa, buf, len);
	tree_read(mem, pa, buf, len);
	return 0;
}

int smmu_mem_write(struct smmu_mem *mem, uint64_t pa, const void *buf, size_t len)
{
	if (!mem || (!buf && len))
		return -EINVAL;
	if (!range_ok(pa, len))
		return -EFAULT;
	if (smmu_mem_is_callback(mem))
		return mem->ops.write(mem->opaque, pa, buf, len);
	return tree_write(mem, pa, buf, len);
}

/* Checks shared by the aligned word accessors: -EINVAL, -EFAULT or 0. */
static int word_check(struct smmu_mem *mem, uint64_t pa, size_t size, const void *val)
{
	if (!mem || !val || (pa & (size - 1)))
		return -EINVAL;
	return range_ok(pa, size) ? 0 : -EFAULT;
}

/* One single-copy-atomic load of size 4 or 8 bytes into *val. */
static int word_read(struct smmu_mem *mem, uint64_t pa, void *val, size_t size)
{
	int ret = word_check(mem, pa, size, val);
	uint8_t *page;

	if (ret)
		return ret;
	if (smmu_mem_is_callback(mem))
		return mem->ops.read(mem->opaque, pa, val, size);
	page = page_of(mem, pa, false);
	if (size == sizeof(uint64_t))
		*(uint64_t *)val = page ? atomic_load_explicit(
			(_Atomic uint64_t *)(void *)(page + page_offset(pa)),
			memory_order_acquire) : 0;
	else
		*(uint32_t *)val = page ? atomic_load_explicit(
			(_Atomic uint32_t *)(void *)(page + page_offset(pa)),
			memory_order_acquire) : 0;
	return 0;
}

/* One single-copy-atomic store of size 4 or 8 bytes from *val. */
static int word_write(struct smmu_mem *mem, uint64_t pa, const void *val, size_t size)
{
	int ret = word_check(mem, pa, size, val);
	uint8_t *page;

	if (ret)
		return ret;
	if (smmu_mem_is_callback(mem))
		return mem->ops.write(mem->opaque, pa, val, size);
	page = page_of(mem, pa, true);
	if (!page)
		return -ENOMEM;
	if (size == sizeof(uint64_t))
		atomic_store_explicit((_Atomic uint64_t *)(void *)(page + page_offset(pa)),
				      *(const uint64_t *)val, memory_order_release);
	else
		atomic_store_explicit((_Atomic uint32_t *)(void *)(page + page_offset(pa)),
				      *(const uint32_t *)val, memory_order_release);
	return 0;
}

int smmu_mem_read64(struct smmu_mem *mem, uint64_t pa, uint64_t *val)
{
	return word_read(mem, pa, val, sizeof(*val));
}

int smmu_mem_write64(struct smmu_mem *mem, uint64_t pa, uint64_t val)
{
	return word_write(mem, pa, &val, sizeof(val));
}

int smmu_mem_read32(struct smmu_mem *mem, uint64_t pa, uint32_t *val)
{
	return word_read(mem, pa, val, sizeof(*val));
}

int smmu_mem_write32(struct smmu_mem *mem, uint64_t pa, uint32_t val)
{
	return word_write(mem, pa, &val, sizeof(val));
}

/* The slot value of pa's page, 0 when absent. */
static uintptr_t slot_value(struct smmu_mem *mem, uint64_t pa)
{
	_Atomic(uintptr_t) *slot = leaf_slot(mem, pa >> SMMU_MEM_PAGE_SHIFT, false);

	return slot ? atomic_load_explicit(slot, memory_order_acquire) : 0;
}

void *smmu_mem_host_ptr(struct smmu_mem *mem, uint64_t pa, size_t len)
{
	uint64_t first_page = pa & ~(SMMU_MEM_PAGE_SIZE - 1);
	uintptr_t first;

	if (!mem || smmu_mem_is_callback(mem) || !len || !range_ok(pa, len))
		return NULL;
	/*
	 * Only DMA-mapped pages qualify: a lazily allocated page may be
	 * replaced (and retired) by a later mapping, leaving the caller a
	 * pointer that no longer aliases the simulated memory.
	 */
	first = slot_value(mem, first_page);
	if (!first || (first & SLOT_OWNED))
		return NULL;
	for (uint64_t p = first_page + SMMU_MEM_PAGE_SIZE; p < pa + len;
	     p += SMMU_MEM_PAGE_SIZE)
		if (slot_value(mem, p) != first + (p - first_page))
			return NULL;
	return (uint8_t *)first + page_offset(pa);
}

/*
 * Point slot at host, retiring an owned page it held (a concurrent reader
 * may still be copying from it).  0 or -ENOMEM.
 */
static int slot_map(struct smmu_mem *mem, _Atomic(uintptr_t) *slot, uintptr_t host)
{
	uintptr_t old = atomic_load_explicit(slot, memory_order_acquire);
	struct retired_page *r = NULL;

	for (;;) {
		if ((old & SLOT_OWNED) && !r) {
			r = malloc(sizeof(*r));
			if (!r)
				return -ENOMEM;
		}
		if (atomic_compare_exchange_weak_explicit(slot, &old, host,
							  memory_order_acq_rel,
							  memory_order_acquire))
			break;
	}
	if (!(old & SLOT_OWNED)) {
		free(r);
		return 0;
	}
	r->page = (void *)(old & ~SLOT_OWNED);
	r->next = atomic_load_explicit(&mem->retired, memory_order_relaxed);
	while (!atomic_compare_exchange_weak_explicit(&mem->retired, &r->next, r,
						      memory_order_release,
						      memory_order_relaxed))
		;
	return 0;
}

int smmu_mem_map_host(struct smmu_mem *mem, uint64_t pa, void *host, size_t len)
{
	if (!mem || smmu_mem_is_callback(mem) || !host || !len ||
	    ((pa | len | (uintptr_t)host) & (SMMU_MEM_PAGE_SIZE - 1)))
		return -EINVAL;
	if (!range_ok(pa, len))
		return -EFAULT;
	for (size_t off = 0; off < len; off += SMMU_MEM_PAGE_SIZE) {
		_Atomic(uintptr_t) *slot =
			leaf_slot(mem, (pa + off) >> SMMU_MEM_PAGE_SHIFT, true);

		if (!slot || slot_map(mem, slot, (uintptr_t)host + off)) {
			smmu_mem_unmap_host(mem, pa, off);
			return -ENOMEM;
		}
	}
	return 0;
}

void smmu_mem_unmap_host(struct smmu_mem *mem, uint64_t pa, size_t len)
{
	for (size_t off = 0; off < len; off += SMMU_MEM_PAGE_SIZE) {
		_Atomic(uintptr_t) *slot =
			leaf_slot(mem, (pa + off) >> SMMU_MEM_PAGE_SHIFT, false);

		if (slot)
			atomic_store_explicit(slot, 0, memory_order_release);
	}
}

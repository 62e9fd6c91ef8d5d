/*
 * DMA allocator: host-contiguous buffers placed in a window of simulated
 * physical memory.
 *
 * Concepts: each buffer is page-rounded host memory mapped into the window
 * at a bus address aligned to the caller's alignment (so queues and tables
 * get the natural alignment the architecture demands).  Live buffers sit in
 * a red-black tree keyed by bus address; placement is next-fit from a
 * cursor that wraps once to the window's start, so steady alloc/free
 * churn stays cheap.  A mutex makes it thread-safe.
 */
#include <bsd/sys/tree.h>
#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <smmu/bits.h>

#include "mem_internal.h"

struct dma_buf {
	RB_ENTRY(dma_buf) node;
	uint64_t bus;
	uint64_t size; /* page-rounded */
	void *host;
};

static int dma_buf_cmp(const struct dma_buf *a, const struct dma_buf *b)
{
	return a->bus < b->bus ? -1 : a->bus > b->bus;
}

RB_HEAD(dma_tree, dma_buf);
RB_GENERATE_INTERNAL(dma_tree, dma_buf, node, dma_buf_cmp, static __attribute__((unused)))

struct smmu_dma {
	struct smmu_mem *mem;
	uint64_t base, end;
	uint64_t cursor;
	struct dma_tree live;
	pthread_mutex_t lock;
};

struct smmu_dma *smmu_dma_new(struct smmu_mem *mem, uint64_t base, uint64_t size)
{
	struct smmu_dma *dma;

	if (!mem || !size || ((base | size) & (SMMU_MEM_PAGE_SIZE - 1)) ||
	    base >= SMMU_PA_LIMIT || size > SMMU_PA_LIMIT - base ||
	    smmu_mem_is_callback(mem)) {
		errno = EINVAL;
		return NULL;
	}
	dma = calloc(1, sizeof(*dma));
	if (!dma) {
		errno = ENOMEM;
		return NULL;
	}
	dma->mem = mem;
	dma->base = base;
	dma->end = base + size;
	dma->cursor = base;
	RB_INIT(&dma->live);
	pthread_mutex_init(&dma->lock, NULL);
	return dma;
}

static void dma_buf_release(struct smmu_dma *dma, struct dma_buf *buf)
{
	RB_REMOVE(dma_tree, &dma->live, buf);
	smmu_mem_unmap_host(dma->mem, buf->bus, buf->size);
	free(buf->host);
	free(buf);
}

void smmu_dma_free_all(struct smmu_dma *dma)
{
	struct dma_buf *buf, *next;

	if (!dma)
		return;
	RB_FOREACH_SAFE(buf, dma_tree, &dma->live, next)
		dma_buf_release(dma, buf);
	pthread_mutex_destroy(&dma->lock);
	free(dma);
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

/* First free aligned gap of size bytes in [from, limit) into *where. */
static bool find_gap(struct smmu_dma *dma, uint64_t from, uint64_t limit,
		     uint64_t size, uint64_t align, uint64_t *where)
{
	uint64_t cand = align_up(from, align);

	while (cand >= from && cand < limit && size <= limit - cand) {
		struct dma_buf key = { .bus = cand };
		struct dma_buf *next = RB_NFIND(dma_tree, &dma->live, &key);
		struct dma_buf *prev = next ? RB_PREV(dma_tree, &dma->live, next)
					    : RB_MAX(dma_tree, &dma->live);

		if (prev && prev->bus + prev->size > cand)
			cand = align_up(prev->bus + prev->size, align);
		else if (next && cand + size > next->bus)
			cand = align_up(next->bus + next->size, align);
		else {
			*where = cand;
			return true;
		}
	}
	return false;
}

int smmu_dma_alloc(struct smmu_dma *dma, size_t size, size_t align, void **cpu,
		   uint64_t *bus)
{
	struct dma_buf *buf;
	uint64_t where;
	int ret;

	if (!dma || !cpu || !bus || !size || (align && !smmu_is_pow2(align)))
		return -EINVAL;
	/* Check before rounding up: a size near SIZE_MAX would wrap to 0. */
	if (size > dma->end - dma->base)
		return -ENOMEM;
	if (align < SMMU_MEM_PAGE_SIZE)
		align = SMMU_MEM_PAGE_SIZE;
	size = align_up(size, SMMU_MEM_PAGE_SIZE);
	buf = calloc(1, sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	buf->size = size;
	buf->host = aligned_alloc(SMMU_MEM_PAGE_SIZE, size);
	if (!buf->host) {
		free(buf);
		return -ENOMEM;
	}
	memset(buf->host, 0, size);

	pthread_mutex_lock(&dma->lock);
	if (find_gap(dma, dma->cursor, dma->end, size, align, &where) ||
	    find_gap(dma, dma->base, dma->end, size, align, &where))
		ret = smmu_mem_map_host(dma->mem, where, buf->host, size);
	else
		ret = -ENOMEM;
	if (!ret) {
		buf->bus = where;
		RB_INSERT(dma_tree, &dma->live, buf);
		dma->cursor = where + size;
	}
	pthread_mutex_unlock(&dma->lock);
	if (ret) {
		free(buf->host);
		free(buf);
		return ret;
	}
	*cpu = buf->host;
	*bus = buf->bus;
	return 0;
}

int smmu_dma_free(struct smmu_dma *dma, uint64_t bus)
{
	struct dma_buf key = { .bus = bus };
	struct dma_buf *buf;

	if (!dma)
		return -EINVAL;
	pthread_mutex_lock(&dma->lock);
	buf = RB_FIND(dma_tree, &dma->live, &key);
	if (buf)
		dma_buf_release(dma, buf);
	pthread_mutex_unlock(&dma->lock);
	return buf ? 0 : -EINVAL;
}

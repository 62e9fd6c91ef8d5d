/*
 * ID map: two-level bitmap with a next-fit hint, plus an ID -> pointer
 * table (see idmap.h).
 *
 * Concepts: bit i of words[] is set when ID min + i is used; bits past the
 * end of the range are set at creation so they are never handed out.  Bit
 * w of full[] is set when words[w] has no free bit (again pre-set past the
 * last word).  A search from the hint looks at the hint's word first, then
 * asks full[] for the next word with room, wrapping once to the bottom of
 * the requested range: for a 16-bit space that is at most 16 summary
 * words, whatever the occupancy.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "idmap.h"

#define WORD_BITS 64u
#define ALL_ONES (~UINT64_C(0))

struct smmu_idmap {
	pthread_mutex_t lock;
	uint32_t min, span;
	uint32_t count;
	uint32_t hint;          /* index to search from */
	uint32_t nwords, nfull;
	uint64_t *words;
	uint64_t *full;
	void **ptrs;
};

static uint32_t div_round_up(uint32_t n, uint32_t d)
{
	return n / d + (n % d != 0);
}

/* Set bits [from, WORD_BITS * nwords) of a bitmap. */
static void bitmap_set_tail(uint64_t *bm, uint32_t nwords, uint32_t from)
{
	if (from % WORD_BITS)
		bm[from / WORD_BITS] |= ALL_ONES << (from % WORD_BITS);
	for (uint32_t w = div_round_up(from, WORD_BITS); w < nwords; w++)
		bm[w] = ALL_ONES;
}

static void idmap_mark_full_words(struct smmu_idmap *map)
{
	for (uint32_t w = 0; w < map->nwords; w++)
		if (map->words[w] == ALL_ONES)
			map->full[w / WORD_BITS] |= UINT64_C(1) << (w % WORD_BITS);
}

int smmu_idmap_create(uint32_t min, uint32_t max, struct smmu_idmap **out)
{
	struct smmu_idmap *map;

	if (!out || min == 0 || min > max || max - min >= SMMU_IDMAP_MAX_SPAN)
		return -EINVAL;
	map = calloc(1, sizeof(*map));
	if (!map)
		return -ENOMEM;
	map->min = min;
	map->span = max - min + 1;
	map->nwords = div_round_up(map->span, WORD_BITS);
	map->nfull = div_round_up(map->nwords, WORD_BITS);
	map->words = calloc(map->nwords, sizeof(*map->words));
	map->full = calloc(map->nfull, sizeof(*map->full));
	map->ptrs = calloc(map->span, sizeof(*map->ptrs));
	if (!map->words || !map->full || !map->ptrs ||
	    pthread_mutex_init(&map->lock, NULL)) {
		free(map->words);
		free(map->full);
		free(map->ptrs);
		free(map);
		return -ENOMEM;
	}
	bitmap_set_tail(map->words, map->nwords, map->span);
	bitmap_set_tail(map->full, map->nfull, map->nwords);
	idmap_mark_full_words(map);
	*out = map;
	return 0;
}

void smmu_idmap_destroy(struct smmu_idmap *map)
{
	if (!map)
		return;
	pthread_mutex_destroy(&map->lock);
	free(map->words);
	free(map->full);
	free(map->ptrs);
	free(map);
}

/*
 * First word index in [from, last] with a free bit, or UINT32_MAX: the
 * summary bitmap skips full words 64 at a time.
 */
static uint32_t idmap_next_open_word(const struct smmu_idmap *map, uint32_t from,
				     uint32_t last)
{
	uint32_t s = from / WORD_BITS;
	uint64_t open;

	if (from > last)
		return UINT32_MAX;
	open = ~map->full[s] & (ALL_ONES << (from % WORD_BITS));
	while (!open && s < last / WORD_BITS)
		open = ~map->full[++s];
	if (!open || s * WORD_BITS + (uint32_t)__builtin_ctzll(open) > last)
		return UINT32_MAX;
	return s * WORD_BITS + (uint32_t)__builtin_ctzll(open);
}

/* First free index in [from, last], or UINT32_MAX. */
static uint32_t idmap_find_free_in(const struct smmu_idmap *map, uint32_t from,
				   uint32_t last)
{
	uint32_t w = from / WORD_BITS, idx;
	uint64_t avail = ~map->words[w] & (ALL_ONES << (from % WORD_BITS));

	if (!avail) {
		w = idmap_next_open_word(map, w + 1, last / WORD_BITS);
		if (w == UINT32_MAX)
			return UINT32_MAX;
		avail = ~map->words[w];
	}
	idx = w * WORD_BITS + (uint32_t)__builtin_ctzll(avail);
	return idx <= last ? idx : UINT32_MAX;
}

/* Next fit inside [lo, hi]: from the hint (if inside) to hi, then from lo. */
static uint32_t idmap_find_free(const struct smmu_idmap *map, uint32_t lo,
				uint32_t hi)
{
	uint32_t start = map->hint >= lo && map->hint <= hi ? map->hint : lo;
	uint32_t idx = idmap_find_free_in(map, start, hi);

	if (idx == UINT32_MAX && start > lo)
		idx = idmap_find_free_in(map, lo, start - 1);
	return idx;
}

static bool idmap_is_used(const struct smmu_idmap *map, uint32_t idx)
{
	return map->words[idx / WORD_BITS] & (UINT64_C(1) << (idx % WORD_BITS));
}

static void idmap_take(struct smmu_idmap *map, uint32_t idx, void *ptr)
{
	uint32_t w = idx / WORD_BITS;

	map->words[w] |= UINT64_C(1) << (idx % WORD_BITS);
	if (map->words[w] == ALL_ONES)
		map->full[w / WORD_BITS] |= UINT64_C(1) << (w % WORD_BITS);
	map->ptrs[idx] = ptr;
	map->count++;
}

/* Allocate in [lo, hi] next fit (moving the hint) or lowest first. */
static int idmap_alloc_in(struct smmu_idmap *map, void *ptr, uint32_t lo,
			  uint32_t hi, bool lowest, uint32_t *id)
{
	uint32_t idx;

	if (!map || !id || lo > hi || lo < map->min || hi - map->min >= map->span)
		return -EINVAL;
	pthread_mutex_lock(&map->lock);
	idx = lowest ? idmap_find_free_in(map, lo - map->min, hi - map->min)
		     : idmap_find_free(map, lo - map->min, hi - map->min);
	if (idx == UINT32_MAX) {
		pthread_mutex_unlock(&map->lock);
		return -ENOSPC;
	}
	idmap_take(map, idx, ptr);
	if (!lowest)
		map->hint = idx + 1 == map->span ? 0 : idx + 1;
	pthread_mutex_unlock(&map->lock);
	*id = map->min + idx;
	return 0;
}

int smmu_idmap_alloc_range(struct smmu_idmap *map, void *ptr, uint32_t lo,
			   uint32_t hi, uint32_t *id)
{
	return idmap_alloc_in(map, ptr, lo, hi, false, id);
}

int smmu_idmap_alloc_lowest(struct smmu_idmap *map, void *ptr, uint32_t lo,
			    uint32_t hi, uint32_t *id)
{
	return idmap_alloc_in(map, ptr, lo, hi, true, id);
}

int smmu_idmap_alloc(struct smmu_idmap *map, void *ptr, uint32_t *id)
{
	if (!map)
		return -EINVAL;
	return smmu_idmap_alloc_range(map, ptr, map->min, map->min + map->span - 1, id);
}

static bool idmap_in_range(const struct smmu_idmap *map, uint32_t id)
{
	return id >= map->min && id - map->min < map->span;
}

int smmu_idmap_alloc_specific(struct smmu_idmap *map, uint32_t id, void *ptr)
{
	int ret = 0;

	if (!map || !idmap_in_range(map, id))
		return -EINVAL;
	pthread_mutex_lock(&map->lock);
	if (idmap_is_used(map, id - map->min))
		ret = -EBUSY;
	else
		idmap_take(map, id - map->min, ptr);
	pthread_mutex_unlock(&map->lock);
	return ret;
}

int smmu_idmap_release(struct smmu_idmap *map, uint32_t id)
{
	uint32_t idx, w;

	if (!map || !idmap_in_range(map, id))
		return -EINVAL;
	idx = id - map->min;
	w = idx / WORD_BITS;
	pthread_mutex_lock(&map->lock);
	if (!idmap_is_used(map, idx)) {
		pthread_mutex_unlock(&map->lock);
		return -EINVAL;
	}
	map->words[w] &= ~(UINT64_C(1) << (idx % WORD_BITS));
	map->full[w / WORD_BITS] &= ~(UINT64_C(1) << (w % WORD_BITS));
	map->ptrs[idx] = NULL;
	map->count--;
	pthread_mutex_unlock(&map->lock);
	return 0;
}

void *smmu_idmap_lookup(struct smmu_idmap *map, uint32_t id)
{
	void *ptr;

	if (!map || !idmap_in_range(map, id))
		return NULL;
	pthread_mutex_lock(&map->lock);
	ptr = map->ptrs[id - map->min];
	pthread_mutex_unlock(&map->lock);
	return ptr;
}

uint32_t smmu_idmap_count(struct smmu_idmap *map)
{
	uint32_t n;

	if (!map)
		return 0;
	pthread_mutex_lock(&map->lock);
	n = map->count;
	pthread_mutex_unlock(&map->lock);
	return n;
}

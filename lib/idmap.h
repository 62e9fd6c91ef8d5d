/*
 * A small, fast ID allocator that also maps each ID to a pointer.
 *
 * Concepts: IOTLB cache tags come from bounded ID spaces (ASIDs in
 * [1, 2^asid_bits - 1], VMIDs in [1, 2^vmid_bits - 1]; 0 is reserved and
 * is never a valid minimum).  The map hands out the next free ID after the
 * last one it allocated (next fit), so a just-freed tag is not reused at
 * once, and remembers a pointer per ID (ASID -> domain).  Used IDs are a
 * bitmap of 64-bit words; a second-level bitmap marks the full words, so
 * finding a free ID costs a handful of word scans even when the space is
 * 99% used.  Every call takes the map's own mutex: tags are allocated under
 * the driver's attach lock, but lookups also come from event handlers, and
 * an internal lock keeps the map correct whoever calls.
 */
#ifndef SMMU_LIB_IDMAP_H
#define SMMU_LIB_IDMAP_H

#include <stdint.h>

struct smmu_idmap;

/* Largest span max - min + 1 a map accepts. */
#define SMMU_IDMAP_MAX_SPAN (UINT32_C(1) << 20)

/* 0, or -EINVAL (min 0, min > max, span too large) or -ENOMEM. */
int smmu_idmap_create(uint32_t min, uint32_t max, struct smmu_idmap **out);
void smmu_idmap_destroy(struct smmu_idmap *map);

/* Next free ID after the hint, wrapping; -ENOSPC (map unchanged) if full. */
int smmu_idmap_alloc(struct smmu_idmap *map, void *ptr, uint32_t *id);
/*
 * The same inside [lo, hi] only (an SMMU with 8-bit ASIDs allocating from
 * a map shared with 16-bit ones): -EINVAL outside the map's range,
 * -ENOSPC (map unchanged) when [lo, hi] is full.
 */
int smmu_idmap_alloc_range(struct smmu_idmap *map, void *ptr, uint32_t lo,
			   uint32_t hi, uint32_t *id);
/*
 * The lowest free ID inside [lo, hi], as the kernel's xa_alloc and
 * ida_alloc_range hand out tags (a freed tag is reused at once, which is
 * what its flush-before-free rule protects); the hint is left alone.
 * Errors as smmu_idmap_alloc_range.
 */
int smmu_idmap_alloc_lowest(struct smmu_idmap *map, void *ptr, uint32_t lo,
			    uint32_t hi, uint32_t *id);
/* Claim a given ID: 0, -EINVAL (outside the range) or -EBUSY (taken). */
int smmu_idmap_alloc_specific(struct smmu_idmap *map, uint32_t id, void *ptr);
/* Release an ID: 0, or -EINVAL when it is outside the range or not in use. */
int smmu_idmap_release(struct smmu_idmap *map, uint32_t id);
/* The pointer stored with a used ID; NULL if the ID is free or invalid. */
void *smmu_idmap_lookup(struct smmu_idmap *map, uint32_t id);
/* Number of IDs in use. */
uint32_t smmu_idmap_count(struct smmu_idmap *map);

#endif /* SMMU_LIB_IDMAP_H */

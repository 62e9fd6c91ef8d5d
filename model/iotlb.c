/*
 * The simulated IOTLB: hashed leaf entries grouped by tag, clock eviction,
 * and TLBI scopes that touch only what they remove.
 *
 * Concepts: entries live in one array of the configured capacity and are
 * named by index (so an entry stays small).  Each belongs to a group: the
 * entries sharing kind, VMID and ASID-or-global.  A group records the leaf
 * sizes its entries have used, so a lookup probes the address hash once per
 * such size, first in the ASID's group and then in the global one.  A TLBI
 * becomes a scope (kinds, VMID, ASID rule, optional address range with
 * granule and level filters); a scope naming an ASID finds its groups
 * through the group hash, others check every live group, and within a
 * group a range is removed either by probing each page of each cached size
 * or by walking the group's list, whichever is shorter.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iotlb.h"
#include "walk.h"

struct iotlb_group {
	uint64_t key;            /* tag_key(); 0 when the slot is free */
	uint64_t salt;           /* spreads this group's entries in the hash */
	uint64_t sizes;          /* bit n set: entries of size 2^n were cached */
	uint32_t head;           /* first entry of the group's list */
	uint32_t count;
	uint32_t hash_next;      /* group-hash chain, or free list */
};

struct smmu_iotlb {
	struct smmu_iotlb_entry *entries;
	uint32_t *buckets;       /* address hash heads */
	uint32_t bucket_mask;
	unsigned bucket_bits;    /* log2(bucket count) */
	uint32_t capacity;
	uint32_t used;
	uint32_t free_head;      /* never-used or released entries */
	uint32_t hand;           /* clock hand */

	struct iotlb_group *groups;
	uint32_t ngroups;        /* slots allocated */
	uint32_t group_free;
	uint32_t *group_buckets;
	unsigned group_shift;
	/* The last group found for each of the two probes a lookup makes. */
	uint64_t memo_tag[2];
	uint32_t memo_group[2];

	struct smmu_iotlb_stats stats;

	struct smmu_tlbi *deferred;  /* TLBIs awaiting the next sync */
	size_t ndeferred, deferred_cap;
};

#define HASH_MUL UINT64_C(0x9e3779b97f4a7c15)
#define HASH_SALT_SHIFT 32u /* the product's best-mixed bits */
#define KEY_PRESENT SMMU_BIT(63)
#define KEY_KIND    SMMU_GENMASK(42, 40)
#define KEY_GLOBAL  SMMU_BIT(39)
#define KEY_VMID    SMMU_GENMASK(31, 16)
#define KEY_ASID    SMMU_GENMASK(15, 0)
/* The memo's raw tag: kind, VMID and ASID side by side, compared whole. */
#define RAW_VMID_SHIFT 16u
#define RAW_ASID_SHIFT 32u
#define GROUP_BUCKET_RATIO_LOG2 3u  /* one group bucket per 8 entries */
#define GROUP_GROW_MIN 16u
#define MIN_BUCKETS 16u /* keeps every hash shift below 64 */
#define HOT static inline __attribute__((always_inline))

static uint64_t tag_key(const struct smmu_iotlb_tag *tag, bool global)
{
	uint64_t key = KEY_PRESENT | SMMU_FIELD_PREP(KEY_KIND, tag->kind);

	if (tag->kind != SMMU_IOTLB_EL2)
		key |= SMMU_FIELD_PREP(KEY_VMID, tag->vmid);
	if (tag->kind == SMMU_IOTLB_S2 || global)
		return key | KEY_GLOBAL;
	return key | SMMU_FIELD_PREP(KEY_ASID, tag->asid);
}

/*
 * Neighbouring pages of a group land in neighbouring buckets, so a device
 * streaming through memory touches the index sequentially; folding the
 * page number's upper bits in keeps power-of-two strides spread out, and
 * the group's salt keeps groups apart.
 */
HOT uint32_t entry_bucket(const struct smmu_iotlb *t, uint64_t salt, uint64_t ia,
			  unsigned size_log2)
{
	uint64_t page = ia >> SMMU_GRANULE_4K_LOG2;

	return (uint32_t)((page ^ (page >> t->bucket_bits)) + salt + size_log2) &
	       t->bucket_mask;
}

static uint32_t group_bucket(const struct smmu_iotlb *t, uint64_t key)
{
	return (uint32_t)((key * HASH_MUL) >> t->group_shift);
}

static unsigned hash_shift(uint64_t buckets)
{
	return 64u - smmu_ilog2(buckets);
}

static uint64_t pow2_at_least(uint64_t n)
{
	return smmu_is_pow2(n) ? n : UINT64_C(1) << (smmu_ilog2(n) + 1);
}

/* A tag as one word, cheaper to compare than to turn into a key. */
HOT uint64_t raw_tag(const struct smmu_iotlb_tag *tag)
{
	return (uint64_t)tag->kind | (uint64_t)tag->vmid << RAW_VMID_SHIFT |
	       (uint64_t)tag->asid << RAW_ASID_SHIFT;
}

#define MEMO_NONE UINT64_MAX

static void memo_forget(struct smmu_iotlb *t)
{
	t->memo_tag[0] = t->memo_tag[1] = MEMO_NONE;
}

struct smmu_iotlb *smmu_iotlb_new(size_t capacity)
{
	struct smmu_iotlb *t;
	uint64_t nb, ngb;

	if (capacity == 0 || capacity >= SMMU_IOTLB_NONE) {
		errno = EINVAL;
		return NULL;
	}
	nb = pow2_at_least(capacity < MIN_BUCKETS ? MIN_BUCKETS : capacity);
	ngb = pow2_at_least((capacity >> GROUP_BUCKET_RATIO_LOG2) + MIN_BUCKETS);
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->entries = calloc(capacity, sizeof(*t->entries));
	t->buckets = malloc(nb * sizeof(*t->buckets));
	t->group_buckets = malloc(ngb * sizeof(*t->group_buckets));
	if (!t->entries || !t->buckets || !t->group_buckets) {
		smmu_iotlb_free(t);
		errno = ENOMEM;
		return NULL;
	}
	t->capacity = (uint32_t)capacity;
	t->bucket_bits = smmu_ilog2(nb);
	t->bucket_mask = (uint32_t)(nb - 1);
	t->group_shift = hash_shift(ngb);
	memset(t->buckets, 0xff, nb * sizeof(*t->buckets));
	memset(t->group_buckets, 0xff, ngb * sizeof(*t->group_buckets));
	for (uint32_t i = 0; i < t->capacity; i++) {
		t->entries[i].group = SMMU_IOTLB_NONE;
		t->entries[i].hash_next = i + 1 < t->capacity ? i + 1 : SMMU_IOTLB_NONE;
	}
	t->group_free = SMMU_IOTLB_NONE;
	memo_forget(t);
	return t;
}

void smmu_iotlb_free(struct smmu_iotlb *t)
{
	if (!t)
		return;
	free(t->entries);
	free(t->buckets);
	free(t->groups);
	free(t->group_buckets);
	free(t->deferred);
	free(t);
}

/* ---- groups --------------------------------------------------------- */

static uint32_t group_find(const struct smmu_iotlb *t, uint64_t key)
{
	uint32_t g = t->group_buckets[group_bucket(t, key)];

	while (g != SMMU_IOTLB_NONE && t->groups[g].key != key)
		g = t->groups[g].hash_next;
	return g;
}

size_t smmu_iotlb_count_tag(const struct smmu_iotlb *t, const struct smmu_iotlb_tag *tag)
{
	uint32_t g = group_find(t, tag_key(tag, false));

	return g == SMMU_IOTLB_NONE ? 0 : t->groups[g].count;
}

HOT uint32_t group_find_memo(struct smmu_iotlb *t, const struct smmu_iotlb_tag *tag,
			     unsigned slot)
{
	uint64_t raw = raw_tag(tag);

	if (t->memo_tag[slot] != raw) {
		t->memo_tag[slot] = raw;
		t->memo_group[slot] = group_find(t, tag_key(tag, slot));
	}
	return t->memo_group[slot];
}

static int group_grow(struct smmu_iotlb *t)
{
	uint32_t n = t->ngroups ? t->ngroups * 2 : GROUP_GROW_MIN;
	struct iotlb_group *g = realloc(t->groups, (size_t)n * sizeof(*g));

	if (!g)
		return -ENOMEM;
	for (uint32_t i = t->ngroups; i < n; i++)
		g[i] = (struct iotlb_group){
			.hash_next = i + 1 < n ? i + 1 : t->group_free,
			.head = SMMU_IOTLB_NONE,
		};
	t->group_free = t->ngroups;
	t->groups = g;
	t->ngroups = n;
	return 0;
}

static int group_get(struct smmu_iotlb *t, uint64_t key, uint32_t *out)
{
	uint32_t g = group_find(t, key), b;

	if (g == SMMU_IOTLB_NONE) {
		if (t->group_free == SMMU_IOTLB_NONE && group_grow(t))
			return -ENOMEM;
		g = t->group_free;
		t->group_free = t->groups[g].hash_next;
		b = group_bucket(t, key);
		t->groups[g] = (struct iotlb_group){
			.key = key, .head = SMMU_IOTLB_NONE, .hash_next = t->group_buckets[b],
			.salt = ((key ^ g) * HASH_MUL) >> HASH_SALT_SHIFT,
		};
		t->group_buckets[b] = g;
		memo_forget(t);
	}
	*out = g;
	return 0;
}

static void group_release(struct smmu_iotlb *t, uint32_t g)
{
	uint32_t *link = &t->group_buckets[group_bucket(t, t->groups[g].key)];

	while (*link != g)
		link = &t->groups[*link].hash_next;
	*link = t->groups[g].hash_next;
	t->groups[g].key = 0;
	t->groups[g].hash_next = t->group_free;
	t->group_free = g;
	memo_forget(t);
}

/* ---- entries -------------------------------------------------------- */

HOT uint32_t entry_find(const struct smmu_iotlb *t, uint32_t g, uint64_t ia,
			unsigned size_log2)
{
	uint32_t e = t->buckets[entry_bucket(t, t->groups[g].salt, ia, size_log2)];

	while (e != SMMU_IOTLB_NONE) {
		const struct smmu_iotlb_entry *x = &t->entries[e];
		if (x->ia == ia && x->group == g && x->size_log2 == size_log2)
			break;
		e = x->hash_next;
	}
	return e;
}

static void entry_remove(struct smmu_iotlb *t, uint32_t e)
{
	struct smmu_iotlb_entry *x = &t->entries[e];
	struct iotlb_group *grp = &t->groups[x->group];
	uint32_t *link = &t->buckets[entry_bucket(t, grp->salt, x->ia, x->size_log2)];

	while (*link != e)
		link = &t->entries[*link].hash_next;
	*link = x->hash_next;
	if (x->group_prev == SMMU_IOTLB_NONE)
		grp->head = x->group_next;
	else
		t->entries[x->group_prev].group_next = x->group_next;
	if (x->group_next != SMMU_IOTLB_NONE)
		t->entries[x->group_next].group_prev = x->group_prev;
	if (--grp->count == 0)
		group_release(t, x->group);
	x->group = SMMU_IOTLB_NONE;
	x->hash_next = t->free_head;
	t->free_head = e;
	t->used--;
}

static uint32_t entry_alloc(struct smmu_iotlb *t)
{
	uint32_t e = t->free_head;

	if (e != SMMU_IOTLB_NONE) {
		t->free_head = t->entries[e].hash_next;
		t->used++;
		return e;
	}
	/* Full: the clock hand gives recently used entries a second chance. */
	for (;;) {
		struct smmu_iotlb_entry *x = &t->entries[t->hand];
		e = t->hand;
		t->hand = t->hand + 1 < t->capacity ? t->hand + 1 : 0;
		if (!x->referenced)
			break;
		x->referenced = false;
	}
	entry_remove(t, e);
	t->stats.evictions++;
	return entry_alloc(t);
}

/* A live group has cached at least one size. */
HOT const struct smmu_iotlb_entry *group_probe(const struct smmu_iotlb *t,
					       uint32_t g, uint64_t addr)
{
	uint64_t sizes = t->groups[g].sizes;

	do {
		unsigned s = (unsigned)__builtin_ctzll(sizes);
		uint32_t e = entry_find(t, g, addr & (~UINT64_C(0) << s), s);
		if (e != SMMU_IOTLB_NONE)
			return &t->entries[e];
		sizes &= sizes - 1;
	} while (sizes);
	return NULL;
}

HOT const struct smmu_iotlb_entry *count_hit(struct smmu_iotlb *t,
					     const struct smmu_iotlb_entry *hit)
{
	((struct smmu_iotlb_entry *)hit)->referenced = true;
	t->stats.hits++;
	return hit;
}

/* The lookup's order: the tag's own group, then its global one. */
const struct smmu_iotlb_entry *smmu_iotlb_peek(struct smmu_iotlb *t,
					       const struct smmu_iotlb_tag *tag, uint64_t addr)
{
	const struct smmu_iotlb_entry *hit = NULL;
	uint32_t g;

	if (tag->kind != SMMU_IOTLB_S2) {
		g = group_find_memo(t, tag, 0);
		if (g != SMMU_IOTLB_NONE)
			hit = group_probe(t, g, addr);
	}
	if (!hit) {
		g = group_find_memo(t, tag, 1);
		if (g != SMMU_IOTLB_NONE)
			hit = group_probe(t, g, addr);
	}
	return hit;
}

/* Everything but a hit in the memoised ASID group: kept out of the hot path. */
static __attribute__((noinline)) const struct smmu_iotlb_entry *
lookup_slow(struct smmu_iotlb *t, const struct smmu_iotlb_tag *tag, uint64_t addr)
{
	const struct smmu_iotlb_entry *hit = smmu_iotlb_peek(t, tag, addr);

	if (!hit) {
		t->stats.misses++;
		return NULL;
	}
	return count_hit(t, hit);
}

/*
 * The hot path: the memoised ASID group, its smallest cached size, the
 * head of the bucket chain.  Anything else (other sizes, longer chains,
 * the global group, a new tag) takes lookup_slow().
 */
const struct smmu_iotlb_entry *smmu_iotlb_lookup(struct smmu_iotlb *t,
						 const struct smmu_iotlb_tag *tag,
						 uint64_t addr)
{
	uint32_t g = t->memo_group[0], e;

	if (tag->kind != SMMU_IOTLB_S2 && t->memo_tag[0] == raw_tag(tag) &&
	    g != SMMU_IOTLB_NONE) {
		const struct iotlb_group *grp = &t->groups[g];
		unsigned s = (unsigned)__builtin_ctzll(grp->sizes);
		uint64_t ia = addr & (~UINT64_C(0) << s);

		e = t->buckets[entry_bucket(t, grp->salt, ia, s)];
		if (e != SMMU_IOTLB_NONE && t->entries[e].ia == ia &&
		    t->entries[e].group == g && t->entries[e].size_log2 == s)
			return count_hit(t, &t->entries[e]);
	}
	return lookup_slow(t, tag, addr);
}

/* Whether g holds an entry of one of these sizes covering ia. */
static bool group_covers(const struct smmu_iotlb *t, uint32_t g, uint64_t ia, uint64_t sizes)
{
	for (; sizes; sizes &= sizes - 1) {
		unsigned s = (unsigned)__builtin_ctzll(sizes);

		if (entry_find(t, g, ia & (~UINT64_C(0) << s), s) != SMMU_IOTLB_NONE)
			return true;
	}
	return false;
}

/*
 * Whether a new entry of 2^s bytes at ia in group g will be found before
 * an entry already cached for some address it covers.  Lookups take the
 * non-global group before the global one, and smaller sizes first: so a
 * larger entry of g covering ia is shadowed, and for a non-global entry
 * so is any global one at least its size covering ia, or (not searched
 * for: counted as if found) any smaller global one, which may lie inside.
 */
static bool insert_shadows(const struct smmu_iotlb *t, const struct smmu_iotlb_tag *tag,
			   uint32_t g, uint64_t ia, unsigned s)
{
	uint64_t smaller = (UINT64_C(1) << s) - 1, larger = ~((UINT64_C(2) << s) - 1);
	uint32_t global = tag->kind == SMMU_IOTLB_S2 ? SMMU_IOTLB_NONE
						     : group_find(t, tag_key(tag, true));

	if (group_covers(t, g, ia, t->groups[g].sizes & larger))
		return true;
	if (global == SMMU_IOTLB_NONE || global == g)
		return false;
	return (t->groups[global].sizes & smaller) ||
	       group_covers(t, global, ia, t->groups[global].sizes & ~smaller);
}

static bool fill_valid(const struct smmu_iotlb_tag *tag,
		       const struct smmu_iotlb_fill *f)
{
	return tag->kind < SMMU_IOTLB_KINDS &&
	       f->size_log2 >= SMMU_GRANULE_4K_LOG2 && f->size_log2 < 64 &&
	       f->granule_log2 >= SMMU_GRANULE_4K_LOG2 &&
	       f->granule_log2 <= f->size_log2 && f->level <= SMMU_LAST_LEVEL &&
	       f->perms <= SMMU_PERM_ALL;
}

int smmu_iotlb_insert(struct smmu_iotlb *t, const struct smmu_iotlb_tag *tag,
		      const struct smmu_iotlb_fill *fill)
{
	uint64_t mask = (UINT64_C(1) << fill->size_log2) - 1;
	uint64_t ia = fill->ia & ~mask;
	struct smmu_iotlb_entry *x;
	uint32_t g, e, b;

	if (!fill_valid(tag, fill))
		return -EINVAL;
	if (group_get(t, tag_key(tag, fill->global || tag->kind == SMMU_IOTLB_S2), &g))
		return -ENOMEM;
	e = entry_find(t, g, ia, fill->size_log2);
	if (e != SMMU_IOTLB_NONE || insert_shadows(t, tag, g, ia, fill->size_log2))
		t->stats.overlaps++;
	if (e == SMMU_IOTLB_NONE) {
		/* Pin the group across a possible eviction of its last entry. */
		t->groups[g].count++;
		e = entry_alloc(t);
		t->groups[g].count--;
		x = &t->entries[e];
		b = entry_bucket(t, t->groups[g].salt, ia, fill->size_log2);
		x->hash_next = t->buckets[b];
		t->buckets[b] = e;
		x->group_prev = SMMU_IOTLB_NONE;
		x->group_next = t->groups[g].head;
		if (x->group_next != SMMU_IOTLB_NONE)
			t->entries[x->group_next].group_prev = e;
		t->groups[g].head = e;
		t->groups[g].count++;
		t->groups[g].sizes |= SMMU_BIT(fill->size_log2);
	}
	x = &t->entries[e];
	x->group = g;
	x->ia = ia;
	x->oa = fill->table ? fill->oa : fill->oa & ~mask;
	x->table = fill->table;
	x->size_log2 = (uint8_t)fill->size_log2;
	x->level = (uint8_t)fill->level;
	x->granule_log2 = (uint8_t)fill->granule_log2;
	x->perms = (uint8_t)fill->perms;
	x->memattr = fill->memattr;
	x->global = tag->kind == SMMU_IOTLB_S2 || fill->global;
	x->referenced = true;
	t->stats.inserts++;
	return 0;
}

/* ---- invalidation ---------------------------------------------------- */

enum asid_rule {
	ASID_ANY,                /* every ASID and global */
	ASID_ONE,                /* non-global entries of one ASID */
	ASID_ONE_OR_GLOBAL,      /* those plus global entries */
};

struct scope {
	unsigned kinds;          /* bit per enum smmu_iotlb_kind */
	bool any_vmid;
	uint16_t vmid;
	enum asid_rule asid_rule;
	uint16_t asid;
	bool ranged;
	uint64_t first, last;    /* inclusive input-address range */
	unsigned granule_log2;   /* range TLBI TG: 0 = any granule */
	unsigned level;          /* range TLBI TTL: 0 = any level */
};

#define KIND(k) (1u << (k))
#define KINDS_NH (KIND(SMMU_IOTLB_S1) | KIND(SMMU_IOTLB_NESTED))
#define KINDS_NS (KINDS_NH | KIND(SMMU_IOTLB_S2))

static unsigned tlbi_tg_log2(unsigned tg)
{
	switch (tg) {
	case SMMU_TLBI_TG_4K:  return SMMU_GRANULE_4K_LOG2;
	case SMMU_TLBI_TG_16K: return SMMU_GRANULE_16K_LOG2;
	case SMMU_TLBI_TG_64K: return SMMU_GRANULE_64K_LOG2;
	default:               return 0;
	}
}

static uint64_t saturating_shl(uint64_t v, unsigned shift)
{
	return shift >= 64 || v > (UINT64_MAX >> shift) ? UINT64_MAX : v << shift;
}

/* The addresses a VA/IPA TLBI covers: one address, or (NUM+1) << SCALE granules. */
static void scope_set_range(struct scope *s, const struct smmu_tlbi *req)
{
	unsigned g = tlbi_tg_log2(req->tg);
	uint64_t span;

	s->ranged = true;
	s->first = s->last = req->addr;
	if (!g)
		return;
	s->granule_log2 = g;
	s->level = req->ttl;
	span = saturating_shl((uint64_t)req->num + 1, req->scale + g);
	s->last = req->addr + (span - 1) < req->addr ? UINT64_MAX : req->addr + (span - 1);
}

/* The scope of a TLBI; false for commands that do not touch the IOTLB. */
static bool scope_of(const struct smmu_tlbi *req, struct scope *s)
{
	*s = (struct scope){ .vmid = req->vmid, .asid = req->asid };
	switch (req->op) {
	case SMMU_CMD_TLBI_NH_ALL:
		s->kinds = KINDS_NH;
		break;
	case SMMU_CMD_TLBI_NH_ASID:
		s->kinds = KINDS_NH;
		s->asid_rule = ASID_ONE;
		break;
	case SMMU_CMD_TLBI_NH_VA:
		s->kinds = KINDS_NH;
		s->asid_rule = ASID_ONE_OR_GLOBAL;
		scope_set_range(s, req);
		break;
	case SMMU_CMD_TLBI_NH_VAA:
		s->kinds = KINDS_NH;
		scope_set_range(s, req);
		break;
	case SMMU_CMD_TLBI_EL2_ALL:
		s->kinds = KIND(SMMU_IOTLB_EL2);
		break;
	case SMMU_CMD_TLBI_EL2_ASID:
		s->kinds = KIND(SMMU_IOTLB_EL2);
		s->asid_rule = ASID_ONE;
		break;
	case SMMU_CMD_TLBI_EL2_VA:
		s->kinds = KIND(SMMU_IOTLB_EL2);
		s->asid_rule = ASID_ONE_OR_GLOBAL;
		scope_set_range(s, req);
		break;
	case SMMU_CMD_TLBI_EL2_VAA:
		s->kinds = KIND(SMMU_IOTLB_EL2);
		scope_set_range(s, req);
		break;
	case SMMU_CMD_TLBI_S2_IPA:
		s->kinds = KIND(SMMU_IOTLB_S2);
		scope_set_range(s, req);
		break;
	case SMMU_CMD_TLBI_S12_VMALL:
		s->kinds = KINDS_NS;
		break;
	case SMMU_CMD_TLBI_NSNH_ALL:
		s->kinds = KINDS_NS;
		s->any_vmid = true;
		break;
	default:
		return false;
	}
	if (s->kinds == KIND(SMMU_IOTLB_EL2))
		s->any_vmid = true;
	return true;
}

static bool scope_has_group(const struct scope *s, uint64_t key)
{
	bool global = key & KEY_GLOBAL;

	if (!(key & KEY_PRESENT) || !(s->kinds & KIND(SMMU_FIELD_GET(KEY_KIND, key))))
		return false;
	if (!s->any_vmid && SMMU_FIELD_GET(KEY_VMID, key) != s->vmid)
		return false;
	if (s->asid_rule == ASID_ANY || (global && s->asid_rule == ASID_ONE_OR_GLOBAL))
		return true;
	return !global && SMMU_FIELD_GET(KEY_ASID, key) == s->asid;
}

static bool scope_has_entry(const struct scope *s, const struct smmu_iotlb_entry *x)
{
	uint64_t end = x->ia + ((UINT64_C(1) << x->size_log2) - 1);

	if (!s->ranged)
		return true;
	return x->ia <= s->last && end >= s->first &&
	       (!s->granule_log2 || x->granule_log2 == s->granule_log2) &&
	       (!s->level || x->level == s->level);
}

/* Pages of 2^size_log2 bytes the scope's range touches, saturated at cap. */
static uint64_t range_pages(const struct scope *s, unsigned size_log2, uint64_t cap)
{
	uint64_t n = (s->last >> size_log2) - (s->first >> size_log2) + 1;
	return n == 0 || n > cap ? cap : n;
}

static size_t group_remove_by_probing(struct smmu_iotlb *t, uint32_t g,
				      const struct scope *s)
{
	uint64_t sizes = t->groups[g].sizes;
	size_t removed = 0;

	while (sizes) {
		unsigned sz = (unsigned)__builtin_ctzll(sizes);
		uint64_t pages = range_pages(s, sz, UINT64_MAX);
		uint64_t ia = (s->first >> sz) << sz;

		sizes &= sizes - 1;
		for (uint64_t i = 0; i < pages; i++, ia += UINT64_C(1) << sz) {
			uint32_t e = entry_find(t, g, ia, sz);
			if (e == SMMU_IOTLB_NONE || !scope_has_entry(s, &t->entries[e]))
				continue;
			removed++;
			/* The last entry takes the group with it. */
			if (t->groups[g].count == 1) {
				entry_remove(t, e);
				return removed;
			}
			entry_remove(t, e);
		}
	}
	return removed;
}

static size_t group_remove_by_list(struct smmu_iotlb *t, uint32_t g,
				   const struct scope *s)
{
	uint32_t e = t->groups[g].head;
	size_t removed = 0;

	while (e != SMMU_IOTLB_NONE) {
		uint32_t next = t->entries[e].group_next;
		if (scope_has_entry(s, &t->entries[e])) {
			entry_remove(t, e);
			removed++;
		}
		e = next;
	}
	return removed;
}

static size_t group_invalidate(struct smmu_iotlb *t, uint32_t g, const struct scope *s)
{
	uint64_t probes = 0, count = t->groups[g].count;

	if (s->ranged) {
		for (uint64_t sizes = t->groups[g].sizes; sizes && probes <= count;
		     sizes &= sizes - 1)
			probes += range_pages(s, (unsigned)__builtin_ctzll(sizes), count + 1);
		if (probes <= count)
			return group_remove_by_probing(t, g, s);
	}
	return group_remove_by_list(t, g, s);
}

/* Groups a scope that names one ASID can reach, found by key. */
static size_t invalidate_named_groups(struct smmu_iotlb *t, const struct scope *s)
{
	size_t removed = 0;

	for (unsigned k = 0; k < SMMU_IOTLB_KINDS; k++) {
		struct smmu_iotlb_tag tag = { .kind = k, .vmid = s->vmid, .asid = s->asid };
		if (!(s->kinds & KIND(k)))
			continue;
		for (unsigned global = 0; global < 2; global++) {
			uint64_t key = tag_key(&tag, global);
			uint32_t g = group_find(t, key);
			if (g != SMMU_IOTLB_NONE && scope_has_group(s, key))
				removed += group_invalidate(t, g, s);
		}
	}
	return removed;
}

static size_t invalidate_all_groups(struct smmu_iotlb *t, const struct scope *s)
{
	size_t removed = 0;

	for (uint32_t g = 0; g < t->ngroups; g++)
		if (scope_has_group(s, t->groups[g].key))
			removed += group_invalidate(t, g, s);
	return removed;
}

size_t smmu_iotlb_invalidate(struct smmu_iotlb *t, const struct smmu_tlbi *req)
{
	struct scope s;
	size_t removed;

	if (!scope_of(req, &s))
		return 0;
	/* A named ASID also names the VMID (or is EL2, which has none). */
	if (s.asid_rule == ASID_ANY)
		removed = invalidate_all_groups(t, &s);
	else
		removed = invalidate_named_groups(t, &s);
	t->stats.invalidated += removed;
	t->stats.invalidated_by_op[req->op] += removed;
	return removed;
}

int smmu_iotlb_defer(struct smmu_iotlb *t, const struct smmu_tlbi *req)
{
	if (t->ndeferred == t->deferred_cap) {
		size_t cap = t->deferred_cap ? t->deferred_cap * 2 : GROUP_GROW_MIN;
		struct smmu_tlbi *q = realloc(t->deferred, cap * sizeof(*q));
		if (!q)
			return -ENOMEM;
		t->deferred = q;
		t->deferred_cap = cap;
	}
	t->deferred[t->ndeferred++] = *req;
	return 0;
}

size_t smmu_iotlb_sync(struct smmu_iotlb *t)
{
	size_t removed = 0;

	for (size_t i = 0; i < t->ndeferred; i++)
		removed += smmu_iotlb_invalidate(t, &t->deferred[i]);
	t->ndeferred = 0;
	return removed;
}

size_t smmu_iotlb_deferred(const struct smmu_iotlb *t)
{
	return t->ndeferred;
}

void smmu_iotlb_flush_all(struct smmu_iotlb *t)
{
	for (uint32_t e = 0; e < t->capacity; e++)
		if (t->entries[e].group != SMMU_IOTLB_NONE)
			entry_remove(t, e);
}

size_t smmu_iotlb_count(const struct smmu_iotlb *t)
{
	return t->used;
}

size_t smmu_iotlb_capacity(const struct smmu_iotlb *t)
{
	return t->capacity;
}

size_t smmu_iotlb_bytes_per_entry(const struct smmu_iotlb *t)
{
	size_t bytes = sizeof(*t) + (size_t)t->capacity * sizeof(*t->entries) +
		       ((size_t)t->bucket_mask + 1) * sizeof(*t->buckets) +
		       ((size_t)1 << (64u - t->group_shift)) * sizeof(*t->group_buckets) +
		       (size_t)t->ngroups * sizeof(*t->groups);

	return (bytes + t->capacity - 1) / t->capacity;
}

const struct smmu_iotlb_stats *smmu_iotlb_stats(const struct smmu_iotlb *t)
{
	return &t->stats;
}

/*
 * Tests of the simulated IOTLB: lookups across tags, global entries, block
 * entries, the exact scope of every TLBI form (VMID, ASID, global, VA, VAA,
 * S2 IPA, EL2, range NUM/SCALE with TG and TTL), clock eviction at
 * capacity and the counters.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "iotlb.h"
#include "walk.h"

#define S1 SMMU_IOTLB_S1
#define S2 SMMU_IOTLB_S2
#define NE SMMU_IOTLB_NESTED
#define EL2 SMMU_IOTLB_EL2
#define G true
#define NG false

/* The population every scope test starts from. */
static const struct pop {
	enum smmu_iotlb_kind kind;
	uint16_t vmid, asid;
	bool global;
	uint64_t ia;
	unsigned size_log2, level, granule_log2;
} POP[] = {
	/*  0 */ { S1, 1, 1, NG, 0x1000, 12, 3, 12 },
	/*  1 */ { S1, 1, 2, NG, 0x1000, 12, 3, 12 },
	/*  2 */ { S1, 1, 0, G,  0x2000, 12, 3, 12 },
	/*  3 */ { S1, 2, 1, NG, 0x1000, 12, 3, 12 },
	/*  4 */ { S1, 1, 1, NG, 0x200000, 21, 2, 12 },
	/*  5 */ { S1, 1, 1, NG, 0x40000000, 30, 1, 12 },
	/*  6 */ { S1, 1, 1, NG, 0x10000, 16, 3, 16 },
	/*  7 */ { NE, 1, 1, NG, 0x1000, 12, 3, 12 },
	/*  8 */ { NE, 1, 0, G,  0x2000, 12, 3, 12 },
	/*  9 */ { S2, 1, 0, G,  0x1000, 12, 3, 12 },
	/* 10 */ { S2, 2, 0, G,  0x1000, 12, 3, 12 },
	/* 11 */ { EL2, 0, 1, NG, 0x1000, 12, 3, 12 },
	/* 12 */ { EL2, 0, 0, G,  0x2000, 12, 3, 12 },
	/* 13 */ { S1, 1, 1, NG, 0x3000, 12, 3, 12 },
	/* 14 */ { S1, 1, 1, NG, 0x21000, 12, 3, 12 },
};
#define NPOP (sizeof(POP) / sizeof(POP[0]))

static struct smmu_iotlb_tag pop_tag(size_t i)
{
	/* Global entries are found from any ASID; use one nothing else has. */
	return (struct smmu_iotlb_tag){ .kind = POP[i].kind, .vmid = POP[i].vmid,
					 .asid = POP[i].global ? 77 : POP[i].asid };
}

static struct smmu_iotlb *populate(void)
{
	struct smmu_iotlb *t = smmu_iotlb_new(64);

	assert_non_null(t);
	for (size_t i = 0; i < NPOP; i++) {
		struct smmu_iotlb_tag tag = pop_tag(i);
		struct smmu_iotlb_fill fill = {
			.ia = POP[i].ia, .oa = POP[i].ia + 0x100000000ull * (i + 1),
			.size_log2 = POP[i].size_log2, .level = POP[i].level,
			.granule_log2 = POP[i].granule_log2, .perms = SMMU_PERM_ALL,
			.global = POP[i].global,
		};
		tag.asid = POP[i].asid;
		assert_int_equal(smmu_iotlb_insert(t, &tag, &fill), 0);
	}
	assert_int_equal(smmu_iotlb_count(t), NPOP);
	return t;
}

static bool present(struct smmu_iotlb *t, size_t i)
{
	struct smmu_iotlb_tag tag = pop_tag(i);
	const struct smmu_iotlb_entry *e = smmu_iotlb_lookup(t, &tag, POP[i].ia);

	return e && e->ia == POP[i].ia && e->size_log2 == POP[i].size_log2 &&
	       e->global == POP[i].global;
}

/* Apply req to a fresh population; `removed` lists exactly what must go. */
static void check_scope(const struct smmu_tlbi *req, const unsigned *removed, size_t n)
{
	struct smmu_iotlb *t = populate();
	bool gone[NPOP] = { false };

	for (size_t k = 0; k < n; k++)
		gone[removed[k]] = true;
	assert_int_equal(smmu_iotlb_invalidate(t, req), n);
	for (size_t i = 0; i < NPOP; i++) {
		if (present(t, i) == gone[i])
			fail_msg("op 0x%x: entry %zu %s", req->op, i,
				 gone[i] ? "survived" : "was removed");
	}
	assert_int_equal(smmu_iotlb_count(t), NPOP - n);
	assert_int_equal(smmu_iotlb_stats(t)->invalidated_by_op[req->op], n);
	smmu_iotlb_free(t);
}

#define SCOPE(req, ...) do { \
	static const unsigned rm_[] = { __VA_ARGS__ }; \
	check_scope(req, rm_, sizeof(rm_) / sizeof(rm_[0])); \
} while (0)
#define SCOPE_NONE(req) check_scope(req, NULL, 0)

static void test_lookup_tags_and_blocks(void **state)
{
	struct smmu_iotlb *t = populate();
	struct smmu_iotlb_tag tag = { .kind = S1, .vmid = 1, .asid = 1 };
	const struct smmu_iotlb_entry *e;

	(void)state;
	for (size_t i = 0; i < NPOP; i++)
		assert_true(present(t, i));
	/* A block entry covers its whole range. */
	e = smmu_iotlb_lookup(t, &tag, 0x3fffff);
	assert_non_null(e);
	assert_int_equal(e->ia, 0x200000);
	assert_int_equal(e->size_log2, 21);
	e = smmu_iotlb_lookup(t, &tag, 0x7fffffff);
	assert_non_null(e);
	assert_int_equal(e->size_log2, 30);
	/* Global entries are shared by ASIDs, not by VMIDs or kinds. */
	tag.asid = 9;
	assert_non_null(smmu_iotlb_lookup(t, &tag, 0x2000));
	assert_null(smmu_iotlb_lookup(t, &tag, 0x1000));
	tag.vmid = 3;
	assert_null(smmu_iotlb_lookup(t, &tag, 0x2000));
	tag = (struct smmu_iotlb_tag){ .kind = NE, .vmid = 2, .asid = 1 };
	assert_null(smmu_iotlb_lookup(t, &tag, 0x1000));
	/* Stage-2 entries ignore the ASID. */
	tag = (struct smmu_iotlb_tag){ .kind = S2, .vmid = 1, .asid = 5 };
	assert_non_null(smmu_iotlb_lookup(t, &tag, 0x1fff));
	assert_int_equal(smmu_iotlb_stats(t)->misses, 3);
	smmu_iotlb_free(t);
}

static void test_insert_replaces_and_rejects(void **state)
{
	struct smmu_iotlb *t = smmu_iotlb_new(8);
	struct smmu_iotlb_tag tag = { .kind = S1, .vmid = 1, .asid = 1 };
	struct smmu_iotlb_fill fill = { .ia = 0x1234, .oa = 0x9234, .size_log2 = 12,
					.level = 3, .granule_log2 = 12, .perms = 1 };
	const struct smmu_iotlb_entry *e;

	(void)state;
	assert_int_equal(smmu_iotlb_insert(t, &tag, &fill), 0);
	assert_int_equal(smmu_iotlb_stats(t)->overlaps, 0);
	fill.oa = 0xa000;
	assert_int_equal(smmu_iotlb_insert(t, &tag, &fill), 0);
	assert_int_equal(smmu_iotlb_count(t), 1);
	assert_int_equal(smmu_iotlb_stats(t)->overlaps, 1);
	e = smmu_iotlb_lookup(t, &tag, 0x1000);
	assert_int_equal(e->oa, 0xa000);
	assert_int_equal(e->ia, 0x1000);
	fill.size_log2 = 11;
	assert_int_equal(smmu_iotlb_insert(t, &tag, &fill), -EINVAL);
	fill.size_log2 = 12;
	fill.perms = 0x40;
	assert_int_equal(smmu_iotlb_insert(t, &tag, &fill), -EINVAL);
	tag.kind = SMMU_IOTLB_KINDS;
	fill.perms = 1;
	assert_int_equal(smmu_iotlb_insert(t, &tag, &fill), -EINVAL);
	assert_int_equal(smmu_iotlb_count(t), 1);
	assert_null(smmu_iotlb_new(0));
	assert_int_equal(errno, EINVAL);
	smmu_iotlb_free(t);
}

/* Inserts that change what a lookup finds for a cached address are counted. */
static void test_overlapping_inserts(void **state)
{
	struct smmu_iotlb *t = smmu_iotlb_new(16);
	struct smmu_iotlb_tag tag = { .kind = S1, .vmid = 1, .asid = 1 };
	struct smmu_iotlb_fill block = { .ia = 0x200000, .oa = 0x40000000, .size_log2 = 21,
					 .level = 2, .granule_log2 = 12, .perms = 1 };
	struct smmu_iotlb_fill page = { .ia = 0x201000, .oa = 0x5000, .size_log2 = 12,
					.level = 3, .granule_log2 = 12, .perms = 1 };

	(void)state;
	/* A page inside a cached block is found before it. */
	assert_int_equal(smmu_iotlb_insert(t, &tag, &block), 0);
	assert_int_equal(smmu_iotlb_insert(t, &tag, &page), 0);
	assert_int_equal(smmu_iotlb_stats(t)->overlaps, 1);
	assert_int_equal(smmu_iotlb_peek(t, &tag, 0x201000)->oa, 0x5000);
	assert_int_equal(smmu_iotlb_peek(t, &tag, 0x202000)->oa, 0x40000000);
	/* A block over a cached page changes nothing: the page comes first. */
	page.ia = 0x601000;
	block.ia = 0x600000;
	assert_int_equal(smmu_iotlb_insert(t, &tag, &page), 0);
	assert_int_equal(smmu_iotlb_insert(t, &tag, &block), 0);
	assert_int_equal(smmu_iotlb_stats(t)->overlaps, 1);
	/* A non-global entry is found before a global one at its address. */
	page.ia = 0x9000;
	page.global = true;
	assert_int_equal(smmu_iotlb_insert(t, &tag, &page), 0);
	page.global = false;
	page.oa = 0x6000;
	assert_int_equal(smmu_iotlb_insert(t, &tag, &page), 0);
	assert_int_equal(smmu_iotlb_stats(t)->overlaps, 2);
	assert_int_equal(smmu_iotlb_peek(t, &tag, 0x9000)->oa, 0x6000);
	/* Peeking counts no hit. */
	assert_int_equal(smmu_iotlb_stats(t)->hits, 0);
	smmu_iotlb_free(t);
}

static void test_tlbi_nh_all_asid(void **state)
{
	(void)state;
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_ALL, .vmid = 1 }),
	      0, 1, 2, 4, 5, 6, 7, 8, 13, 14);
	/* NH_ASID leaves global entries. */
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_ASID, .vmid = 1, .asid = 1 }),
	      0, 4, 5, 6, 7, 13, 14);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_ASID, .vmid = 2, .asid = 1 }), 3);
	SCOPE_NONE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_ASID, .vmid = 3, .asid = 1 }));
}

static void test_tlbi_nh_va_vaa(void **state)
{
	(void)state;
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
				    .addr = 0x1000, .leaf = true }), 0, 7);
	/* Global entries go for their VA whatever the ASID. */
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 5,
				    .addr = 0x2abc }), 2, 8);
	/* Any address inside a block removes the block. */
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
				    .addr = 0x3ff000 }), 4);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
				    .addr = 0x1f000 }), 6);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VAA, .vmid = 1,
				    .addr = 0x1000 }), 0, 1, 7);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VAA, .vmid = 2,
				    .addr = 0x1000 }), 3);
}

static void test_tlbi_stage2_and_vmall(void **state)
{
	(void)state;
	/* S2_IPA touches stage-2-only entries: not combined ones, not stage 1. */
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_S2_IPA, .vmid = 1,
				    .addr = 0x1000 }), 9);
	SCOPE_NONE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_S2_IPA, .vmid = 1,
					 .addr = 0x2000 }));
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_S12_VMALL, .vmid = 1 }),
	      0, 1, 2, 4, 5, 6, 7, 8, 9, 13, 14);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_S12_VMALL, .vmid = 2 }), 3, 10);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NSNH_ALL }),
	      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14);
}

static void test_tlbi_el2(void **state)
{
	(void)state;
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_EL2_ALL, .vmid = 1 }), 11, 12);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_EL2_ASID, .asid = 1 }), 11);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_EL2_VA, .asid = 4,
				    .addr = 0x2000 }), 12);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_EL2_VA, .asid = 1,
				    .addr = 0x1000 }), 11);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_EL2_VAA, .addr = 0x1000 }), 11);
	/* Commands that do not reach the IOTLB remove nothing. */
	SCOPE_NONE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_EL3_ALL }));
	SCOPE_NONE(&((struct smmu_tlbi){ .op = SMMU_CMD_ATC_INV }));
}

static void test_tlbi_ranges(void **state)
{
	(void)state;
	/* 4 pages of 4K from 0: ASID 1, plus globals, not ASID 2. */
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
				    .addr = 0, .tg = SMMU_TLBI_TG_4K, .num = 3 }),
	      0, 2, 7, 8, 13);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
				    .addr = 0, .tg = SMMU_TLBI_TG_4K, .num = 2 }),
	      0, 2, 7, 8);
	/* TTL: only leaves at that level. */
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
				    .addr = 0x200000, .tg = SMMU_TLBI_TG_4K, .ttl = 2 }), 4);
	SCOPE_NONE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
					 .addr = 0x200000, .tg = SMMU_TLBI_TG_4K, .ttl = 3 }));
	/* TG: only entries of that granule. */
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
				    .addr = 0x10000, .tg = SMMU_TLBI_TG_64K, .num = 1 }), 6);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
				    .addr = 0x10000, .tg = SMMU_TLBI_TG_4K, .num = 31 }), 14);
	/* SCALE: (NUM + 1) << SCALE granules. 2 MiB stops short of the block. */
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VAA, .vmid = 1,
				    .addr = 0, .tg = SMMU_TLBI_TG_4K, .scale = 9 }),
	      0, 1, 2, 7, 8, 13, 14);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VAA, .vmid = 1,
				    .addr = 0, .tg = SMMU_TLBI_TG_4K, .num = 1, .scale = 9 }),
	      0, 1, 2, 4, 7, 8, 13, 14);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_S2_IPA, .vmid = 2,
				    .addr = 0, .tg = SMMU_TLBI_TG_4K, .num = 1 }), 10);
}

/* A range far larger than the group is removed by walking the group's list. */
static void test_tlbi_huge_range(void **state)
{
	(void)state;
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
				    .addr = 0, .tg = SMMU_TLBI_TG_64K, .num = 31,
				    .scale = 31 }), 6);
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VAA, .vmid = 1, .addr = 0x1000,
				    .tg = SMMU_TLBI_TG_4K, .num = 31, .scale = 20 }),
	      0, 1, 2, 4, 5, 7, 8, 13, 14);
	/* SCALE is 6 bits wide: 63 covers everything above the address. */
	SCOPE(&((struct smmu_tlbi){ .op = SMMU_CMD_TLBI_NH_VA, .vmid = 1, .asid = 1,
				    .addr = 0x3000, .tg = SMMU_TLBI_TG_64K, .num = 31,
				    .scale = 63 }), 6);
}

static void fill_page(struct smmu_iotlb *t, uint16_t asid, uint64_t ia)
{
	struct smmu_iotlb_tag tag = { .kind = S1, .vmid = 1, .asid = asid };
	struct smmu_iotlb_fill fill = { .ia = ia, .oa = ia, .size_log2 = 12,
					.level = 3, .granule_log2 = 12, .perms = 1 };

	assert_int_equal(smmu_iotlb_insert(t, &tag, &fill), 0);
}

static bool has_page(struct smmu_iotlb *t, uint16_t asid, uint64_t ia)
{
	struct smmu_iotlb_tag tag = { .kind = S1, .vmid = 1, .asid = asid };
	return smmu_iotlb_lookup(t, &tag, ia) != NULL;
}

static void test_clock_eviction(void **state)
{
	struct smmu_iotlb *t = smmu_iotlb_new(4);

	(void)state;
	for (uint64_t i = 0; i < 4; i++)
		fill_page(t, 1, i << 12);
	/* Every entry is referenced: the hand clears all and takes the first. */
	fill_page(t, 1, 4 << 12);
	assert_int_equal(smmu_iotlb_count(t), 4);
	assert_int_equal(smmu_iotlb_stats(t)->evictions, 1);
	assert_false(has_page(t, 1, 0));
	/* Entry 1 is used again: the hand skips it and evicts entry 2. */
	assert_true(has_page(t, 1, 1 << 12));
	fill_page(t, 1, 5 << 12);
	assert_true(has_page(t, 1, 1 << 12));
	assert_false(has_page(t, 1, 2 << 12));
	assert_int_equal(smmu_iotlb_stats(t)->evictions, 2);
	/* Evicting a group's last entry frees the group; the IOTLB stays sound. */
	for (uint16_t asid = 10; asid < 30; asid++)
		fill_page(t, asid, 0x7000);
	assert_int_equal(smmu_iotlb_count(t), 4);
	assert_true(has_page(t, 29, 0x7000));
	assert_false(has_page(t, 10, 0x7000));
	smmu_iotlb_flush_all(t);
	assert_int_equal(smmu_iotlb_count(t), 0);
	assert_false(has_page(t, 29, 0x7000));
	smmu_iotlb_free(t);
}

/* Invalidation by ASID leaves a crowded IOTLB's other tags alone. */
static void test_asid_tlbi_in_full_iotlb(void **state)
{
	struct smmu_iotlb *t = smmu_iotlb_new(4096);
	struct smmu_tlbi req = { .op = SMMU_CMD_TLBI_NH_ASID, .vmid = 1, .asid = 7 };

	(void)state;
	for (uint64_t i = 0; i < 4000; i++)
		fill_page(t, (uint16_t)(100 + i % 50), i << 12);
	for (uint64_t i = 0; i < 16; i++)
		fill_page(t, 7, i << 12);
	assert_int_equal(smmu_iotlb_invalidate(t, &req), 16);
	assert_int_equal(smmu_iotlb_count(t), 4000);
	assert_true(has_page(t, 100, 0));
	assert_int_equal(smmu_iotlb_stats(t)->evictions, 0);
	smmu_iotlb_free(t);
}

/* Deferred TLBIs take effect at the sync, in order, and only then. */
static void test_deferred_until_sync(void **state)
{
	struct smmu_iotlb *t = populate();
	struct smmu_tlbi asid = { .op = SMMU_CMD_TLBI_NH_ASID, .vmid = 1, .asid = 2 };
	struct smmu_tlbi s2 = { .op = SMMU_CMD_TLBI_S2_IPA, .vmid = 1, .addr = 0x1000 };

	(void)state;
	assert_int_equal(smmu_iotlb_defer(t, &asid), 0);
	assert_int_equal(smmu_iotlb_defer(t, &s2), 0);
	assert_true(present(t, 1));
	assert_true(present(t, 9));
	assert_int_equal(smmu_iotlb_sync(t), 2);
	assert_false(present(t, 1));
	assert_false(present(t, 9));
	assert_true(present(t, 0));
	assert_int_equal(smmu_iotlb_sync(t), 0);
	assert_int_equal(smmu_iotlb_count(t), NPOP - 2);
	smmu_iotlb_free(t);
}

static void test_bytes_per_entry(void **state)
{
	struct smmu_iotlb *t = smmu_iotlb_new(1u << 16);

	(void)state;
	assert_true(sizeof(struct smmu_iotlb_entry) <= 48);
	assert_true(smmu_iotlb_bytes_per_entry(t) <= 64);
	smmu_iotlb_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_tags_and_blocks),
		cmocka_unit_test(test_insert_replaces_and_rejects),
		cmocka_unit_test(test_overlapping_inserts),
		cmocka_unit_test(test_tlbi_nh_all_asid),
		cmocka_unit_test(test_tlbi_nh_va_vaa),
		cmocka_unit_test(test_tlbi_stage2_and_vmall),
		cmocka_unit_test(test_tlbi_el2),
		cmocka_unit_test(test_tlbi_ranges),
		cmocka_unit_test(test_tlbi_huge_range),
		cmocka_unit_test(test_clock_eviction),
		cmocka_unit_test(test_asid_tlbi_in_full_iotlb),
		cmocka_unit_test(test_deferred_until_sync),
		cmocka_unit_test(test_bytes_per_entry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

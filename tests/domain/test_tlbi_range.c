/*
 * Unit tests for the ranged TLBI expansion (per granule without RIL;
 * NUM/SCALE/TG/TTL with RIL, including the non-leaf single-page rule) and
 * the ATC_INV span construction.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <smmu/arch.h>

#include "tlbi_range.h"

#define SZ_4K  UINT64_C(0x1000)
#define SZ_16K UINT64_C(0x4000)
#define SZ_64K UINT64_C(0x10000)
#define SZ_2M  UINT64_C(0x200000)
#define SZ_32M UINT64_C(0x2000000)
#define SZ_1G  UINT64_C(0x40000000)

struct rec {
	struct smmu_tlbi_range cmd[64];
	unsigned n;
	unsigned stop_after; /* 0: never */
};

static int rec_cb(void *opaque, const struct smmu_tlbi_range *cmd)
{
	struct rec *r = opaque;

	assert_true(r->n < 64);
	r->cmd[r->n++] = *cmd;
	return r->stop_after && r->n == r->stop_after ? -EIO : 0;
}

static void expand(struct rec *r, uint64_t iova, uint64_t size,
		   uint64_t granule, unsigned pg_log2, bool ril, bool leaf)
{
	struct smmu_tlbi_range_req req = {
		.iova = iova, .size = size, .granule = granule,
		.pgsize_log2 = pg_log2, .ril = ril, .leaf = leaf,
	};

	r->n = 0;
	assert_int_equal(smmu_tlbi_range_expand(&req, rec_cb, r), 0);
}

static void assert_cmd(const struct smmu_tlbi_range *c, uint64_t addr,
		       unsigned num, unsigned scale, unsigned tg, unsigned ttl)
{
	assert_int_equal(c->addr, addr);
	assert_int_equal(c->num, num);
	assert_int_equal(c->scale, scale);
	assert_int_equal(c->tg, tg);
	assert_int_equal(c->ttl, ttl);
}

static void test_no_ril_one_per_granule(void **state)
{
	struct rec r = { 0 };

	(void)state;
	expand(&r, 0x10000, 3 * SZ_4K, SZ_4K, 0, false, true);
	assert_int_equal(r.n, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_cmd(&r.cmd[i], 0x10000 + i * SZ_4K, 0, 0, SMMU_TLBI_TG_NONE, 0);
		assert_true(r.cmd[i].leaf);
	}
	expand(&r, 0, 2 * SZ_2M, SZ_2M, 0, false, false);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.cmd[1].addr, SZ_2M);
	assert_false(r.cmd[1].leaf);
}

/* 35 pages = 0b100011: three pages at scale 0, then 32 at scale 5. */
static void test_ril_split_num_scale(void **state)
{
	struct rec r = { 0 };

	(void)state;
	expand(&r, 0x100000, 35 * SZ_4K, SZ_4K, 12, true, true);
	assert_int_equal(r.n, 2);
	assert_cmd(&r.cmd[0], 0x100000, 2, 0, SMMU_TLBI_TG_4K, 3);
	assert_cmd(&r.cmd[1], 0x100000 + 3 * SZ_4K, 0, 5, SMMU_TLBI_TG_4K, 3);
	/* 31 pages fit one command: NUM = 30. */
	expand(&r, 0, 31 * SZ_4K, SZ_4K, 12, true, true);
	assert_int_equal(r.n, 1);
	assert_cmd(&r.cmd[0], 0, 30, 0, SMMU_TLBI_TG_4K, 3);
}

static void test_ril_ttl_per_level(void **state)
{
	struct rec r = { 0 };

	(void)state;
	expand(&r, 0, SZ_2M, SZ_2M, 12, true, true);
	assert_int_equal(r.n, 1);
	assert_cmd(&r.cmd[0], 0, 0, 9, SMMU_TLBI_TG_4K, 2);
	expand(&r, 0, SZ_1G, SZ_1G, 12, true, true);
	assert_cmd(&r.cmd[0], 0, 0, 18, SMMU_TLBI_TG_4K, 1);
	expand(&r, 0, SZ_16K, SZ_16K, 14, true, true);
	assert_cmd(&r.cmd[0], 0, 0, 0, SMMU_TLBI_TG_16K, 3);
	expand(&r, 0, SZ_32M, SZ_32M, 14, true, true);
	assert_cmd(&r.cmd[0], 0, 0, 11, SMMU_TLBI_TG_16K, 2);
	expand(&r, 0, 2 * SZ_64K, SZ_64K, 16, true, true);
	assert_cmd(&r.cmd[0], 0, 0, 1, SMMU_TLBI_TG_64K, 3);
	/* 16K has no level-1 leaves: no TTL rather than the illegal TTL 1 */
	expand(&r, 0, SZ_1G, UINT64_C(1) << 36, 14, true, true);
	assert_cmd(&r.cmd[0], 0, 0, 16, SMMU_TLBI_TG_16K, 0);
}

/* Non-leaf: no TTL, and a 1-page remainder never becomes NUM=SCALE=0. */
static void test_ril_nonleaf_errata(void **state)
{
	struct rec r = { 0 };

	(void)state;
	expand(&r, 0x5000, SZ_4K, SZ_4K, 12, true, false);
	assert_int_equal(r.n, 1);
	assert_cmd(&r.cmd[0], 0x5000, 0, 1, SMMU_TLBI_TG_4K, 0);
	assert_false(r.cmd[0].leaf);
	expand(&r, 0, 33 * SZ_4K, SZ_4K, 12, true, false);
	assert_int_equal(r.n, 1);
	assert_cmd(&r.cmd[0], 0, 16, 1, SMMU_TLBI_TG_4K, 0);
	/* Leaf single page keeps NUM = SCALE = 0 */
	expand(&r, 0x5000, SZ_4K, SZ_4K, 12, true, true);
	assert_cmd(&r.cmd[0], 0x5000, 0, 0, SMMU_TLBI_TG_4K, 3);
}

/* Every size up to 4096 pages: commands are contiguous and exact. */
static void test_ril_covers_exactly(void **state)
{
	struct rec r = { 0 };

	(void)state;
	for (uint64_t pages = 1; pages <= 4096; pages++) {
		uint64_t iova = 0x40000000, next = iova;

		expand(&r, iova, pages * SZ_4K, SZ_4K, 12, true, true);
		for (unsigned i = 0; i < r.n; i++) {
			uint64_t span = (uint64_t)(r.cmd[i].num + 1) << (r.cmd[i].scale + 12);

			assert_int_equal(r.cmd[i].addr, next);
			assert_true(r.cmd[i].num < SMMU_TLBI_NUM_MAX);
			next += span;
		}
		assert_int_equal(next, iova + pages * SZ_4K);
	}
}

static void test_bad_requests(void **state)
{
	struct smmu_tlbi_range_req req = {
		.iova = 0, .size = SZ_4K, .granule = SZ_4K, .pgsize_log2 = 12,
		.ril = true, .leaf = true,
	};
	struct rec r = { 0 };

	(void)state;
	assert_int_equal(smmu_tlbi_range_expand(NULL, rec_cb, &r), -EINVAL);
	assert_int_equal(smmu_tlbi_range_expand(&req, NULL, &r), -EINVAL);
	req.size = 0;
	assert_int_equal(smmu_tlbi_range_expand(&req, rec_cb, &r), -EINVAL);
	req.size = SZ_4K;
	req.granule = 3000;
	assert_int_equal(smmu_tlbi_range_expand(&req, rec_cb, &r), -EINVAL);
	req.granule = SZ_4K;
	req.pgsize_log2 = 13;
	assert_int_equal(smmu_tlbi_range_expand(&req, rec_cb, &r), -EINVAL);
	req.pgsize_log2 = 12;
	req.iova = 0x800;
	assert_int_equal(smmu_tlbi_range_expand(&req, rec_cb, &r), -EINVAL);
	req.iova = UINT64_MAX - 0xfff;
	req.size = 2 * SZ_4K;
	assert_int_equal(smmu_tlbi_range_expand(&req, rec_cb, &r), -EINVAL);
	assert_int_equal(r.n, 0);
}

static void test_callback_error_stops(void **state)
{
	struct smmu_tlbi_range_req req = {
		.iova = 0, .size = 8 * SZ_4K, .granule = SZ_4K,
	};
	struct rec r = { .stop_after = 2 };

	(void)state;
	assert_int_equal(smmu_tlbi_range_expand(&req, rec_cb, &r), -EIO);
	assert_int_equal(r.n, 2);
}

static void test_atc_span(void **state)
{
	struct smmu_atc_span s;

	(void)state;
	s = smmu_atc_inv_span(7 * SZ_4K, 4 * SZ_4K); /* pages 7..10 */
	assert_int_equal(s.addr, 0);
	assert_int_equal(s.size_log2, 4);
	s = smmu_atc_inv_span(0x5000, SZ_4K);
	assert_int_equal(s.addr, 0x5000);
	assert_int_equal(s.size_log2, 0);
	s = smmu_atc_inv_span(0x1800, SZ_4K);   /* pages 1..2 */
	assert_int_equal(s.addr, 0);
	assert_int_equal(s.size_log2, 2);
	s = smmu_atc_inv_span(SZ_2M, SZ_2M);
	assert_int_equal(s.addr, SZ_2M);
	assert_int_equal(s.size_log2, 9);
	s = smmu_atc_inv_span(0x1234000, 0);
	assert_int_equal(s.addr, 0);
	assert_int_equal(s.size_log2, SMMU_ATC_INV_SIZE_ALL);
	s = smmu_atc_inv_span(UINT64_MAX - 0xfff, 2 * SZ_4K);
	assert_int_equal(s.size_log2, SMMU_ATC_INV_SIZE_ALL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_ril_one_per_granule),
		cmocka_unit_test(test_ril_split_num_scale),
		cmocka_unit_test(test_ril_ttl_per_level),
		cmocka_unit_test(test_ril_nonleaf_errata),
		cmocka_unit_test(test_ril_covers_exactly),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_callback_error_stops),
		cmocka_unit_test(test_atc_span),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

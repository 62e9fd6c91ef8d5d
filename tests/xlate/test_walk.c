/*
 * Tests of the AArch64 table walker: every granule and start level, blocks
 * and pages, both TTBs, stage-2 concatenation, nested walks, each fault
 * type with its stage, level and class, hardware AF/dirty updates,
 * big-endian tables and CD/STE decoding.  Tables are built by hand.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ptb.h"
#include "walk.h"

#define TABLES   UINT64_C(0x10000000)
#define OUT_PA   UINT64_C(0x0000123456000000)
#define AF       SMMU_PTE_AF
#define RW_ANY   (SMMU_PTE_AF | SMMU_PTE_AP_UNPRIV) /* EL0+EL1 read/write */

static const struct smmu_access RD = { .priv = true };
static const struct smmu_access WR = { .write = true, .priv = true };

struct fixture {
	struct smmu_mem *mem;
	struct ptb b;
	struct ptb_mem_ops m;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->mem = smmu_mem_new();
	ptb_init(&f->b, f->mem, TABLES, SMMU_GRANULE_4K_LOG2);
	ptb_mem_ops_init(&f->m, f->mem);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	smmu_mem_free(f->mem);
	free(f);
	return 0;
}

/* A stage-1 config with TTB0 only, 48-bit IPS. */
static struct smmu_s1_cfg s1_cfg(uint64_t ttb0, unsigned tsz, unsigned g)
{
	return (struct smmu_s1_cfg){
		.ttb = { ttb0, 0 }, .tsz = { tsz, tsz }, .granule_log2 = { g, g },
		.epd = { false, true }, .ips_bits = 48,
	};
}

static uint64_t entries_at_start(unsigned ia_bits, unsigned g, int level)
{
	unsigned stride = g - SMMU_PTE_SIZE_LOG2;
	return UINT64_C(1) << (ia_bits - g - stride * (unsigned)(SMMU_LAST_LEVEL - level));
}

/* Pages at each granule and each start level, with the level stated. */
static void test_s1_pages_every_granule_and_start_level(void **state)
{
	static const struct { unsigned g, tsz; int start; } cases[] = {
		{ 12, 16, 0 }, { 12, 25, 1 }, { 12, 34, 2 }, { 12, 43, 3 },
		{ 14, 16, 0 }, { 14, 17, 1 }, { 14, 28, 2 }, { 14, 39, 3 },
		{ 16, 16, 1 }, { 16, 22, 2 }, { 16, 35, 3 },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned g = cases[i].g, ia_bits = 64 - cases[i].tsz;
		uint64_t va = (UINT64_C(0x5a5a5a5a5a5a) & ((UINT64_C(1) << ia_bits) - 1));
		uint64_t root, off = va & ((UINT64_C(1) << g) - 1);
		struct smmu_walk_result r;
		struct smmu_s1_cfg cfg;

		ptb_init(&f->b, f->mem, TABLES + (uint64_t)i * 0x1000000, g);
		root = ptb_table(&f->b, entries_at_start(ia_bits, g, cases[i].start));
		ptb_map(&f->b, root, ia_bits, cases[i].start, va, OUT_PA, 3, AF);
		cfg = s1_cfg(root, cases[i].tsz, g);
		f->m.reads = 0;
		assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, va, RD, &r), SMMU_FAULT_NONE);
		assert_int_equal(r.oa, OUT_PA | off);
		assert_int_equal(r.level, 3);
		assert_int_equal(r.size_log2, g);
		assert_int_equal(r.granule_log2, g);
		assert_int_equal(f->m.reads, (unsigned)(SMMU_LAST_LEVEL - cases[i].start + 1));
	}
}

static void test_s1_blocks(void **state)
{
	static const struct { unsigned g; int level; unsigned size_log2; } cases[] = {
		{ 12, 1, 30 }, { 12, 2, 21 }, { 14, 2, 25 }, { 16, 2, 29 },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned g = cases[i].g, s = cases[i].size_log2;
		int start = g == 16 ? 1 : 0;
		uint64_t va = UINT64_C(0x0000400000000000) + (UINT64_C(3) << s) + 0x1234;
		uint64_t root, oa = UINT64_C(1) << 40;
		struct smmu_walk_result r;
		struct smmu_s1_cfg cfg = s1_cfg(0, 16, g);

		ptb_init(&f->b, f->mem, TABLES + (uint64_t)i * 0x1000000, g);
		root = ptb_table(&f->b, entries_at_start(48, g, start));
		ptb_map(&f->b, root, 48, start, va, oa, cases[i].level, AF);
		cfg.ttb[0] = root;
		assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, va, RD, &r), SMMU_FAULT_NONE);
		assert_int_equal(r.oa, oa + (va & ((UINT64_C(1) << s) - 1)));
		assert_int_equal(r.size_log2, s);
		assert_int_equal(r.level, cases[i].level);
	}
}

static void test_s1_level0_block_is_translation_fault(void **state)
{
	struct fixture *f = *state;
	uint64_t root = ptb_table(&f->b, 512);
	struct smmu_s1_cfg cfg = s1_cfg(root, 16, 12);
	struct smmu_walk_result r;

	ptb_map(&f->b, root, 48, 0, 0, 0, 0, AF);
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r),
			 SMMU_FAULT_TRANSLATION);
	assert_int_equal(r.fault.level, 0);
	assert_int_equal(r.fault.stage, 1);
}

static void test_s1_ttb1_and_range_checks(void **state)
{
	struct fixture *f = *state;
	uint64_t root0 = ptb_table(&f->b, 512), root1 = ptb_table(&f->b, 512);
	uint64_t hi = UINT64_C(0xffffffffffe00000);
	struct smmu_s1_cfg cfg = s1_cfg(root0, 16, 12);
	struct smmu_walk_result r;

	cfg.ttb[1] = root1;
	cfg.epd[1] = false;
	ptb_map(&f->b, root0, 48, 0, 0x1000, 0xa000, 3, AF);
	ptb_map(&f->b, root1, 48, 0, hi, 0xb000, 3, AF);
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, hi + 0x10, RD, &r), SMMU_FAULT_NONE);
	assert_int_equal(r.oa, 0xb010);
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1010, RD, &r), SMMU_FAULT_NONE);
	assert_int_equal(r.oa, 0xa010);
	/* Neither all-zeros nor all-ones above bit 47: outside both ranges. */
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, UINT64_C(0x0001000000001000), RD, &r),
			 SMMU_FAULT_TRANSLATION);
	/* Top byte ignored only with TBI. */
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, UINT64_C(0x5a00000000001000), RD, &r),
			 SMMU_FAULT_TRANSLATION);
	cfg.tbi[0] = true;
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, UINT64_C(0x5a00000000001000), RD, &r),
			 SMMU_FAULT_NONE);
	/* EPD1 disables walks through TTB1 without reading memory. */
	cfg.epd[1] = true;
	f->m.reads = 0;
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, hi, RD, &r), SMMU_FAULT_TRANSLATION);
	assert_int_equal(f->m.reads, 0);
}

/*
 * A disabled TTB1's T1SZ is not checked (the CD validity rules skip it
 * with EPD1 = 1), so the range check must cope with any value: with TBI1
 * and T1SZ < 8 the input range is wider than the bits below the top byte.
 */
static void test_s1_unchecked_t1sz(void **state)
{
	struct fixture *f = *state;
	struct smmu_s1_cfg cfg = s1_cfg(ptb_table(&f->b, 512), 16, 12);
	struct smmu_walk_result r;

	cfg.tbi[1] = true;
	for (unsigned tsz = 0; tsz < 8; tsz++) {
		cfg.tsz[1] = tsz;
		assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, UINT64_C(0xff80000000001000),
					      RD, &r), SMMU_FAULT_TRANSLATION);
	}
}

static void test_s1_invalid_descriptors(void **state)
{
	struct fixture *f = *state;
	uint64_t root = ptb_table(&f->b, 512);
	struct smmu_s1_cfg cfg = s1_cfg(root, 16, 12);
	struct smmu_walk_result r;
	uint64_t leaf = ptb_map(&f->b, root, 48, 0, 0x1000, 0x2000, 3, AF);

	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x3000, RD, &r),
			 SMMU_FAULT_TRANSLATION);
	assert_int_equal(r.fault.level, 3);
	/* Level 3 with bits[1:0] = 01 is reserved. */
	ptb_write(&f->b, leaf, 0x2000 | AF | SMMU_PTE_VALID);
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r),
			 SMMU_FAULT_TRANSLATION);
	assert_int_equal(r.fault.level, 3);
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, UINT64_C(0x8000000000), RD, &r),
			 SMMU_FAULT_TRANSLATION);
	assert_int_equal(r.fault.level, 0);
}

static void test_s1_address_size_faults(void **state)
{
	struct fixture *f = *state;
	uint64_t root = ptb_table(&f->b, 512);
	struct smmu_s1_cfg cfg = s1_cfg(root, 16, 12);
	struct smmu_walk_result r;

	ptb_map(&f->b, root, 48, 0, 0x1000, UINT64_C(0x10000000000), 3, AF);
	cfg.ips_bits = 40;
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r),
			 SMMU_FAULT_ADDR_SIZE);
	assert_int_equal(r.fault.level, 3);
	cfg.ips_bits = 44;
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r), SMMU_FAULT_NONE);
	/* A table address beyond IPS faults at the level that pointed to it. */
	cfg.ips_bits = 32;
	cfg.ttb[0] = root;
	ptb_write(&f->b, root + 8, UINT64_C(0x100000000) | SMMU_PTE_VALID | SMMU_PTE_TYPE);
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, UINT64_C(0x8000000000), RD, &r),
			 SMMU_FAULT_ADDR_SIZE);
	assert_int_equal(r.fault.level, 0);
}

static void test_s1_access_flag(void **state)
{
	struct fixture *f = *state;
	uint64_t root = ptb_table(&f->b, 512);
	struct smmu_s1_cfg cfg = s1_cfg(root, 16, 12);
	struct smmu_walk_result r;
	uint64_t leaf = ptb_map(&f->b, root, 48, 0, 0x1000, 0x2000, 3, 0);

	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r), SMMU_FAULT_ACCESS);
	assert_int_equal(r.fault.level, 3);
	cfg.affd = true;
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r), SMMU_FAULT_NONE);
	assert_int_equal(f->m.writes, 0);
	cfg.affd = false;
	cfg.ha = true;
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r), SMMU_FAULT_NONE);
	assert_true(ptb_read(&f->b, leaf) & SMMU_PTE_AF);
	assert_int_equal(f->m.writes, 1);
	/* A failed hardware update is an abort on a descriptor write. */
	ptb_write(&f->b, leaf, 0x2000 | SMMU_PTE_VALID | SMMU_PTE_TYPE);
	f->m.fail_write_pa = leaf;
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r),
			 SMMU_FAULT_WALK_EABT);
	assert_int_equal(r.fault.fetch_addr, leaf);
	assert_false(r.fault.ttrnw);
}

static void test_s1_dirty_state(void **state)
{
	struct fixture *f = *state;
	uint64_t root = ptb_table(&f->b, 512);
	struct smmu_s1_cfg cfg = s1_cfg(root, 16, 12);
	struct smmu_walk_result r;
	uint64_t leaf = ptb_map(&f->b, root, 48, 0, 0x1000, 0x2000, 3,
				AF | SMMU_PTE_AP_RDONLY | SMMU_PTE_DBM);

	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, WR, &r),
			 SMMU_FAULT_PERMISSION);
	cfg.ha = cfg.hd = true;
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r), SMMU_FAULT_NONE);
	assert_false(r.perms & SMMU_PERM_W_PRIV);
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, WR, &r), SMMU_FAULT_NONE);
	assert_true(r.perms & SMMU_PERM_W_PRIV);
	assert_false(ptb_read(&f->b, leaf) & SMMU_PTE_AP_RDONLY);
}

static enum smmu_fault_type walk_with(struct fixture *f, uint64_t attrs,
				      uint64_t table_attrs, struct smmu_access acc,
				      struct smmu_s1_cfg *cfg)
{
	uint64_t root = ptb_table(&f->b, 512);
	struct smmu_walk_result r;

	ptb_map(&f->b, root, 48, 0, 0x1000, 0x2000, 3, attrs);
	ptb_set_table_attrs(&f->b, root, 48, 0, 0x1000, table_attrs);
	cfg->ttb[0] = root;
	return smmu_walk_s1(cfg, &f->m.ops, 0x1000, acc, &r);
}

static void test_s1_permissions(void **state)
{
	const struct smmu_access urd = { 0 }, uwr = { .write = true };
	const struct smmu_access px = { .exec = true, .priv = true }, ux = { .exec = true };
	struct fixture *f = *state;
	struct smmu_s1_cfg cfg = s1_cfg(0, 16, 12);
	enum smmu_fault_type P = SMMU_FAULT_PERMISSION, OK = SMMU_FAULT_NONE;

	assert_int_equal(walk_with(f, AF, 0, WR, &cfg), OK);
	assert_int_equal(walk_with(f, AF, 0, urd, &cfg), P);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_AP_RDONLY, 0, WR, &cfg), P);
	assert_int_equal(walk_with(f, RW_ANY, 0, uwr, &cfg), OK);
	assert_int_equal(walk_with(f, RW_ANY | SMMU_PTE_AP_RDONLY, 0, uwr, &cfg), P);
	assert_int_equal(walk_with(f, RW_ANY | SMMU_PTE_AP_RDONLY, 0, urd, &cfg), OK);
	/* Execute: UXN for unprivileged, PXN for privileged. */
	assert_int_equal(walk_with(f, AF | SMMU_PTE_UXN, 0, ux, &cfg), P);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_UXN, 0, px, &cfg), OK);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_PXN, 0, px, &cfg), P);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_PXN, 0, ux, &cfg), OK);
	/* EL0-writable regions are never privileged-executable. */
	assert_int_equal(walk_with(f, RW_ANY, 0, px, &cfg), P);
	/* Hierarchical table attributes, unless HAD. */
	assert_int_equal(walk_with(f, AF, SMMU_PTE_TBL_AP_RDONLY, WR, &cfg), P);
	assert_int_equal(walk_with(f, RW_ANY, SMMU_PTE_TBL_AP_NO_UNPRIV, urd, &cfg), P);
	assert_int_equal(walk_with(f, AF, SMMU_PTE_TBL_PXN, px, &cfg), P);
	assert_int_equal(walk_with(f, AF, SMMU_PTE_TBL_UXN, ux, &cfg), P);
	cfg.had[0] = true;
	assert_int_equal(walk_with(f, AF, SMMU_PTE_TBL_AP_RDONLY, WR, &cfg), OK);
	cfg.had[0] = false;
	/* WXN makes writable pages execute-never; PAN blocks privileged data. */
	cfg.wxn = true;
	assert_int_equal(walk_with(f, AF, 0, px, &cfg), P);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_AP_RDONLY, 0, px, &cfg), OK);
	/* ... each level by what it may write: EL0 cannot write AP = 00. */
	assert_int_equal(walk_with(f, AF, 0, ux, &cfg), OK);
	assert_int_equal(walk_with(f, RW_ANY, 0, ux, &cfg), P);
	assert_int_equal(walk_with(f, RW_ANY | SMMU_PTE_AP_RDONLY, 0, ux, &cfg), OK);
	cfg.wxn = false;
	cfg.pan = true;
	assert_int_equal(walk_with(f, RW_ANY, 0, RD, &cfg), P);
	assert_int_equal(walk_with(f, AF, 0, RD, &cfg), OK);
}

/*
 * The EL2 regime has one privilege level (VMSAv8-64 D8.4.1.2): AP[2] alone
 * decides writes, AP[1], APTable[0], PXN and PXNTable mean nothing, XN is
 * the one execute-never bit, PAN does not apply, and an unprivileged
 * access is served as a privileged one.
 */
static void test_s1_el2_regime_permissions(void **state)
{
	const struct smmu_access urd = { 0 }, uwr = { .write = true };
	const struct smmu_access px = { .exec = true, .priv = true }, ux = { .exec = true };
	struct fixture *f = *state;
	struct smmu_s1_cfg cfg = s1_cfg(0, 16, 12);
	enum smmu_fault_type P = SMMU_FAULT_PERMISSION, OK = SMMU_FAULT_NONE;
	struct smmu_walk_result r;

	cfg.regime = SMMU_S1_EL2;
	/* AP[1] = 0 would deny EL0 at EL1&0; here it is ignored. */
	assert_int_equal(walk_with(f, AF, 0, uwr, &cfg), OK);
	assert_int_equal(walk_with(f, AF, 0, urd, &cfg), OK);
	assert_int_equal(walk_with(f, RW_ANY, 0, WR, &cfg), OK);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_AP_RDONLY, 0, uwr, &cfg), P);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_AP_RDONLY, 0, WR, &cfg), P);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_AP_RDONLY, 0, RD, &cfg), OK);
	/* Writable by "EL0" is no reason for execute-never: there is no EL0. */
	assert_int_equal(walk_with(f, RW_ANY, 0, px, &cfg), OK);
	/* XN forbids execution for every access; PXN is RES0 and ignored. */
	assert_int_equal(walk_with(f, AF | SMMU_PTE_XN, 0, px, &cfg), P);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_XN, 0, ux, &cfg), P);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_PXN, 0, px, &cfg), OK);
	/* Tables: APTable[1] and XNTable count, APTable[0] and PXNTable do not. */
	assert_int_equal(walk_with(f, AF, SMMU_PTE_TBL_AP_RDONLY, WR, &cfg), P);
	assert_int_equal(walk_with(f, AF, SMMU_PTE_TBL_AP_NO_UNPRIV, urd, &cfg), OK);
	assert_int_equal(walk_with(f, AF, SMMU_PTE_TBL_XN, px, &cfg), P);
	assert_int_equal(walk_with(f, AF, SMMU_PTE_TBL_PXN, px, &cfg), OK);
	/* WXN: writable memory is execute-never; PAN is ignored. */
	cfg.wxn = true;
	assert_int_equal(walk_with(f, AF, 0, px, &cfg), P);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_AP_RDONLY, 0, ux, &cfg), OK);
	cfg.wxn = false;
	cfg.pan = true;
	assert_int_equal(walk_with(f, RW_ANY, 0, RD, &cfg), OK);
	/* What is granted (and cached) is the same at both privilege levels, and global. */
	assert_int_equal(walk_with(f, AF | SMMU_PTE_AP_RDONLY | SMMU_PTE_NG, 0, RD, &cfg), OK);
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r), OK);
	assert_int_equal(r.perms, (unsigned)(SMMU_PERM_R_PRIV | SMMU_PERM_X_PRIV |
					     SMMU_PERM_R_UNPRIV | SMMU_PERM_X_UNPRIV));
	assert_true(r.global);
}

/* EL2&0 (E2H) has EL0: its leaves read as at EL1&0. */
static void test_s1_el2_0_regime_permissions(void **state)
{
	const struct smmu_access urd = { 0 }, px = { .exec = true, .priv = true };
	struct fixture *f = *state;
	struct smmu_s1_cfg cfg = s1_cfg(0, 16, 12);
	enum smmu_fault_type P = SMMU_FAULT_PERMISSION, OK = SMMU_FAULT_NONE;
	struct smmu_walk_result r;

	cfg.regime = smmu_s1_regime(SMMU_STRW_EL2, true);
	assert_int_equal(cfg.regime, SMMU_S1_EL2_0);
	assert_int_equal(smmu_s1_regime(SMMU_STRW_EL2, false), SMMU_S1_EL2);
	assert_int_equal(smmu_s1_regime(SMMU_STRW_NSEL1, true), SMMU_S1_EL1_0);
	assert_int_equal(walk_with(f, AF, 0, urd, &cfg), P);
	assert_int_equal(walk_with(f, RW_ANY, 0, urd, &cfg), OK);
	assert_int_equal(walk_with(f, RW_ANY, 0, px, &cfg), P);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_PXN, 0, px, &cfg), P);
	cfg.pan = true;
	assert_int_equal(walk_with(f, RW_ANY, 0, RD, &cfg), P);
	assert_int_equal(walk_with(f, AF | SMMU_PTE_NG, 0, RD, &cfg), OK);
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r), OK);
	assert_false(r.global);
}

static void test_walk_eabt_reports_descriptor_address(void **state)
{
	struct fixture *f = *state;
	uint64_t root = ptb_table(&f->b, 512);
	struct smmu_s1_cfg cfg = s1_cfg(root, 16, 12);
	struct smmu_walk_result r;

	ptb_map(&f->b, root, 48, 0, 0x1000, 0x2000, 3, AF);
	f->m.fail_pa = root;
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r),
			 SMMU_FAULT_WALK_EABT);
	assert_int_equal(r.fault.fetch_addr, root);
	assert_int_equal(r.fault.level, 0);
	assert_true(r.fault.ttrnw);
	assert_int_equal(r.fault.class, SMMU_EVT_CLASS_TT);
	assert_int_equal(smmu_fault_event_id(r.fault.type), SMMU_EVT_F_WALK_EABT);
}

static void test_big_endian_tables(void **state)
{
	struct fixture *f = *state;
	uint64_t root = ptb_table(&f->b, 512);
	struct smmu_s1_cfg cfg = s1_cfg(root, 16, 12);
	struct smmu_walk_result r;

	f->b.big_endian = true;
	ptb_map(&f->b, root, 48, 0, 0x1000, 0x2000, 3, AF);
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r),
			 SMMU_FAULT_TRANSLATION);
	cfg.big_endian = true;
	assert_int_equal(smmu_walk_s1(&cfg, &f->m.ops, 0x1000, RD, &r), SMMU_FAULT_NONE);
	assert_int_equal(r.oa, 0x2000);
}

#define S2RW (SMMU_PTE_AF | SMMU_PTE_S2AP_READ | SMMU_PTE_S2AP_WRITE)

static struct smmu_s2_cfg s2_cfg(uint64_t ttb, unsigned tsz, unsigned g, int start)
{
	return (struct smmu_s2_cfg){
		.ttb = ttb, .tsz = tsz, .granule_log2 = g, .start_level = start,
		.ps_bits = 48,
	};
}

/* 40-bit IPA starting at level 1 (4K) needs two concatenated tables. */
static void test_s2_concatenated_start_tables(void **state)
{
	static const struct { unsigned g, tsz; int start; uint64_t ntables; } cases[] = {
		{ 12, 24, 1, 2 }, { 12, 23, 1, 4 }, { 16, 20, 2, 4 }, { 14, 27, 2, 2 },
		{ 12, 32, 2, 4 },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned g = cases[i].g, ia_bits = 64 - cases[i].tsz;
		uint64_t per = UINT64_C(1) << (g - SMMU_PTE_SIZE_LOG2);
		uint64_t root, ipa = (UINT64_C(1) << ia_bits) - (UINT64_C(1) << g) + 0x10;
		struct smmu_s2_cfg cfg = s2_cfg(0, cases[i].tsz, g, cases[i].start);
		struct smmu_walk_result r;

		ptb_init(&f->b, f->mem, TABLES + (uint64_t)i * 0x1000000, g);
		assert_int_equal(entries_at_start(ia_bits, g, cases[i].start),
				 cases[i].ntables * per);
		root = ptb_table(&f->b, cases[i].ntables * per);
		ptb_map(&f->b, root, ia_bits, cases[i].start, ipa, OUT_PA, 3, S2RW);
		ptb_map(&f->b, root, ia_bits, cases[i].start, 0, OUT_PA + 0x100000, 3, S2RW);
		cfg.ttb = root;
		assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, ipa, WR, &r), SMMU_FAULT_NONE);
		assert_int_equal(r.oa, OUT_PA | 0x10);
		assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, 0x8, RD, &r), SMMU_FAULT_NONE);
		assert_int_equal(r.oa, OUT_PA + 0x100008);
		/* Beyond S2T0SZ: a stage-2 translation fault naming the IPA. */
		assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, ipa + (UINT64_C(1) << g), RD, &r),
				 SMMU_FAULT_TRANSLATION);
		assert_int_equal(r.fault.stage, 2);
		assert_int_equal(r.fault.ipa, ipa + (UINT64_C(1) << g));
	}
}

static void test_s2_permissions_and_block(void **state)
{
	const struct smmu_access x = { .exec = true, .priv = true };
	const struct smmu_access ux = { .exec = true };
	struct fixture *f = *state;
	uint64_t root = ptb_table(&f->b, 1024);
	struct smmu_s2_cfg cfg = s2_cfg(root, 24, 12, 1);
	struct smmu_walk_result r;
	uint64_t leaf = ptb_map(&f->b, root, 40, 1, 0x40000000, 0x80000000, 1,
				SMMU_PTE_AF | SMMU_PTE_S2AP_READ);

	assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, 0x40001234, RD, &r), SMMU_FAULT_NONE);
	assert_int_equal(r.oa, 0x80001234);
	assert_int_equal(r.size_log2, 30);
	assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, 0x40001234, WR, &r),
			 SMMU_FAULT_PERMISSION);
	assert_int_equal(r.fault.stage, 2);
	assert_int_equal(r.fault.ipa, 0x40001234);
	assert_int_equal(r.fault.class, SMMU_EVT_CLASS_IN);
	ptb_write(&f->b, leaf, 0x80000000 | SMMU_PTE_AF | SMMU_PTE_S2AP_WRITE |
		  SMMU_PTE_VALID | SMMU_FIELD_PREP(SMMU_PTE_S2_XN, SMMU_S2_XN_NEVER));
	assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, 0x40000000, RD, &r),
			 SMMU_FAULT_PERMISSION);
	assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, 0x40000000, x, &r),
			 SMMU_FAULT_PERMISSION);
	/* XN[0] only counts with XNX: 0b01 forbids privileged execution. */
	ptb_write(&f->b, leaf, 0x80000000 | S2RW | SMMU_PTE_VALID |
		  SMMU_FIELD_PREP(SMMU_PTE_S2_XN, SMMU_S2_XN_PXN));
	assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, 0x40000000, x, &r), SMMU_FAULT_NONE);
	cfg.xnx = true;
	assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, 0x40000000, x, &r),
			 SMMU_FAULT_PERMISSION);
	assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, 0x40000000, ux, &r), SMMU_FAULT_NONE);
	/* Stage-2 access flag and dirty state. */
	ptb_write(&f->b, leaf, 0x80000000 | SMMU_PTE_S2AP_READ | SMMU_PTE_DBM | SMMU_PTE_VALID);
	assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, 0x40000000, RD, &r), SMMU_FAULT_ACCESS);
	cfg.ha = cfg.hd = true;
	assert_int_equal(smmu_walk_s2(&cfg, &f->m.ops, 0x40000000, WR, &r), SMMU_FAULT_NONE);
	assert_int_equal(ptb_read(&f->b, leaf) & S2RW, S2RW);
}

/* Stage-1 tables live at IPAs that stage 2 maps elsewhere. */
struct nested {
	uint64_t s1_root_ipa;
	struct smmu_s1_cfg s1;
	struct smmu_s2_cfg s2;
	uint64_t s2_root;
	uint64_t final_leaf;     /* stage-2 descriptor mapping IPA 0x7000 */
};

#define S1_TABLE_IPA UINT64_C(0x40000000)
#define S1_TABLE_PA  UINT64_C(0x20000000)

static void nested_build(struct fixture *f, struct nested *n)
{
	struct ptb s1b;

	n->s2_root = ptb_table(&f->b, 1024);
	n->s2 = s2_cfg(n->s2_root, 24, 12, 1);
	/* The IPA window holding stage-1 tables maps 1:1 onto S1_TABLE_PA. */
	for (uint64_t off = 0; off < 0x10000; off += 0x1000)
		ptb_map(&f->b, n->s2_root, 40, 1, S1_TABLE_IPA + off, S1_TABLE_PA + off, 3, S2RW);
	/* Stage 1 builds at PAs; its table descriptors hold IPAs. */
	ptb_init(&s1b, f->mem, S1_TABLE_PA, 12);
	s1b.view_delta = S1_TABLE_IPA - S1_TABLE_PA;
	uint64_t root_pa = ptb_table(&s1b, 512);
	ptb_map(&s1b, root_pa, 48, 0, 0x1000, 0x7000, 3, AF);
	ptb_map(&s1b, root_pa, 48, 0, 0x200000, 0x400000, 2, AF);
	ptb_map(&s1b, root_pa, 48, 0, 0x600000, 0x800000, 2, AF);
	n->s1 = s1_cfg(root_pa + s1b.view_delta, 16, 12);
	n->final_leaf = ptb_map(&f->b, n->s2_root, 40, 1, 0x7000, 0x9000, 3, S2RW);
	ptb_map(&f->b, n->s2_root, 40, 1, 0x400000, 0x600000, 2, S2RW);
	ptb_map(&f->b, n->s2_root, 40, 1, 0x812000, 0xa000, 3, S2RW);
}

static void test_nested_walk(void **state)
{
	struct fixture *f = *state;
	struct smmu_walk_result r;
	struct nested n;

	nested_build(f, &n);
	assert_int_equal(smmu_walk_nested(&n.s1, &n.s2, &f->m.ops, 0x1abc, WR, &r),
			 SMMU_FAULT_NONE);
	assert_int_equal(r.oa, 0x9abc);
	assert_int_equal(r.ipa, 0x7abc);
	assert_int_equal(r.size_log2, 12);
	assert_int_equal(r.level, 3);
	/* A 2M stage-1 block over a 2M stage-2 block stays 2M. */
	assert_int_equal(smmu_walk_nested(&n.s1, &n.s2, &f->m.ops, 0x212345, RD, &r),
			 SMMU_FAULT_NONE);
	assert_int_equal(r.oa, 0x612345);
	assert_int_equal(r.size_log2, 21);
	/* A 2M stage-1 block over a 4K stage-2 page caches as 4K. */
	assert_int_equal(smmu_walk_nested(&n.s1, &n.s2, &f->m.ops, 0x612345, RD, &r),
			 SMMU_FAULT_NONE);
	assert_int_equal(r.oa, 0xa345);
	assert_int_equal(r.size_log2, 12);
	assert_int_equal(r.level, 2);
}

static void test_nested_faults_name_stage_and_class(void **state)
{
	struct fixture *f = *state;
	struct smmu_walk_result r;
	struct nested n;

	nested_build(f, &n);
	/* Stage-1 fault: stage 1, class IN. */
	assert_int_equal(smmu_walk_nested(&n.s1, &n.s2, &f->m.ops, 0x5000, RD, &r),
			 SMMU_FAULT_TRANSLATION);
	assert_int_equal(r.fault.stage, 1);
	/* Final IPA unmapped at stage 2: stage 2, class IN, IPA reported. */
	ptb_write(&f->b, n.final_leaf, 0);
	assert_int_equal(smmu_walk_nested(&n.s1, &n.s2, &f->m.ops, 0x1abc, RD, &r),
			 SMMU_FAULT_TRANSLATION);
	assert_int_equal(r.fault.stage, 2);
	assert_int_equal(r.fault.class, SMMU_EVT_CLASS_IN);
	assert_int_equal(r.fault.ipa, 0x7abc);
	/* Stage-1 root table not readable at stage 2: class TT, IPA of the descriptor. */
	ptb_map(&f->b, n.s2_root, 40, 1, n.s1.ttb[0], n.s1.ttb[0] - S1_TABLE_IPA + S1_TABLE_PA,
		3, SMMU_PTE_AF | SMMU_PTE_S2AP_WRITE);
	assert_int_equal(smmu_walk_nested(&n.s1, &n.s2, &f->m.ops, 0x1abc, RD, &r),
			 SMMU_FAULT_PERMISSION);
	assert_int_equal(r.fault.stage, 2);
	assert_int_equal(r.fault.class, SMMU_EVT_CLASS_TT);
	assert_int_equal(r.fault.ipa, n.s1.ttb[0]);
	assert_true(r.fault.ttrnw);
	/* An abort on the stage-1 descriptor's PA: F_WALK_EABT, stage 1, class TT. */
	ptb_map(&f->b, n.s2_root, 40, 1, n.s1.ttb[0], n.s1.ttb[0] - S1_TABLE_IPA + S1_TABLE_PA,
		3, S2RW);
	f->m.fail_pa = n.s1.ttb[0] - S1_TABLE_IPA + S1_TABLE_PA;
	assert_int_equal(smmu_walk_nested(&n.s1, &n.s2, &f->m.ops, 0x1abc, RD, &r),
			 SMMU_FAULT_WALK_EABT);
	assert_int_equal(r.fault.stage, 1);
	assert_int_equal(r.fault.class, SMMU_EVT_CLASS_TT);
	assert_int_equal(r.fault.fetch_addr, f->m.fail_pa);
	/* S2PTW: stage-1 tables in Device memory at stage 2 are a permission fault. */
	f->m.fail_pa = 0;
	n.s2.ptw = true;
	assert_int_equal(smmu_walk_nested(&n.s1, &n.s2, &f->m.ops, 0x1abc, RD, &r),
			 SMMU_FAULT_PERMISSION);
	assert_int_equal(r.fault.class, SMMU_EVT_CLASS_TT);
}

static void test_fault_event_records(void **state)
{
	struct fixture *f = *state;
	const struct smmu_access ux = { .exec = true };
	uint64_t evt[SMMU_EVT_DWORDS];
	struct smmu_walk_result r;
	struct nested n;

	nested_build(f, &n);
	/* Stage-2 permission fault on the final IPA of a write. */
	ptb_map(&f->b, n.s2_root, 40, 1, 0x7000, 0x9000, 3, SMMU_PTE_AF | SMMU_PTE_S2AP_READ);
	assert_int_equal(smmu_walk_nested(&n.s1, &n.s2, &f->m.ops, 0x1abc, WR, &r),
			 SMMU_FAULT_PERMISSION);
	smmu_fault_event(&r.fault, 0x1abc, WR, evt);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_PERMISSION);
	assert_int_equal(evt[1], SMMU_EVT1_PNU | SMMU_EVT1_S2 |
			 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_IN));
	assert_int_equal(evt[2], 0x1abc);
	assert_int_equal(evt[3], 0x7000);
	/* Stage-1 fault of an unprivileged instruction fetch: no IPA. */
	assert_int_equal(smmu_walk_nested(&n.s1, &n.s2, &f->m.ops, 0x5000, ux, &r),
			 SMMU_FAULT_TRANSLATION);
	smmu_fault_event(&r.fault, 0x5000, ux, evt);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_TRANSLATION);
	assert_int_equal(evt[1], SMMU_EVT1_IND | SMMU_EVT1_RNW |
			 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_IN));
	assert_int_equal(evt[3], 0);
	/* Abort on a stage-1 descriptor: S2 = 0, CLASS = TT, the fetch address. */
	f->m.fail_pa = n.s1.ttb[0] - S1_TABLE_IPA + S1_TABLE_PA;
	assert_int_equal(smmu_walk_nested(&n.s1, &n.s2, &f->m.ops, 0x1abc, RD, &r),
			 SMMU_FAULT_WALK_EABT);
	smmu_fault_event(&r.fault, 0x1abc, RD, evt);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_WALK_EABT);
	assert_int_equal(evt[1], SMMU_EVT1_PNU | SMMU_EVT1_RNW | SMMU_EVT1_TTRNW |
			 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_TT));
	assert_int_equal(evt[3], f->m.fail_pa);
}

/* Configurations no checked CD or STE can hold fault; they never crash. */
static void test_nonsense_geometry_faults(void **state)
{
	struct fixture *f = *state;
	struct smmu_s1_cfg s1 = s1_cfg(0, 16, 0);
	struct smmu_s2_cfg s2 = s2_cfg(0, 0, 12, 1);
	struct smmu_walk_result r;

	assert_int_equal(smmu_walk_s1(&s1, &f->m.ops, 0x1000, RD, &r), SMMU_FAULT_TRANSLATION);
	s1 = s1_cfg(0, 60, 16);
	assert_int_equal(smmu_walk_s1(&s1, &f->m.ops, 0x1, RD, &r), SMMU_FAULT_TRANSLATION);
	assert_int_equal(smmu_walk_s2(&s2, &f->m.ops, 0x1000, RD, &r), SMMU_FAULT_TRANSLATION);
	s2 = s2_cfg(0, 24, 12, 3);  /* a 40-bit IPA cannot start at level 3 */
	assert_int_equal(smmu_walk_s2(&s2, &f->m.ops, 0x1000, RD, &r), SMMU_FAULT_TRANSLATION);
	s2 = s2_cfg(0, 24, 12, -1);
	assert_int_equal(smmu_walk_s2(&s2, &f->m.ops, 0x1000, RD, &r), SMMU_FAULT_TRANSLATION);
	assert_int_equal(f->m.reads, 0);
}

/* CD.TG0 and STE.S2TG share code points; CD.TG1 has its own. */
static void test_granule_encodings(void **state)
{
	(void)state;
	assert_int_equal(smmu_tg0_log2(SMMU_TG0_4K), 12);
	assert_int_equal(smmu_tg0_log2(SMMU_TG0_16K), 14);
	assert_int_equal(smmu_tg0_log2(SMMU_TG0_64K), 16);
	assert_int_equal(smmu_tg0_log2(SMMU_S2TG_64K), 16);
	assert_int_equal(smmu_tg0_log2(3), 0);
	assert_int_equal(smmu_tg1_log2(SMMU_TG1_4K), 12);
	assert_int_equal(smmu_tg1_log2(SMMU_TG1_16K), 14);
	assert_int_equal(smmu_tg1_log2(SMMU_TG1_64K), 16);
	assert_int_equal(smmu_tg1_log2(0), 0);
	assert_int_equal(smmu_s2sl0_decode(12, 1), 1);
	assert_int_equal(smmu_s2sl0_decode(16, 1), 2);
	assert_int_equal(smmu_s2sl0_decode(14, 3), -1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_s1_pages_every_granule_and_start_level),
		T(test_s1_blocks),
		T(test_s1_level0_block_is_translation_fault),
		T(test_s1_ttb1_and_range_checks),
		T(test_s1_unchecked_t1sz),
		T(test_s1_invalid_descriptors),
		T(test_s1_address_size_faults),
		T(test_s1_access_flag),
		T(test_s1_dirty_state),
		T(test_s1_permissions),
		T(test_s1_el2_regime_permissions),
		T(test_s1_el2_0_regime_permissions),
		T(test_walk_eabt_reports_descriptor_address),
		T(test_big_endian_tables),
		T(test_s2_concatenated_start_tables),
		T(test_s2_permissions_and_block),
		T(test_nested_walk),
		T(test_nested_faults_name_stage_and_class),
		T(test_fault_event_records),
		T(test_nonsense_geometry_faults),
		cmocka_unit_test(test_granule_encodings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

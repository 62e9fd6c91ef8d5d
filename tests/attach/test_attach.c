/*
 * Unit tests for IOTLB cache tags and the attach/detach state machine,
 * against the driver tests' fake SMMU (which logs every command it
 * executes): tags found before allocated, the tag-wide TLBI and its
 * CMD_SYNC issued before an ID goes back to the pool, exhaustion with
 * nothing changed, sharing across SMMUs of one tag context, ATS, PASIDs,
 * vSMMUs, argument checks, and a failing DMA allocation at every step of
 * add and attach.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmu/arch.h>
#include <smmu/bits.h>
#include <smmu/domain.h>
#include <smmu/driver.h>

#include "dev.h"
#include "domain.h"
#include "fake_smmu.h"
#include "idmap.h"
#include "strtab.h"
#include "tags.h"

#define SZ_4K UINT64_C(0x1000)
#define SZ_2M UINT64_C(0x200000)
#define IOVA UINT64_C(0x40000000)
#define PA UINT64_C(0x80000000)
#define NONE (-1)

struct unit {
	struct fake_smmu fake;
	struct smmu_dev *dev;
	/* Error injection: the Nth DMA allocation from now fails (0: none). */
	struct smmu_platform fake_plat;
	int fail_at;
};

struct fixture {
	struct smmu_tag_ctx *tags;
	struct unit u[2];
};

static void quiet_log(void *opaque, enum smmu_log_level level, const char *msg)
{
	(void)opaque;
	(void)level;
	(void)msg;
}

static int failing_dma_alloc(void *opaque, size_t size, size_t align, void **cpu,
			     uint64_t *bus)
{
	struct unit *u = opaque;

	if (u->fail_at && --u->fail_at == 0)
		return -ENOMEM;
	return u->fake_plat.dma_alloc(u->fake_plat.opaque, size, align, cpu, bus);
}

static void failing_dma_free(void *opaque, void *cpu, uint64_t bus, size_t size)
{
	struct unit *u = opaque;

	u->fake_plat.dma_free(u->fake_plat.opaque, cpu, bus, size);
}

static uint32_t fake_read32(void *o, uint64_t off)
{
	struct unit *u = o;

	return u->fake_plat.read32(u->fake_plat.opaque, off);
}

static uint64_t fake_read64(void *o, uint64_t off)
{
	struct unit *u = o;

	return u->fake_plat.read64(u->fake_plat.opaque, off);
}

static void fake_write32(void *o, uint64_t off, uint32_t v)
{
	struct unit *u = o;

	u->fake_plat.write32(u->fake_plat.opaque, off, v);
}

static void fake_write64(void *o, uint64_t off, uint64_t v)
{
	struct unit *u = o;

	u->fake_plat.write64(u->fake_plat.opaque, off, v);
}

static void unit_probe(struct unit *u, struct smmu_tag_ctx *tags, bool asid16)
{
	struct smmu_dev_options opts = { .log = quiet_log, .tags = tags };
	struct smmu_platform plat;

	fake_smmu_init(&u->fake);
	if (!asid16)
		fake_set_reg(&u->fake, SMMU_IDR0, fake_reg(&u->fake, SMMU_IDR0) &
			     ~(uint32_t)(SMMU_IDR0_ASID16 | SMMU_IDR0_VMID16));
	fake_smmu_start(&u->fake);
	fake_smmu_platform(&u->fake, &u->fake_plat);
	plat = u->fake_plat;
	plat.opaque = u;
	plat.read32 = fake_read32;
	plat.read64 = fake_read64;
	plat.write32 = fake_write32;
	plat.write64 = fake_write64;
	plat.dma_alloc = failing_dma_alloc;
	plat.dma_free = failing_dma_free;
	assert_int_equal(smmu_dev_probe(&plat, &opts, &u->dev), 0);
}

static int setup_n(void **state, unsigned n, bool shared, bool asid16)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	if (shared)
		assert_int_equal(smmu_tag_ctx_new(&fx->tags), 0);
	for (unsigned i = 0; i < n; i++)
		unit_probe(&fx->u[i], fx->tags, asid16);
	smmu_thread_register();
	*state = fx;
	return 0;
}

static int setup(void **state)
{
	return setup_n(state, 1, false, true);
}

static int setup_8bit(void **state)
{
	return setup_n(state, 1, false, false);
}

static int setup_two(void **state)
{
	return setup_n(state, 2, true, false);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	urcu_memb_barrier();
	smmu_thread_unregister();
	for (unsigned i = 0; i < 2; i++) {
		if (!fx->u[i].dev)
			continue;
		smmu_dev_remove(fx->u[i].dev);
		assert_int_equal(fx->u[i].fake.dma_live, 0);
		fake_smmu_fini(&fx->u[i].fake);
	}
	assert_int_equal(smmu_tag_ctx_free(fx->tags), 0);
	free(fx);
	return 0;
}

/* ---- Helpers ---------------------------------------------------------------- */

static unsigned op_of(const struct fake_cmd *c)
{
	return (unsigned)SMMU_FIELD_GET(SMMU_CMD0_OP, c->dw[0]);
}

/* Index of the first command op at or after from (matching the tag id). */
static int find_cmd(const struct fake_smmu *f, size_t from, unsigned op, int id)
{
	for (size_t i = from; i < f->nlog; i++) {
		const struct fake_cmd *c = &f->log[i];
		uint64_t tag = op == SMMU_CMD_TLBI_S12_VMALL || op == SMMU_CMD_TLBI_S2_IPA ?
				       SMMU_FIELD_GET(SMMU_CMD0_VMID, c->dw[0]) :
				       op == SMMU_CMD_ATC_INV ?
				       SMMU_FIELD_GET(SMMU_CMD0_SID, c->dw[0]) :
				       SMMU_FIELD_GET(SMMU_CMD0_ASID, c->dw[0]);

		if (op_of(c) == op && (id == NONE || tag == (uint64_t)id))
			return (int)i;
	}
	return -1;
}

static unsigned count_cmd(const struct fake_smmu *f, size_t from, unsigned op)
{
	unsigned n = 0;

	for (size_t i = from; i < f->nlog; i++)
		n += op_of(&f->log[i]) == op;
	return n;
}

static struct smmu_domain *domain_new(struct smmu_dev *dev, enum smmu_domain_type type)
{
	struct smmu_domain_config cfg = { .type = type, .granule_log2 = 12 };
	struct smmu_domain *d;

	assert_int_equal(smmu_domain_alloc(dev, &cfg, &d), 0);
	return d;
}

static struct smmu_master *master_new(struct smmu_dev *dev, uint32_t sid, bool ats)
{
	const uint32_t sids[] = { sid, sid + 1 };
	struct smmu_master_config cfg = {
		.sids = sids, .num_sids = 2, .ssid_bits = 8, .ats = ats,
	};
	struct smmu_master *m;

	assert_int_equal(smmu_master_add(dev, &cfg, &m), 0);
	return m;
}

static unsigned ste_config(struct smmu_dev *dev, uint32_t sid)
{
	return (unsigned)SMMU_FIELD_GET(SMMU_STE0_CONFIG, smmu_strtab_ste(dev, sid)[0]);
}

static uint32_t tag_of(struct smmu_domain *d, struct smmu_dev *dev)
{
	uint32_t id = 0;

	assert_int_equal(smmu_domain_get_tag(d, dev, &id), 0);
	return id;
}

/* ---- The bounded ID map (an 8-bit SMMU in a 16-bit ASID space) ------------- */

static void test_idmap_alloc_range(void **state)
{
	struct smmu_idmap *map;
	uint32_t id, first;

	(void)state;
	assert_int_equal(smmu_idmap_create(1, 65535, &map), 0);
	assert_int_equal(smmu_idmap_alloc_range(map, NULL, 0, 255, &id), -EINVAL);
	assert_int_equal(smmu_idmap_alloc_range(map, NULL, 1, 65536, &id), -EINVAL);
	assert_int_equal(smmu_idmap_alloc_range(map, NULL, 9, 8, &id), -EINVAL);
	/* A 16-bit user moves the hint far above the 8-bit range. */
	assert_int_equal(smmu_idmap_alloc_specific(map, 40000, NULL), 0);
	assert_int_equal(smmu_idmap_alloc(map, NULL, &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(smmu_idmap_alloc_range(map, NULL, 200, 300, &first), 0);
	assert_int_equal(first, 200);
	for (uint32_t i = 0; i < 253; i++) {  /* all but 1 and 200 */
		assert_int_equal(smmu_idmap_alloc_range(map, NULL, 1, 255, &id), 0);
		assert_true(id >= 2 && id <= 255);
	}
	assert_int_equal(smmu_idmap_alloc_range(map, NULL, 1, 255, &id), -ENOSPC);
	assert_int_equal(smmu_idmap_count(map), 256);
	/* The one freed ID is found again, whatever the hint. */
	assert_int_equal(smmu_idmap_release(map, 130), 0);
	assert_int_equal(smmu_idmap_alloc_range(map, NULL, 1, 255, &id), 0);
	assert_int_equal(id, 130);
	assert_int_equal(smmu_idmap_alloc_range(map, NULL, 256, 65535, &id), 0);
	assert_int_equal(id, 256);
	smmu_idmap_destroy(map);
}

/* ---- Tags -------------------------------------------------------------------- */

static void test_s1_tag_shared_and_flushed_by_last_user(void **state)
{
	struct fixture *fx = *state;
	struct smmu_dev *dev = fx->u[0].dev;
	struct fake_smmu *f = &fx->u[0].fake;
	struct smmu_domain *d = domain_new(dev, SMMU_DOMAIN_S1);
	struct smmu_master *a = master_new(dev, 0x10, false);
	struct smmu_master *b = master_new(dev, 0x20, false);
	uint32_t id;
	size_t mark;
	int tlbi;

	assert_int_equal(smmu_domain_get_tag(d, dev, &id), -ENOENT);
	assert_int_equal(smmu_master_attach(a, d), 0);
	id = tag_of(d, dev);
	assert_true(id >= 1);
	assert_int_equal(ste_config(dev, 0x10), SMMU_STE_CFG_S1);
	assert_int_equal(smmu_master_attach(b, d), 0);
	assert_int_equal(tag_of(d, dev), id);   /* found, not allocated */
	assert_int_equal(smmu_idmap_count(dev->tags->asid_map), 1);
	assert_int_equal(smmu_domain_free(d), -EBUSY);

	/* Unmap invalidates the range on the tag, then syncs. */
	assert_int_equal(smmu_domain_map(d, IOVA, PA, SZ_4K, SMMU_PROT_READ), 0);
	mark = f->nlog;
	assert_int_equal(smmu_domain_unmap(d, IOVA, SZ_4K), (int64_t)SZ_4K);
	tlbi = find_cmd(f, mark, SMMU_CMD_TLBI_NH_VA, (int)id);
	assert_true(tlbi >= 0);
	assert_true(find_cmd(f, (size_t)tlbi, SMMU_CMD_SYNC, NONE) > tlbi);

	mark = f->nlog;
	assert_int_equal(smmu_master_attach(a, domain_new(dev, SMMU_DOMAIN_IDENTITY)), 0);
	assert_int_equal(find_cmd(f, mark, SMMU_CMD_TLBI_NH_ASID, NONE), -1);
	assert_int_equal(ste_config(dev, 0x10), SMMU_STE_CFG_BYPASS);
	assert_int_equal(tag_of(d, dev), id);

	mark = f->nlog;
	smmu_master_remove(b);
	tlbi = find_cmd(f, mark, SMMU_CMD_TLBI_NH_ASID, (int)id);
	assert_true(tlbi >= 0);
	assert_true(find_cmd(f, (size_t)tlbi, SMMU_CMD_SYNC, NONE) > tlbi);
	assert_int_equal(smmu_domain_get_tag(d, dev, &id), -ENOENT);
	assert_int_equal(smmu_idmap_count(dev->tags->asid_map), 0);
	assert_int_equal(smmu_domain_free(d), 0);
	d = smmu_master_domain(a);
	smmu_master_remove(a);
	assert_int_equal(smmu_domain_free(d), 0);
}

static void test_s2_vmid_flushed_with_s12_vmall(void **state)
{
	struct fixture *fx = *state;
	struct smmu_dev *dev = fx->u[0].dev;
	struct fake_smmu *f = &fx->u[0].fake;
	struct smmu_domain *d = domain_new(dev, SMMU_DOMAIN_S2);
	struct smmu_master *a = master_new(dev, 0x30, false);
	uint32_t vmid;
	size_t mark;
	int tlbi;

	assert_int_equal(smmu_master_attach(a, d), 0);
	vmid = tag_of(d, dev);
	assert_int_equal(ste_config(dev, 0x30), SMMU_STE_CFG_S2);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STE2_S2VMID, smmu_strtab_ste(dev, 0x31)[2]), vmid);
	assert_int_equal(smmu_idmap_count(dev->vmid_map), 1);
	mark = f->nlog;
	smmu_master_remove(a);
	tlbi = find_cmd(f, mark, SMMU_CMD_TLBI_S12_VMALL, (int)vmid);
	assert_true(tlbi >= 0);
	assert_true(find_cmd(f, (size_t)tlbi, SMMU_CMD_SYNC, NONE) > tlbi);
	assert_int_equal(smmu_idmap_count(dev->vmid_map), 0);
	assert_int_equal(smmu_domain_free(d), 0);
}

/* Fill the 8-bit ASID space but for one ID, as other domains would. */
static void occupy_asids_but(struct smmu_dev *dev, uint32_t keep)
{
	for (uint32_t id = 1; id < 256; id++) {
		int ret = id == keep ? 0 : smmu_idmap_alloc_specific(dev->tags->asid_map, id, dev);

		assert_true(ret == 0 || ret == -EBUSY);
	}
}

static void test_freed_asid_reused_only_after_flush(void **state)
{
	struct fixture *fx = *state;
	struct smmu_dev *dev = fx->u[0].dev;
	struct fake_smmu *f = &fx->u[0].fake;
	struct smmu_domain *a = domain_new(dev, SMMU_DOMAIN_S1);
	struct smmu_domain *b = domain_new(dev, SMMU_DOMAIN_S1);
	struct smmu_domain *ident = domain_new(dev, SMMU_DOMAIN_IDENTITY);
	struct smmu_master *m = master_new(dev, 0x40, false);
	int flush;
	size_t mark;

	occupy_asids_but(dev, 77);
	assert_int_equal(smmu_master_attach(m, a), 0);
	assert_int_equal(tag_of(a, dev), 77);
	/* The new tag is taken before the old one is freed: none is left. */
	assert_int_equal(smmu_master_attach(m, b), -ENOSPC);
	mark = f->nlog;
	assert_int_equal(smmu_master_attach(m, ident), 0);
	flush = find_cmd(f, mark, SMMU_CMD_TLBI_NH_ASID, 77);
	assert_true(flush >= 0);
	assert_true(find_cmd(f, (size_t)flush, SMMU_CMD_SYNC, NONE) > flush);
	assert_int_equal(smmu_domain_get_tag(a, dev, &(uint32_t){ 0 }), -ENOENT);
	/* B's CD with ASID 77 is written only after the flush completed. */
	assert_int_equal(smmu_master_attach(m, b), 0);
	assert_int_equal(tag_of(b, dev), 77);
	assert_true(find_cmd(f, (size_t)flush, SMMU_CMD_CFGI_CD, NONE) > flush);
	smmu_master_remove(m);
	assert_int_equal(smmu_domain_free(a), 0);
	assert_int_equal(smmu_domain_free(b), 0);
	assert_int_equal(smmu_domain_free(ident), 0);
}

static void test_exhaustion_changes_nothing(void **state)
{
	struct fixture *fx = *state;
	struct smmu_dev *dev = fx->u[0].dev;
	struct smmu_domain *a = domain_new(dev, SMMU_DOMAIN_S1);
	struct smmu_domain *b = domain_new(dev, SMMU_DOMAIN_S1);
	struct smmu_domain *s2 = domain_new(dev, SMMU_DOMAIN_S2);
	struct smmu_master *m = master_new(dev, 0x50, false);
	uint64_t ste[SMMU_STE_DWORDS];
	long dma;

	occupy_asids_but(dev, 3);
	assert_int_equal(smmu_master_attach(m, a), 0);
	memcpy(ste, smmu_strtab_ste(dev, 0x50), sizeof(ste));
	dma = fx->u[0].fake.dma_live;
	assert_int_equal(smmu_master_attach(m, b), -ENOSPC);
	assert_ptr_equal(smmu_master_domain(m), a);
	assert_memory_equal(ste, smmu_strtab_ste(dev, 0x50), sizeof(ste));
	assert_int_equal(fx->u[0].fake.dma_live, dma);
	assert_int_equal(smmu_domain_get_tag(b, dev, &(uint32_t){ 0 }), -ENOENT);
	assert_int_equal(tag_of(a, dev), 3);
	assert_int_equal(smmu_idmap_count(dev->tags->asid_map), 255);

	/* VMIDs: 8 bits too. */
	for (uint32_t id = 1; id < 256; id++)
		assert_int_equal(smmu_idmap_alloc_specific(dev->vmid_map, id, dev), 0);
	assert_int_equal(smmu_master_attach(m, s2), -ENOSPC);
	assert_ptr_equal(smmu_master_domain(m), a);
	assert_memory_equal(ste, smmu_strtab_ste(dev, 0x50), sizeof(ste));
	smmu_master_remove(m);
	assert_int_equal(smmu_domain_free(a), 0);
	assert_int_equal(smmu_domain_free(b), 0);
	assert_int_equal(smmu_domain_free(s2), 0);
}

static void test_shared_domain_on_two_smmus(void **state)
{
	struct fixture *fx = *state;
	struct smmu_dev *d0 = fx->u[0].dev, *d1 = fx->u[1].dev;
	struct smmu_domain *d = domain_new(d0, SMMU_DOMAIN_S1);
	struct smmu_master *m0 = master_new(d0, 0x10, false);
	struct smmu_master *m1 = master_new(d1, 0x10, false);
	size_t mark0, mark1;
	uint32_t t0, t1;

	assert_ptr_equal(d0->tags, d1->tags);
	assert_int_equal(smmu_master_attach(m0, d), 0);
	assert_int_equal(smmu_master_attach(m1, d), 0);
	t0 = tag_of(d, d0);
	t1 = tag_of(d, d1);
	assert_int_not_equal(t0, t1);   /* one ASID map for both */
	assert_int_equal(smmu_domain_map(d, IOVA, PA, SZ_4K, SMMU_PROT_READ), 0);
	mark0 = fx->u[0].fake.nlog;
	mark1 = fx->u[1].fake.nlog;
	assert_int_equal(smmu_domain_unmap(d, IOVA, SZ_4K), (int64_t)SZ_4K);
	assert_true(find_cmd(&fx->u[0].fake, mark0, SMMU_CMD_TLBI_NH_VA, (int)t0) >= 0);
	assert_true(find_cmd(&fx->u[1].fake, mark1, SMMU_CMD_TLBI_NH_VA, (int)t1) >= 0);

	/* Leaving one SMMU flushes there only; the freed ASID serves others. */
	mark0 = fx->u[0].fake.nlog;
	mark1 = fx->u[1].fake.nlog;
	smmu_master_remove(m0);
	assert_true(find_cmd(&fx->u[0].fake, mark0, SMMU_CMD_TLBI_NH_ASID, (int)t0) >= 0);
	assert_int_equal(count_cmd(&fx->u[1].fake, mark1, SMMU_CMD_TLBI_NH_ASID), 0);
	assert_int_equal(smmu_domain_get_tag(d, d0, &t0), -ENOENT);
	occupy_asids_but(d1, 0);
	assert_int_equal(smmu_idmap_release(d1->tags->asid_map, 200), 0);
	{
		struct smmu_domain *e = domain_new(d1, SMMU_DOMAIN_S1);

		assert_int_equal(smmu_master_attach(m1, e), 0);
		assert_int_equal(tag_of(e, d1), 200);
		smmu_master_remove(m1);
		assert_int_equal(smmu_domain_free(e), 0);
	}
	assert_int_equal(smmu_domain_free(d), 0);
}

/* One unmap, one gathered range: one TLBI (RIL) and one CMD_SYNC. */
static void test_unmap_gathers_one_range(void **state)
{
	struct fixture *fx = *state;
	struct smmu_dev *dev = fx->u[0].dev;
	struct fake_smmu *f = &fx->u[0].fake;
	struct smmu_domain *d = domain_new(dev, SMMU_DOMAIN_S1);
	struct smmu_master *m = master_new(dev, 0x90, false);
	bool nonleaf;
	size_t mark;
	int leaf;

	assert_int_equal(smmu_master_attach(m, d), 0);
	assert_int_equal(smmu_domain_map(d, IOVA, PA, 16 * SZ_4K, SMMU_PROT_READ), 0);
	assert_int_equal(smmu_domain_map(d, IOVA + SZ_2M, PA, SZ_2M, SMMU_PROT_READ), 0);
	mark = f->nlog;
	assert_int_equal(smmu_domain_unmap(d, IOVA + SZ_4K, 8 * SZ_4K), (int64_t)(8 * SZ_4K));
	assert_int_equal(count_cmd(f, mark, SMMU_CMD_TLBI_NH_VA), 1);
	assert_int_equal(count_cmd(f, mark, SMMU_CMD_SYNC), 1);
	leaf = find_cmd(f, mark, SMMU_CMD_TLBI_NH_VA, NONE);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD1_TLBI_LEAF, f->log[leaf].dw[1]), 1);
	/* A 2M block: its own leaf size, its own range. */
	mark = f->nlog;
	assert_int_equal(smmu_domain_unmap(d, IOVA + SZ_2M, SZ_2M), (int64_t)SZ_2M);
	assert_int_equal(count_cmd(f, mark, SMMU_CMD_TLBI_NH_VA), 1);
	leaf = find_cmd(f, mark, SMMU_CMD_TLBI_NH_VA, NONE);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD1_TLBI_TTL, f->log[leaf].dw[1]), 2);
	/* Emptying the leaf table also invalidates the walk (non-leaf). */
	mark = f->nlog;
	assert_int_equal(smmu_domain_unmap(d, IOVA, SZ_4K), (int64_t)SZ_4K);
	assert_int_equal(smmu_domain_unmap(d, IOVA + 9 * SZ_4K, 7 * SZ_4K), (int64_t)(7 * SZ_4K));
	nonleaf = false;
	for (size_t i = mark; i < f->nlog; i++)
		nonleaf |= op_of(&f->log[i]) == SMMU_CMD_TLBI_NH_VA &&
			   !SMMU_FIELD_GET(SMMU_CMD1_TLBI_LEAF, f->log[i].dw[1]);
	assert_true(nonleaf);
	assert_int_equal(smmu_domain_unmap(d, IOVA, SZ_4K), 0);
	smmu_master_remove(m);
	assert_int_equal(smmu_domain_free(d), 0);
}

/* ---- ATS, PASIDs, vSMMUs ------------------------------------------------------- */

static void test_ats_enable_order_and_entries(void **state)
{
	struct fixture *fx = *state;
	struct smmu_dev *dev = fx->u[0].dev;
	struct fake_smmu *f = &fx->u[0].fake;
	struct smmu_domain *d = domain_new(dev, SMMU_DOMAIN_S2);
	struct smmu_domain *id = domain_new(dev, SMMU_DOMAIN_IDENTITY);
	struct smmu_master *m = master_new(dev, 0x60, true);
	size_t mark = f->nlog;
	int atc, cfgi, tlbi;

	assert_int_equal(smmu_master_attach(m, d), 0);
	atc = find_cmd(f, mark, SMMU_CMD_ATC_INV, 0x61);
	cfgi = find_cmd(f, mark, SMMU_CMD_CFGI_STE, NONE);
	assert_true(atc >= 0 && cfgi > atc);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD1_ATC_SIZE, f->log[atc].dw[1]),
			 SMMU_ATC_INV_SIZE_ALL);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STE1_EATS, smmu_strtab_ste(dev, 0x60)[1]),
			 SMMU_EATS_TRANS);

	assert_int_equal(smmu_domain_map(d, IOVA, PA, SZ_4K, SMMU_PROT_WRITE), 0);
	mark = f->nlog;
	assert_int_equal(smmu_domain_unmap(d, IOVA, SZ_4K), (int64_t)SZ_4K);
	tlbi = find_cmd(f, mark, SMMU_CMD_TLBI_S2_IPA, NONE);
	atc = find_cmd(f, mark, SMMU_CMD_ATC_INV, 0x60);
	assert_true(tlbi >= 0 && atc > tlbi);
	assert_true(find_cmd(f, (size_t)tlbi, SMMU_CMD_SYNC, NONE) < atc);
	assert_true(find_cmd(f, (size_t)atc, SMMU_CMD_ATC_INV, 0x61) > atc);

	assert_int_equal(smmu_master_attach(m, id), 0);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STE1_EATS, smmu_strtab_ste(dev, 0x60)[1]), 0);
	mark = f->nlog;
	assert_int_equal(smmu_domain_map(d, IOVA, PA, SZ_4K, SMMU_PROT_WRITE), 0);
	assert_int_equal(smmu_domain_unmap(d, IOVA, SZ_4K), (int64_t)SZ_4K);
	assert_int_equal(count_cmd(f, mark, SMMU_CMD_ATC_INV), 0);
	smmu_master_remove(m);
	assert_int_equal(smmu_domain_free(d), 0);
	assert_int_equal(smmu_domain_free(id), 0);
}

static void test_pasid_shares_the_tag(void **state)
{
	struct fixture *fx = *state;
	struct smmu_dev *dev = fx->u[0].dev;
	struct fake_smmu *f = &fx->u[0].fake;
	struct smmu_domain *d = domain_new(dev, SMMU_DOMAIN_S1);
	struct smmu_domain *s2 = domain_new(dev, SMMU_DOMAIN_S2);
	struct smmu_master *m = master_new(dev, 0x70, false);
	uint64_t *ste = smmu_strtab_ste(dev, 0x70);
	uint32_t asid;
	size_t mark;

	assert_int_equal(smmu_master_attach_pasid(m, 5, d), 0);
	assert_int_equal(ste_config(dev, 0x70), SMMU_STE_CFG_S1);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STE1_S1DSS, ste[1]), SMMU_S1DSS_TERMINATE);
	asid = tag_of(d, dev);
	assert_int_equal(smmu_master_attach(m, d), 0);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STE1_S1DSS, ste[1]), SMMU_S1DSS_SSID0);
	assert_int_equal(tag_of(d, dev), asid);
	assert_int_equal(smmu_idmap_count(dev->tags->asid_map), 1);
	assert_int_equal(smmu_master_attach(m, s2), -EBUSY);  /* PASIDs in use */
	assert_int_equal(smmu_master_attach_pasid(m, 1u << 8, d), -EINVAL);
	assert_int_equal(smmu_master_detach_pasid(m, 6), -ENOENT);

	mark = f->nlog;
	assert_int_equal(smmu_master_detach_pasid(m, 5), 0);
	assert_int_equal(find_cmd(f, mark, SMMU_CMD_TLBI_NH_ASID, NONE), -1);
	mark = f->nlog;
	assert_int_equal(smmu_master_attach(m, s2), 0);
	assert_true(find_cmd(f, mark, SMMU_CMD_TLBI_NH_ASID, (int)asid) >= 0);
	assert_int_equal(smmu_master_attach_pasid(m, 5, d), -EBUSY); /* S2 RID */
	smmu_master_remove(m);
	assert_int_equal(smmu_domain_free(d), 0);
	assert_int_equal(smmu_domain_free(s2), 0);
}

static void test_vsmmu_owns_its_vmid(void **state)
{
	struct fixture *fx = *state;
	struct smmu_dev *dev = fx->u[0].dev;
	struct fake_smmu *f = &fx->u[0].fake;
	struct smmu_domain_config pcfg = { .type = SMMU_DOMAIN_S2, .nest_parent = true };
	struct smmu_domain *parent, *nested, *plain = domain_new(dev, SMMU_DOMAIN_S2);
	struct smmu_master *m = master_new(dev, 0x80, true);
	struct smmu_vsmmu *v;
	uint32_t vmid;
	size_t mark;

	assert_int_equal(smmu_domain_alloc(dev, &pcfg, &parent), 0);
	assert_int_equal(smmu_vsmmu_new(dev, plain, &v), -EINVAL);
	assert_int_equal(smmu_vsmmu_new(dev, parent, &v), 0);
	vmid = smmu_vsmmu_vmid(v);
	assert_true(vmid >= 1);
	assert_int_equal(smmu_domain_free(parent), -EBUSY);
	{
		struct smmu_domain_config ncfg = {
			.type = SMMU_DOMAIN_NESTED, .vsmmu = v,
			.guest_ste = { SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_S1) |
				       UINT64_C(0x12340000),
				       SMMU_FIELD_PREP(SMMU_STE1_S1DSS, SMMU_S1DSS_SSID0) },
		};
		struct smmu_domain_config bad = ncfg;

		bad.guest_ste[1] |= SMMU_STE1_STRW;
		assert_int_equal(smmu_domain_alloc(dev, &bad, &nested), -EINVAL);
		assert_int_equal(smmu_domain_alloc(dev, &ncfg, &nested), 0);
	}
	assert_int_equal(smmu_master_attach(m, nested), 0);
	assert_int_equal(ste_config(dev, 0x80), SMMU_STE_CFG_NESTED);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STE2_S2VMID, smmu_strtab_ste(dev, 0x80)[2]), vmid);
	assert_int_equal(tag_of(nested, dev), vmid);

	/* Unmap of the parent: S2 range, then NH_ALL on the VMID, then ATS. */
	assert_int_equal(smmu_domain_map(parent, IOVA, PA, SZ_4K, SMMU_PROT_READ), 0);
	mark = f->nlog;
	assert_int_equal(smmu_domain_unmap(parent, IOVA, SZ_4K), (int64_t)SZ_4K);
	assert_true(find_cmd(f, mark, SMMU_CMD_TLBI_S2_IPA, (int)vmid) >= 0);
	assert_true(find_cmd(f, mark, SMMU_CMD_TLBI_NH_ALL, NONE) >
		    find_cmd(f, mark, SMMU_CMD_TLBI_S2_IPA, (int)vmid));
	assert_true(find_cmd(f, mark, SMMU_CMD_ATC_INV, 0x80) >= 0);

	mark = f->nlog;
	smmu_master_remove(m);
	assert_int_equal(count_cmd(f, mark, SMMU_CMD_TLBI_S12_VMALL), 0);
	assert_int_equal(smmu_vsmmu_free(v), -EBUSY);
	assert_int_equal(smmu_domain_free(nested), 0);
	mark = f->nlog;
	assert_int_equal(smmu_vsmmu_free(v), 0);
	assert_true(find_cmd(f, mark, SMMU_CMD_TLBI_S12_VMALL, (int)vmid) >= 0);
	assert_true(find_cmd(f, mark, SMMU_CMD_SYNC, NONE) >
		    find_cmd(f, mark, SMMU_CMD_TLBI_S12_VMALL, (int)vmid));
	assert_int_equal(smmu_idmap_count(dev->vmid_map), 0);
	assert_int_equal(smmu_domain_free(parent), 0);
	assert_int_equal(smmu_domain_free(plain), 0);
}

/* ---- Arguments and error injection --------------------------------------------- */

static void test_arguments(void **state)
{
	struct fixture *fx = *state;
	struct smmu_dev *dev = fx->u[0].dev;
	const uint32_t dup[] = { 4, 4 }, far[] = { UINT32_C(1) << 16 }, one[] = { 9 };
	struct smmu_master_config cfg = { .sids = dup, .num_sids = 2 };
	struct smmu_domain_config bad = { .type = SMMU_DOMAIN_S1, .granule_log2 = 14 };
	struct smmu_domain *d, *ident = domain_new(dev, SMMU_DOMAIN_IDENTITY);
	struct smmu_master *m, *m2;
	struct smmu_tag_ctx *other;

	assert_int_equal(smmu_master_add(dev, &cfg, &m), -EINVAL);
	cfg.sids = far;
	cfg.num_sids = 1;
	assert_int_equal(smmu_master_add(dev, &cfg, &m), -EINVAL);
	cfg.sids = one;
	assert_int_equal(smmu_master_add(dev, &cfg, &m), 0);
	assert_int_equal(smmu_master_add(dev, &cfg, &m2), -EBUSY);
	assert_null(smmu_master_domain(m));
	assert_int_equal(ste_config(dev, 9), SMMU_STE_CFG_ABORT);
	assert_int_equal(smmu_domain_alloc(dev, &bad, &d), -EINVAL); /* no 16K */
	assert_int_equal(smmu_domain_map(ident, IOVA, PA, SZ_4K, SMMU_PROT_READ), -EINVAL);
	assert_int_equal(smmu_master_attach(NULL, ident), -EINVAL);
	assert_int_equal(smmu_master_attach(m, NULL), -EINVAL);

	/* A domain of another tag context cannot be attached here. */
	assert_int_equal(smmu_tag_ctx_new(&other), 0);
	{
		struct unit u2 = { 0 };

		unit_probe(&u2, other, true);
		assert_int_equal(smmu_tag_ctx_free(other), -EBUSY);
		d = domain_new(u2.dev, SMMU_DOMAIN_S1);
		assert_int_equal(smmu_master_attach(m, d), -EINVAL);
		assert_null(smmu_master_domain(m));
		assert_int_equal(smmu_domain_free(d), 0);
		smmu_dev_remove(u2.dev);
		fake_smmu_fini(&u2.fake);
	}
	assert_int_equal(smmu_tag_ctx_free(other), 0);

	assert_int_equal(smmu_master_attach(m, ident), 0);
	assert_int_equal(smmu_domain_free(ident), -EBUSY);
	smmu_master_remove(m);
	assert_int_equal(smmu_domain_free(ident), 0);
}

/* Fail the 1st, 2nd, ... DMA allocation of an operation until it succeeds. */
static void test_dma_failure_at_every_step(void **state)
{
	struct fixture *fx = *state;
	struct unit *u = &fx->u[0];
	const uint32_t sids[] = { 0x1200, 0x3400 };   /* two new L2 leaves */
	struct smmu_master_config cfg = { .sids = sids, .num_sids = 2, .ssid_bits = 12 };
	struct smmu_domain *d = domain_new(u->dev, SMMU_DOMAIN_S1);
	struct smmu_master *m = NULL;
	unsigned failures = 0;
	long dma;
	int ret;

	do {
		dma = u->fake.dma_live;
		u->fail_at = (int)failures + 1;
		ret = smmu_master_add(u->dev, &cfg, &m);
		if (ret) {
			assert_int_equal(ret, -ENOMEM);
			failures++;
		}
	} while (ret);
	u->fail_at = 0;
	assert_true(failures >= 1);
	(void)dma;

	failures = 0;
	do {
		dma = u->fake.dma_live;
		u->fail_at = (int)failures + 1;
		ret = smmu_master_attach_pasid(m, 0x800, d);
		if (ret) {
			assert_int_equal(ret, -ENOMEM);
			assert_int_equal(u->fake.dma_live, dma);
			assert_int_equal(smmu_idmap_count(u->dev->tags->asid_map), 0);
			assert_int_equal(smmu_domain_get_tag(d, u->dev, &(uint32_t){ 0 }), -ENOENT);
			assert_int_equal(ste_config(u->dev, 0x1200), SMMU_STE_CFG_ABORT);
			failures++;
		}
	} while (ret);
	u->fail_at = 0;
	assert_true(failures >= 2);     /* the CD table, then the CD leaf */
	assert_int_equal(smmu_idmap_count(u->dev->tags->asid_map), 1);
	smmu_master_remove(m);
	assert_int_equal(smmu_domain_free(d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idmap_alloc_range),
		cmocka_unit_test_setup_teardown(test_s1_tag_shared_and_flushed_by_last_user,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_s2_vmid_flushed_with_s12_vmall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_freed_asid_reused_only_after_flush,
						setup_8bit, teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion_changes_nothing, setup_8bit, teardown),
		cmocka_unit_test_setup_teardown(test_shared_domain_on_two_smmus, setup_two, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_gathers_one_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ats_enable_order_and_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pasid_shares_the_tag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vsmmu_owns_its_vmid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_failure_at_every_step, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

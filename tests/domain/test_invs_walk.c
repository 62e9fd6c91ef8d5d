/*
 * Unit tests for the invalidation walk with a recording ops struct:
 * batches per SMMU, one CMD_SYNC per SMMU for TLBIs, one more before the
 * nested stage-1 clear and one after the ATC_INVs; the size_too_big rule;
 * RIL vs per-granule commands; trash skipped; errors; and readers walking
 * concurrently with attach/detach publication under RCU.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <smmu/arch.h>

#include "dev.h"
#include "invs.h"

#define SZ_4K UINT64_C(0x1000)
#define SZ_2M UINT64_C(0x200000)
#define PGSIZES_4K UINT64_C(0x40201000)
#define MAX_EVENTS 1024

struct event {
	bool submit;
	struct smmu_dev *smmu;
	struct smmu_inv_cmd cmd;
};

struct recorder {
	struct event ev[MAX_EVENTS];
	unsigned n;
	int fail_emit;  /* error returned by the first emit */
};

static int rec_emit(void *opaque, struct smmu_dev *smmu,
		    const struct smmu_inv_cmd *cmd)
{
	struct recorder *r = opaque;
	int ret = r->fail_emit;

	assert_true(r->n < MAX_EVENTS);
	r->ev[r->n++] = (struct event){ .smmu = smmu, .cmd = *cmd };
	r->fail_emit = 0;
	return ret;
}

static int rec_submit(void *opaque, struct smmu_dev *smmu)
{
	struct recorder *r = opaque;

	assert_true(r->n < MAX_EVENTS);
	r->ev[r->n++] = (struct event){ .submit = true, .smmu = smmu };
	return 0;
}

static const struct smmu_inv_ops rec_ops = { rec_emit, rec_submit };

/* Two SMMUs, smmus[0] at the lower address so it sorts first. */
struct fixture {
	struct smmu_dev smmus[2];
	struct smmu_invs *invs;
	struct recorder rec;
};

static struct fixture *fixture_new(bool ril0, bool ril1)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->smmus[0].feat.ril = ril0;
	f->smmus[1].feat.ril = ril1;
	f->invs = smmu_invs_alloc(0);
	return f;
}

static void fixture_free(struct fixture *f)
{
	smmu_invs_free(f->invs);
	free(f);
}

/* Attach a master: build its entries and merge them in. */
static void attach(struct fixture *f, const struct smmu_master_invs_desc *d)
{
	struct smmu_invs *scratch = smmu_invs_alloc_scratch(true, d->nsids);
	struct smmu_invs *merged = NULL;

	assert_int_equal(smmu_invs_build_master(scratch, d), 0);
	assert_int_equal(smmu_invs_merge(f->invs, scratch, &merged), 0);
	smmu_invs_free(f->invs);
	smmu_invs_free(scratch);
	f->invs = merged;
}

static void walk(struct fixture *f, uint64_t iova, uint64_t size,
		 uint64_t granule, bool leaf)
{
	f->rec.n = 0;
	assert_int_equal(smmu_invs_walk_range(f->invs, iova, size, granule, leaf,
					      &rec_ops, &f->rec), 0);
}

static unsigned count_submits(const struct recorder *r)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->n; i++)
		n += r->ev[i].submit;
	return n;
}

static void assert_emit(const struct event *e, struct smmu_dev *smmu,
			uint8_t op)
{
	assert_false(e->submit);
	assert_ptr_equal(e->smmu, smmu);
	assert_int_equal(e->cmd.op, op);
}

static void assert_submit(const struct event *e, struct smmu_dev *smmu)
{
	assert_true(e->submit);
	assert_ptr_equal(e->smmu, smmu);
}

static struct smmu_master_invs_desc s1_desc(struct smmu_dev *smmu, uint32_t asid)
{
	return (struct smmu_master_invs_desc){
		.tag = { smmu, SMMU_INV_S1_ASID, asid },
		.pgsize_bitmap = PGSIZES_4K,
	};
}

/* Without RIL: one NH_VA per page, ASID set, VMID 0, then one sync. */
static void test_s1_per_granule(void **state)
{
	struct fixture *f = fixture_new(false, false);
	struct smmu_master_invs_desc d = s1_desc(&f->smmus[0], 5);

	(void)state;
	attach(f, &d);
	walk(f, 0x10000, 3 * SZ_4K, SZ_4K, true);
	assert_int_equal(f->rec.n, 4);
	for (unsigned i = 0; i < 3; i++) {
		assert_emit(&f->rec.ev[i], &f->smmus[0], SMMU_CMD_TLBI_NH_VA);
		assert_int_equal(f->rec.ev[i].cmd.asid, 5);
		assert_int_equal(f->rec.ev[i].cmd.vmid, 0);
		assert_int_equal(f->rec.ev[i].cmd.addr, 0x10000 + i * SZ_4K);
		assert_true(f->rec.ev[i].cmd.leaf);
	}
	assert_submit(&f->rec.ev[3], &f->smmus[0]);
	fixture_free(f);
}

/* One domain on two SMMUs: each gets its batch and its own sync. */
static void test_batch_per_smmu(void **state)
{
	struct fixture *f = fixture_new(false, true);
	struct smmu_master_invs_desc d0 = s1_desc(&f->smmus[0], 5);
	struct smmu_master_invs_desc d1 = s1_desc(&f->smmus[1], 9);

	(void)state;
	attach(f, &d1);
	attach(f, &d0);
	walk(f, 0x10000, 3 * SZ_4K, SZ_4K, true);
	assert_int_equal(f->rec.n, 6);
	assert_emit(&f->rec.ev[2], &f->smmus[0], SMMU_CMD_TLBI_NH_VA);
	assert_submit(&f->rec.ev[3], &f->smmus[0]);
	/* RIL: the 3 pages in one command, NUM = 2, TG 4K, TTL 3 */
	assert_emit(&f->rec.ev[4], &f->smmus[1], SMMU_CMD_TLBI_NH_VA);
	assert_int_equal(f->rec.ev[4].cmd.asid, 9);
	assert_int_equal(f->rec.ev[4].cmd.num, 2);
	assert_int_equal(f->rec.ev[4].cmd.scale, 0);
	assert_int_equal(f->rec.ev[4].cmd.tg, SMMU_TLBI_TG_4K);
	assert_int_equal(f->rec.ev[4].cmd.ttl, 3);
	assert_submit(&f->rec.ev[5], &f->smmus[1]);
	fixture_free(f);
}

/* Past 512 granules (4K) without RIL one tag-wide TLBI replaces the flood. */
static void test_size_too_big(void **state)
{
	struct fixture *f = fixture_new(false, true);
	struct smmu_master_invs_desc d0 = s1_desc(&f->smmus[0], 5);
	struct smmu_master_invs_desc d1 = s1_desc(&f->smmus[1], 9);

	(void)state;
	attach(f, &d0);
	attach(f, &d1);
	walk(f, 0, SZ_2M - SZ_4K, SZ_4K, true);
	assert_int_equal(count_submits(&f->rec), 2);
	assert_int_equal(f->rec.n, 511 + 1 + 2 + 1);
	walk(f, 0, SZ_2M, SZ_4K, true);
	assert_int_equal(f->rec.n, 4);
	assert_emit(&f->rec.ev[0], &f->smmus[0], SMMU_CMD_TLBI_NH_ASID);
	assert_int_equal(f->rec.ev[0].cmd.asid, 5);
	assert_submit(&f->rec.ev[1], &f->smmus[0]);
	/* RIL is never "too big": one range command for 512 pages */
	assert_emit(&f->rec.ev[2], &f->smmus[1], SMMU_CMD_TLBI_NH_VA);
	assert_int_equal(f->rec.ev[2].cmd.scale, 9);
	/* size 0: everything, tag-wide on both */
	walk(f, 0, 0, 0, false);
	assert_int_equal(f->rec.n, 4);
	assert_emit(&f->rec.ev[2], &f->smmus[1], SMMU_CMD_TLBI_NH_ASID);
	fixture_free(f);
}

/*
 * Nested (vSMMU VMID, nest parent, ATS): S2 TLBI, sync, NH_ALL, sync,
 * ATC_INV per SID (whole ATC), sync.
 */
static void test_nested_syncs(void **state)
{
	struct fixture *f = fixture_new(false, false);
	struct smmu_dev *s = &f->smmus[0];
	const uint32_t sids[] = { 4, 6 };
	struct smmu_master_invs_desc d = {
		.tag = { s, SMMU_INV_S2_VMID_VSMMU, 3 }, .pgsize_bitmap = PGSIZES_4K,
		.nest_parent = true, .ats = true, .sids = sids, .nsids = 2,
	};

	(void)state;
	attach(f, &d);
	walk(f, 0x40000, SZ_4K, SZ_4K, true);
	assert_int_equal(f->rec.n, 7);
	assert_emit(&f->rec.ev[0], s, SMMU_CMD_TLBI_S2_IPA);
	assert_int_equal(f->rec.ev[0].cmd.vmid, 3);
	assert_int_equal(f->rec.ev[0].cmd.addr, 0x40000);
	assert_submit(&f->rec.ev[1], s);
	assert_emit(&f->rec.ev[2], s, SMMU_CMD_TLBI_NH_ALL);
	assert_int_equal(f->rec.ev[2].cmd.vmid, 3);
	assert_submit(&f->rec.ev[3], s);
	for (unsigned i = 0; i < 2; i++) {
		const struct smmu_inv_cmd *c = &f->rec.ev[4 + i].cmd;

		assert_emit(&f->rec.ev[4 + i], s, SMMU_CMD_ATC_INV);
		assert_int_equal(c->sid, sids[i]);
		assert_false(c->ssv);
		assert_int_equal(c->size_log2, SMMU_ATC_INV_SIZE_ALL);
	}
	assert_submit(&f->rec.ev[6], s);
	/* Too big: S12_VMALL covers stage 1 too, so no NH_ALL (and no empty sync). */
	walk(f, 0, 0, 0, false);
	assert_int_equal(f->rec.n, 5);
	assert_emit(&f->rec.ev[0], s, SMMU_CMD_TLBI_S12_VMALL);
	assert_submit(&f->rec.ev[1], s);
	assert_emit(&f->rec.ev[2], s, SMMU_CMD_ATC_INV);
	assert_submit(&f->rec.ev[4], s);
	fixture_free(f);
}

/* ATS with a PASID: the ATC_INV carries SSV/SSID and the aligned span. */
static void test_ats_ssid_span(void **state)
{
	struct fixture *f = fixture_new(false, false);
	struct smmu_dev *s = &f->smmus[0];
	const uint32_t sids[] = { 7 };
	struct smmu_master_invs_desc d = {
		.tag = { s, SMMU_INV_S1_ASID, 2 }, .pgsize_bitmap = PGSIZES_4K,
		.ats = true, .ssid = 3, .sids = sids, .nsids = 1,
	};

	(void)state;
	attach(f, &d);
	walk(f, 7 * SZ_4K, 4 * SZ_4K, SZ_4K, true);
	assert_int_equal(f->rec.n, 4 + 1 + 1 + 1);
	assert_submit(&f->rec.ev[4], s);
	assert_emit(&f->rec.ev[5], s, SMMU_CMD_ATC_INV);
	assert_int_equal(f->rec.ev[5].cmd.sid, 7);
	assert_true(f->rec.ev[5].cmd.ssv);
	assert_int_equal(f->rec.ev[5].cmd.ssid, 3);
	assert_int_equal(f->rec.ev[5].cmd.addr, 0);
	assert_int_equal(f->rec.ev[5].cmd.size_log2, 4);
	assert_submit(&f->rec.ev[6], s);
	fixture_free(f);
}

/* Detached masters' entries (trash) produce nothing. */
static void test_trash_skipped(void **state)
{
	struct fixture *f = fixture_new(false, false);
	struct smmu_master_invs_desc d0 = s1_desc(&f->smmus[0], 5);
	struct smmu_master_invs_desc d0b = s1_desc(&f->smmus[0], 6);
	struct smmu_invs *scratch = smmu_invs_alloc_scratch(false, 0);

	(void)state;
	attach(f, &d0);
	attach(f, &d0b);
	assert_int_equal(smmu_invs_build_master(scratch, &d0), 0);
	assert_int_equal(smmu_invs_unref(f->invs, scratch), 0);
	assert_int_equal(f->invs->num_trashes, 1);
	walk(f, 0, SZ_4K, SZ_4K, true);
	assert_int_equal(f->rec.n, 2);
	assert_int_equal(f->rec.ev[0].cmd.asid, 6);
	smmu_invs_free(scratch);
	fixture_free(f);
}

static void test_errors(void **state)
{
	struct fixture *f = fixture_new(false, false);
	struct smmu_master_invs_desc d0 = s1_desc(&f->smmus[0], 5);
	struct smmu_master_invs_desc d1 = s1_desc(&f->smmus[1], 6);

	(void)state;
	attach(f, &d0);
	attach(f, &d1);
	f->rec.n = 0;
	assert_int_equal(smmu_invs_walk_range(f->invs, 0, SZ_4K, 3000, true,
					      &rec_ops, &f->rec), -EINVAL);
	assert_int_equal(smmu_invs_walk_range(f->invs, 0, SZ_4K, SZ_4K, true,
					      NULL, &f->rec), -EINVAL);
	assert_int_equal(f->rec.n, 0);
	/* An emit error is reported, and every SMMU is still synced. */
	f->rec.fail_emit = -EIO;
	assert_int_equal(smmu_invs_walk_range(f->invs, 0, SZ_4K, SZ_4K, true,
					      &rec_ops, &f->rec), -EIO);
	assert_int_equal(count_submits(&f->rec), 2);
	fixture_free(f);
}

/*
 * Readers walk the published array while a writer attaches and detaches
 * masters (merge, publish, unref, purge): meant for TSan and ASan.
 */
struct race {
	struct smmu_dev smmu;
	struct smmu_invs *slot;
	int stop;
};

static int count_emit(void *opaque, struct smmu_dev *smmu,
		      const struct smmu_inv_cmd *cmd)
{
	(void)smmu;
	(void)cmd;
	__atomic_fetch_add((unsigned long *)opaque, 1, __ATOMIC_RELAXED);
	return 0;
}

static int count_submit(void *opaque, struct smmu_dev *smmu)
{
	(void)opaque;
	(void)smmu;
	return 0;
}

static void *race_reader(void *arg)
{
	static const struct smmu_inv_ops ops = { count_emit, count_submit };
	struct race *r = arg;
	unsigned long emitted = 0;

	urcu_memb_register_thread();
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
		assert_int_equal(smmu_invs_inv_range(&r->slot, 0, SZ_4K, SZ_4K,
						     true, &ops, &emitted), 0);
	urcu_memb_unregister_thread();
	return NULL;
}

static void race_publish(struct race *r, struct smmu_invs *next)
{
	if (next)
		smmu_invs_publish(&r->slot, next);
}

static void test_concurrent_readers(void **state)
{
	struct race r = { .slot = smmu_invs_alloc(0) };
	struct smmu_invs *scratch = smmu_invs_alloc_scratch(true, 1);
	const uint32_t sid = 1;
	pthread_t readers[2];

	(void)state;
	urcu_memb_register_thread();
	for (unsigned t = 0; t < 2; t++)
		assert_int_equal(pthread_create(&readers[t], NULL, race_reader, &r), 0);
	for (unsigned i = 0; i < 300; i++) {
		struct smmu_master_invs_desc d = {
			.tag = { &r.smmu, SMMU_INV_S1_ASID, 1 + i % 4 },
			.ats = i % 2, .sids = &sid, .nsids = 1,
		};
		struct smmu_invs *next = NULL;

		assert_int_equal(smmu_invs_build_master(scratch, &d), 0);
		assert_int_equal(smmu_invs_merge(r.slot, scratch, &next), 0);
		race_publish(&r, next);
		assert_int_equal(smmu_invs_unref(r.slot, scratch), 0);
		race_publish(&r, smmu_invs_purge(r.slot));
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	for (unsigned t = 0; t < 2; t++)
		pthread_join(readers[t], NULL);
	assert_int_equal(r.slot->num_invs, 0);
	urcu_memb_barrier();
	smmu_invs_free(r.slot);
	smmu_invs_free(scratch);
	urcu_memb_unregister_thread();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s1_per_granule),
		cmocka_unit_test(test_batch_per_smmu),
		cmocka_unit_test(test_size_too_big),
		cmocka_unit_test(test_nested_syncs),
		cmocka_unit_test(test_ats_ssid_span),
		cmocka_unit_test(test_trash_skipped),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_concurrent_readers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Integration tests with DMA: devices translate through the model in its
 * weakest-legal mode (it caches everything it may and completes
 * invalidations as late as allowed) with the coherency oracle on, which
 * compares every cached translation with a fresh walk.  The seed's
 * scenario: domain A used and torn down, domain B given A's very ASID or
 * VMID must never see A's translation; then map/unmap, DMA and
 * attach/detach on two threads with no violation and every tag released.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <smmu/domain.h>
#include <smmu/driver.h>
#include <smmu/mem.h>
#include <smmu/model.h>

#include "harness.h"

#define SZ_4K UINT64_C(0x1000)
#define IOVA UINT64_C(0x40000000)
#define PA_A UINT64_C(0x80000000)
#define PA_B UINT64_C(0x90000000)
#define NUM_IDS_8BIT 255u
#define SID_X 0x1000u
#define SID_FILL 0x2000u

/* The harness's objects, named as the tests use them. */
struct fixture {
	struct harness *h;
	struct smmu_model *m;
	struct smmu_dev *dev;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct smmu_model_config cfg;
	int ret = -1;

	assert_non_null(fx);
	smmu_model_config_default(&cfg);
	cfg.asid16 = cfg.vmid16 = false;
	cfg.weakest_legal = true;
	cfg.check_coherency = true;
	fx->h = harness_new(&cfg, false, &ret);
	assert_non_null(fx->h);
	assert_int_equal(ret, 0);
	fx->m = fx->h->model;
	fx->dev = fx->h->dev;
	smmu_thread_register();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	smmu_thread_unregister();
	harness_free(fx->h);
	free(fx);
	return 0;
}

static struct smmu_domain *domain_new(struct smmu_dev *dev, enum smmu_domain_type type)
{
	struct smmu_domain_config cfg = { .type = type, .granule_log2 = 12 };
	struct smmu_domain *d;

	assert_int_equal(smmu_domain_alloc(dev, &cfg, &d), 0);
	return d;
}

static struct smmu_master *master_new(struct smmu_dev *dev, uint32_t sid)
{
	struct smmu_master_config cfg = { .sids = &sid, .num_sids = 1 };
	struct smmu_master *m;

	assert_int_equal(smmu_master_add(dev, &cfg, &m), 0);
	return m;
}

static uint32_t tag_of(struct smmu_domain *d, struct smmu_dev *dev)
{
	uint32_t id = 0;

	assert_int_equal(smmu_domain_get_tag(d, dev, &id), 0);
	return id;
}

/* A device read at iova: the output address, or UINT64_MAX on a fault. */
static uint64_t dma_read(struct smmu_model *m, uint32_t sid, uint64_t iova)
{
	struct smmu_txn txn = { .sid = sid, .iova = iova };
	struct smmu_txn_result res;

	assert_int_equal(smmu_model_translate(m, &txn, &res), 0);
	return res.status == SMMU_TXN_OK ? res.pa : UINT64_MAX;
}

struct fillers {
	struct smmu_domain *d[NUM_IDS_8BIT];
	struct smmu_master *m[NUM_IDS_8BIT];
	unsigned n;
};

/* Hold every ID but one with attached domains, so the next tag is A's. */
static void fill(struct smmu_dev *dev, struct fillers *f, enum smmu_domain_type type)
{
	for (f->n = 0; f->n + 1 < NUM_IDS_8BIT; f->n++) {
		f->d[f->n] = domain_new(dev, type);
		f->m[f->n] = master_new(dev, SID_FILL + f->n);
		assert_int_equal(smmu_master_attach(f->m[f->n], f->d[f->n]), 0);
	}
}

static void unfill(struct fillers *f)
{
	for (unsigned i = 0; i < f->n; i++) {
		smmu_master_remove(f->m[i]);
		assert_int_equal(smmu_domain_free(f->d[i]), 0);
	}
}

/* IOTLB entries of an ASID (stage-1 domain) or VMID (stage-2 domain). */
static size_t tag_entries(struct smmu_model *m, enum smmu_domain_type type, uint32_t id)
{
	if (type == SMMU_DOMAIN_S1)
		return smmu_model_iotlb_entries(m, SMMU_MODEL_TAG_S1, 0, (uint16_t)id);
	return smmu_model_iotlb_entries(m, SMMU_MODEL_TAG_S2, (uint16_t)id, 0);
}

static void seed(struct fixture *fx, enum smmu_domain_type type)
{
	struct fillers *f = calloc(1, sizeof(*f));
	struct smmu_domain *a = domain_new(fx->dev, type), *b = domain_new(fx->dev, type);
	struct smmu_master *x = master_new(fx->dev, SID_X);
	uint32_t id;

	assert_non_null(f);
	fill(fx->dev, f, type);
	assert_int_equal(smmu_domain_map(a, IOVA, PA_A, SZ_4K, SMMU_PROT_READ), 0);
	assert_int_equal(smmu_master_attach(x, a), 0);
	id = tag_of(a, fx->dev);
	assert_int_equal(dma_read(fx->m, SID_X, IOVA), PA_A);
	assert_int_equal(dma_read(fx->m, SID_X, IOVA), PA_A);  /* an IOTLB hit */
	assert_int_equal(tag_entries(fx->m, type, id), 1);

	/* A goes away: detached (the tag flushed) and freed. */
	smmu_master_remove(x);
	assert_int_equal(smmu_domain_free(a), 0);
	/* The invariant: a tag no array references holds no IOTLB entry. */
	assert_int_equal(tag_entries(fx->m, type, id), 0);

	/* B, same IOVA elsewhere, gets A's tag: it must see only its own. */
	assert_int_equal(smmu_domain_map(b, IOVA, PA_B, SZ_4K, SMMU_PROT_READ), 0);
	x = master_new(fx->dev, SID_X);
	assert_int_equal(smmu_master_attach(x, b), 0);
	assert_int_equal(tag_of(b, fx->dev), id);
	assert_int_equal(dma_read(fx->m, SID_X, IOVA), PA_B);
	assert_int_equal(smmu_model_coherency_violations(fx->m), 0);

	smmu_master_remove(x);
	unfill(f);
	assert_int_equal(smmu_domain_free(b), 0);
	free(f);
}

static void test_seed_asid_dma(void **state)
{
	seed(*state, SMMU_DOMAIN_S1);
}

static void test_seed_vmid_dma(void **state)
{
	seed(*state, SMMU_DOMAIN_S2);
}

/* ---- Two threads ------------------------------------------------------------ */

#define ROUNDS 300
#define STABLE_IOVA UINT64_C(0x7000000)
#define PIN_IOVA (IOVA + UINT64_C(0x100000))

struct worker {
	struct fixture *fx;
	struct smmu_domain *d;
	uint32_t sid;
	int err;
};

/* Map a page, read it, unmap it, read again: never a stale hit. */
static void *map_dma_unmap(void *arg)
{
	struct worker *w = arg;

	smmu_thread_register();
	for (unsigned i = 0; i < ROUNDS && !w->err; i++) {
		uint64_t iova = IOVA + (i % 32) * SZ_4K, pa = PA_A + i * SZ_4K;

		if (smmu_domain_map(w->d, iova, pa, SZ_4K, SMMU_PROT_READ) ||
		    dma_read(w->fx->m, w->sid, iova) != pa ||
		    smmu_domain_unmap(w->d, iova, SZ_4K) != (int64_t)SZ_4K ||
		    dma_read(w->fx->m, w->sid, iova) != UINT64_MAX)
			w->err = -EIO;
	}
	smmu_thread_unregister();
	return NULL;
}

static void test_concurrent_dma_and_attach(void **state)
{
	struct fixture *fx = *state;
	struct smmu_domain *d = domain_new(fx->dev, SMMU_DOMAIN_S1);
	struct smmu_domain *e = domain_new(fx->dev, SMMU_DOMAIN_S2);
	struct smmu_master *m0 = master_new(fx->dev, 0x10), *m1 = master_new(fx->dev, 0x11);
	struct worker w = { .fx = fx, .d = d, .sid = 0x10 };
	pthread_t t;
	uint32_t asid;

	assert_int_equal(smmu_domain_map(d, STABLE_IOVA, PA_A, SZ_4K, SMMU_PROT_READ), 0);
	/* Keeps the worker's leaf table alive: only leaf TLBIs protect it. */
	assert_int_equal(smmu_domain_map(d, PIN_IOVA, PA_A, SZ_4K, SMMU_PROT_READ), 0);
	assert_int_equal(smmu_domain_map(e, STABLE_IOVA, PA_B, SZ_4K, SMMU_PROT_READ), 0);
	assert_int_equal(smmu_master_attach(m0, d), 0);
	asid = tag_of(d, fx->dev);
	assert_int_equal(pthread_create(&t, NULL, map_dma_unmap, &w), 0);
	for (unsigned i = 0; i < ROUNDS / 3; i++) {
		assert_int_equal(smmu_master_attach(m1, d), 0);
		assert_int_equal(dma_read(fx->m, 0x11, STABLE_IOVA), PA_A);
		assert_int_equal(smmu_master_attach(m1, e), 0);
		assert_int_equal(dma_read(fx->m, 0x11, STABLE_IOVA), PA_B);
	}
	pthread_join(t, NULL);
	assert_int_equal(w.err, 0);
	assert_int_equal(smmu_model_coherency_violations(fx->m), 0);
	smmu_master_remove(m0);
	smmu_master_remove(m1);
	assert_int_equal(smmu_domain_get_tag(d, fx->dev, &(uint32_t){ 0 }), -ENOENT);
	assert_int_equal(smmu_domain_get_tag(e, fx->dev, &(uint32_t){ 0 }), -ENOENT);
	assert_int_equal(tag_entries(fx->m, SMMU_DOMAIN_S1, asid), 0);
	assert_int_equal(smmu_domain_free(d), 0);
	assert_int_equal(smmu_domain_free(e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seed_asid_dma, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_vmid_dma, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_dma_and_attach, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

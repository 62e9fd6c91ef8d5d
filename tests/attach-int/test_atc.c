/*
 * Integration tests of ATS end to end: the driver enables ATS for a
 * capable master, a simulated device keeps an ATC filled by Translation
 * Requests and sends Translated transactions, and the driver's ATC_INV
 * commands reach that ATC through the model.  The ATC's own oracle
 * (check_coherency) compares every hit with a fresh translation, so an
 * unmap whose ATC invalidation went missing is caught as a stale hit.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmu/device.h>
#include <smmu/domain.h>
#include <smmu/driver.h>
#include <smmu/mem.h>
#include <smmu/model.h>

#include "harness.h"

#define SZ_4K UINT64_C(0x1000)
#define IOVA UINT64_C(0x40000000)
#define SID 0x300u
#define ATC_ENTRIES 8u

struct fixture {
	struct harness *h;
	struct smmu_model *m;
	struct smmu_dma *dma;
	struct smmu_dev *dev;
	struct smmu_device_atc *atc;
	bool drop_atc_inv;      /* lose the ATS Invalidate Requests */
	struct smmu_master *master;
	struct smmu_domain *domain, *blocked;
};

static void on_atc_inv(void *opaque, const struct smmu_model_atc_inv *inv)
{
	struct fixture *fx = opaque;

	if (!fx->drop_atc_inv)
		smmu_device_atc_invalidate(fx->atc, inv);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct smmu_device_atc_config acfg = {
		.sid = SID, .entries = ATC_ENTRIES, .check_coherency = true,
	};
	struct smmu_master_config mcfg = { .sids = (uint32_t[]){ SID }, .num_sids = 1,
					   .ats = true };
	struct smmu_domain_config s1 = { .type = SMMU_DOMAIN_S1 };
	struct smmu_domain_config blocked = { .type = SMMU_DOMAIN_BLOCKED };
	struct smmu_model_config cfg;
	int ret = -1;

	assert_non_null(fx);
	smmu_model_config_default(&cfg);
	cfg.atc_invalidate = on_atc_inv;
	cfg.atc_invalidate_opaque = fx;
	fx->h = harness_new(&cfg, false, &ret);
	assert_non_null(fx->h);
	assert_int_equal(ret, 0);
	fx->m = fx->h->model;
	fx->dma = fx->h->dma;
	fx->dev = fx->h->dev;
	assert_int_equal(smmu_device_atc_new(fx->m, &acfg, &fx->atc), 0);
	smmu_thread_register();
	assert_int_equal(smmu_master_add(fx->dev, &mcfg, &fx->master), 0);
	assert_int_equal(smmu_domain_alloc(fx->dev, &s1, &fx->domain), 0);
	assert_int_equal(smmu_domain_alloc(fx->dev, &blocked, &fx->blocked), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	smmu_master_remove(fx->master);
	assert_int_equal(smmu_domain_free(fx->domain), 0);
	assert_int_equal(smmu_domain_free(fx->blocked), 0);
	smmu_thread_unregister();
	harness_free(fx->h);
	smmu_device_atc_free(fx->atc);
	free(fx);
	return 0;
}

/* A page holding a one-byte marker; returns its bus address. */
static uint64_t marked_page(struct fixture *fx, uint8_t marker)
{
	uint64_t pa;
	void *cpu;

	assert_int_equal(smmu_dma_alloc(fx->dma, SZ_4K, SZ_4K, &cpu, &pa), 0);
	*(uint8_t *)cpu = marker;
	return pa;
}

/* What the device reads at IOVA through its ATC; -1 on a fault. */
static int device_read(struct fixture *fx)
{
	struct smmu_txn txn = { .sid = SID, .iova = IOVA };
	uint8_t byte = 0;

	if (smmu_device_atc_dma(fx->atc, &txn, &byte, 1, NULL, NULL))
		return -1;
	return byte;
}

static struct smmu_device_atc_stats atc_stats(struct fixture *fx)
{
	struct smmu_device_atc_stats s;

	assert_int_equal(smmu_device_atc_get_stats(fx->atc, &s), 0);
	return s;
}

static void remap(struct fixture *fx, uint64_t pa)
{
	assert_int_equal(smmu_domain_unmap(fx->domain, IOVA, SZ_4K), (int64_t)SZ_4K);
	assert_int_equal(smmu_domain_map(fx->domain, IOVA, pa, SZ_4K, SMMU_PROT_READ), 0);
}

/* The driver's ATC_INV on unmap reaches the device: no stale hit. */
static void test_unmap_invalidates_the_atc(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(smmu_domain_map(fx->domain, IOVA, marked_page(fx, 0xa), SZ_4K,
					 SMMU_PROT_READ), 0);
	assert_int_equal(smmu_master_attach(fx->master, fx->domain), 0);
	assert_int_equal(device_read(fx), 0xa);
	assert_int_equal(device_read(fx), 0xa);
	assert_int_equal(atc_stats(fx).misses, 1);
	assert_int_equal(atc_stats(fx).hits, 1);

	remap(fx, marked_page(fx, 0xb));
	assert_true(atc_stats(fx).invalidated >= 1);
	assert_int_equal(device_read(fx), 0xb);
	assert_int_equal(device_read(fx), 0xb);
	assert_int_equal(atc_stats(fx).stale, 0);
}

/* Without the invalidation the ATC serves the old page, and says so. */
static void test_lost_atc_inv_is_caught(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(smmu_domain_map(fx->domain, IOVA, marked_page(fx, 0xa), SZ_4K,
					 SMMU_PROT_READ), 0);
	assert_int_equal(smmu_master_attach(fx->master, fx->domain), 0);
	assert_int_equal(device_read(fx), 0xa);
	fx->drop_atc_inv = true;
	remap(fx, marked_page(fx, 0xb));
	assert_int_equal(device_read(fx), 0xa);
	assert_int_equal(atc_stats(fx).stale, 1);
	fx->drop_atc_inv = false;
}

/* Detach turns ATS off: the ATC is emptied, Translated traffic refused. */
static void test_detach_disables_ats(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(smmu_domain_map(fx->domain, IOVA, marked_page(fx, 0xa), SZ_4K,
					 SMMU_PROT_READ), 0);
	assert_int_equal(smmu_master_attach(fx->master, fx->domain), 0);
	assert_int_equal(device_read(fx), 0xa);
	assert_int_equal(smmu_master_attach(fx->master, fx->blocked), 0);
	assert_true(atc_stats(fx).invalidated >= 1);
	assert_int_equal(device_read(fx), -1);
	assert_int_equal(atc_stats(fx).stale, 0);
}

static void test_bad_arguments(void **state)
{
	struct fixture *fx = *state;
	struct smmu_device_atc_config cfg = { .sid = SID };
	struct smmu_device_atc *atc = NULL;
	struct smmu_txn txn = { .sid = SID };

	assert_int_equal(smmu_device_atc_new(fx->m, &cfg, &atc), -EINVAL);
	cfg.entries = 4097;
	assert_int_equal(smmu_device_atc_new(fx->m, &cfg, &atc), -EINVAL);
	assert_int_equal(smmu_device_atc_new(NULL, &cfg, &atc), -EINVAL);
	assert_null(atc);
	assert_int_equal(smmu_device_atc_dma(NULL, &txn, NULL, 0, NULL, NULL), -EINVAL);
	assert_int_equal(smmu_device_atc_dma(fx->atc, &txn, NULL, 1, NULL, NULL), -EINVAL);
	assert_int_equal(smmu_device_atc_get_stats(fx->atc, NULL), -EINVAL);
	smmu_device_atc_invalidate(NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unmap_invalidates_the_atc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_atc_inv_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detach_disables_ats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
	};

	return cmocka_run_group_tests_name("atc", tests, NULL, NULL);
}

/*
 * Unit tests for probe, reset, removal and the stream table against the
 * fake SMMU: ID register parsing, refusal of SMMUs the driver cannot use,
 * the reset order and register values, ACK timeouts, queue sizing, and
 * linear versus 2-level stream tables with lazily published leaves.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmdq.h"
#include "dev.h"
#include "fake_smmu.h"
#include "strtab.h"

static void quiet_log(void *opaque, enum smmu_log_level level, const char *msg)
{
	unsigned *count = opaque;

	if (count)
		(*count)++;
}

static int probe(struct fake_smmu *f, struct smmu_dev **dev)
{
	struct smmu_dev_options opts = { .log = quiet_log };
	struct smmu_platform plat;

	fake_smmu_platform(f, &plat);
	plat.poll_timeout_us = 10000;
	return smmu_dev_probe(&plat, &opts, dev);
}

static void update_reg(struct fake_smmu *f, uint64_t off, uint64_t mask, uint64_t val)
{
	fake_set_reg(f, off, (uint32_t)SMMU_FIELD_SET(mask, fake_reg(f, off), val));
}

/* ---- Refusals ---------------------------------------------------------- */

struct refusal {
	uint64_t off, mask, val;
	int err;
};

static const struct refusal refusals[] = {
	{ SMMU_IDR0, SMMU_IDR0_S1P | SMMU_IDR0_S2P, 0, -ENODEV },
	{ SMMU_IDR0, SMMU_IDR0_TTF, SMMU_TTF_AARCH32, -ENODEV },
	{ SMMU_IDR0, SMMU_IDR0_TTF, 0, -ENODEV },
	{ SMMU_IDR0, SMMU_IDR0_TTENDIAN, SMMU_TTENDIAN_BE, -ENODEV },
	{ SMMU_IDR0, SMMU_IDR0_TTENDIAN, 1, -ENODEV }, /* reserved */
	{ SMMU_IDR1, SMMU_IDR1_REL, 1, -ENODEV },
	{ SMMU_IDR1, SMMU_IDR1_QUEUES_PRESET, 1, -ENODEV },
	{ SMMU_IDR1, SMMU_IDR1_TABLES_PRESET, 1, -ENODEV },
	{ SMMU_IDR1, SMMU_IDR1_CMDQS, 6, -ENODEV },
	{ SMMU_IDR1, SMMU_IDR1_CMDQS, 0, -ENODEV },
	{ SMMU_IDR1, SMMU_IDR1_SIDSIZE, 33, -ENODEV },
	{ SMMU_IDR1, SMMU_IDR1_SSIDSIZE, 21, -ENODEV },
	{ SMMU_IDR5, SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K | SMMU_IDR5_GRAN64K, 0, -ENODEV },
};

static void test_refusals(void **state)
{
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		struct fake_smmu f;
		struct smmu_dev *dev = (struct smmu_dev *)&f;

		fake_smmu_init(&f);
		update_reg(&f, refusals[i].off, refusals[i].mask, refusals[i].val);
		assert_int_equal(probe(&f, &dev), refusals[i].err);
		assert_ptr_equal(dev, (struct smmu_dev *)&f); /* untouched */
		assert_int_equal(f.dma_live, 0);
		/* Refused before touching the SMMU's control registers. */
		assert_int_equal(fake_write_index(&f, SMMU_CR0, 0), -1);
		fake_smmu_fini(&f);
	}
}

static void test_bad_args(void **state)
{
	struct fake_smmu f;
	struct smmu_platform plat;
	struct smmu_dev *dev = NULL;

	fake_smmu_init(&f);
	fake_smmu_platform(&f, &plat);
	assert_int_equal(smmu_dev_probe(NULL, NULL, &dev), -EINVAL);
	assert_int_equal(smmu_dev_probe(&plat, NULL, NULL), -EINVAL);
	plat.dma_alloc = NULL;
	assert_int_equal(smmu_dev_probe(&plat, NULL, &dev), -EINVAL);
	assert_null(dev);
	assert_null(smmu_dev_get_features(NULL));
	assert_int_equal(smmu_dev_process_events(NULL), -EINVAL);
	assert_int_equal(smmu_dev_handle_irq(NULL, SMMU_DEV_IRQ_GERROR), -EINVAL);
	smmu_dev_remove(NULL);
	assert_int_equal(smmu_strtab_ensure(NULL, 0), -EINVAL);
	assert_null(smmu_strtab_ste(NULL, 0));
	fake_smmu_fini(&f);
}

/* ---- Features ---------------------------------------------------------- */

static void test_features(void **state)
{
	struct fake_smmu f;
	struct smmu_dev *dev;
	const struct smmu_features *ft;

	fake_smmu_init(&f);
	update_reg(&f, SMMU_IDR0, SMMU_IDR0_HTTU, SMMU_HTTU_HA_HD);
	update_reg(&f, SMMU_IDR0, SMMU_IDR0_STALL_MODEL, SMMU_STALL_MODEL_STALL_FORCE);
	update_reg(&f, SMMU_IDR3, SMMU_IDR3_BBML, 2);
	update_reg(&f, SMMU_IDR5, SMMU_IDR5_VAX, 1);
	update_reg(&f, SMMU_IDR5, SMMU_IDR5_STALL_MAX, 0x1234);
	update_reg(&f, SMMU_IDR1, SMMU_IDR1_CMDQS, 19);
	update_reg(&f, SMMU_IDR1, SMMU_IDR1_ATTR_TYPES_OVR, 1);
	assert_int_equal(probe(&f, &dev), 0);
	ft = smmu_dev_get_features(dev);
	assert_true(ft->trans_s1 && ft->trans_s2 && ft->nesting);
	assert_true(ft->coherent && ft->hyp && ft->ats && ft->pri && ft->msi && ft->sev);
	assert_true(ft->cd2l && ft->st_2lvl && ft->ril && ft->fwb && ft->bbml2);
	assert_true(ft->ha && ft->hd && ft->stalls && ft->stall_force);
	assert_true(ft->attr_types_ovr && ft->msi_polling);
	assert_false(ft->e2h);
	assert_int_equal(ft->asid_bits, 16);
	assert_int_equal(ft->vmid_bits, 16);
	assert_int_equal(ft->sid_bits, 16);
	assert_int_equal(ft->ssid_bits, 20);
	assert_int_equal(ft->oas_bits, 48);
	assert_int_equal(ft->ias_bits, 52);
	assert_int_equal(ft->stall_max, 0x1234);
	assert_int_equal(ft->iidr, 0x43b);
	assert_int_equal(ft->pgsize_bitmap, (1ull << 12) | (1ull << 21) | (1ull << 30) |
						    (1ull << 16) | (1ull << 29));
	assert_int_equal(ft->cmdq_log2, SMMU_CMDQ_LOG2_CAP); /* capped */
	assert_int_equal(ft->evtq_log2, 8);
	smmu_dev_remove(dev);

	/* 8-bit tags, one stage, no MSI polling when asked, stalls off. */
	update_reg(&f, SMMU_IDR0, SMMU_IDR0_ASID16 | SMMU_IDR0_VMID16 | SMMU_IDR0_S2P, 0);
	update_reg(&f, SMMU_IDR0, SMMU_IDR0_STALL_MODEL, SMMU_STALL_MODEL_TERM_ONLY);
	update_reg(&f, SMMU_IDR5, SMMU_IDR5_OAS, 7); /* 56 bits: not for this driver */
	{
		struct smmu_dev_options opts = { .log = quiet_log, .disable_msi_polling = true };
		struct smmu_platform plat;

		fake_smmu_platform(&f, &plat);
		assert_int_equal(smmu_dev_probe(&plat, &opts, &dev), 0);
	}
	ft = smmu_dev_get_features(dev);
	assert_int_equal(ft->asid_bits, 8);
	assert_int_equal(ft->vmid_bits, 8);
	assert_true(ft->trans_s1 && !ft->trans_s2 && !ft->nesting);
	assert_false(ft->msi_polling);
	assert_false(ft->stalls);
	assert_int_equal(ft->oas_bits, 48);
	smmu_dev_remove(dev);
	assert_int_equal(f.dma_live, 0);
	fake_smmu_fini(&f);
}

/* Queues shrink when the allocator cannot give the full size. */
static void test_queue_halving(void **state)
{
	struct fake_smmu f;
	struct smmu_dev *dev;

	fake_smmu_init(&f);
	update_reg(&f, SMMU_IDR1, SMMU_IDR1_CMDQS, 12);
	update_reg(&f, SMMU_IDR1, SMMU_IDR1_EVENTQS, 12);
	f.alloc_limit = 16384;
	assert_int_equal(probe(&f, &dev), 0);
	assert_int_equal(smmu_dev_get_features(dev)->cmdq_log2, 10);
	assert_int_equal(smmu_dev_get_features(dev)->evtq_log2, 9);
	assert_int_equal(SMMU_FIELD_GET(SMMU_Q_BASE_LOG2SIZE,
					(uint64_t)fake_reg(&f, SMMU_CMDQ_BASE)), 10);
	smmu_dev_remove(dev);
	/* Not even a batch fits: refused. */
	f.alloc_limit = 1024;
	assert_int_equal(probe(&f, &dev), -ENOMEM);
	assert_int_equal(f.dma_live, 0);
	fake_smmu_fini(&f);
}

/* ---- Reset ------------------------------------------------------------- */

static void assert_before(struct fake_smmu *f, uint64_t a, uint64_t b)
{
	int ia = fake_write_index(f, a, 0), ib = fake_write_index(f, b, ia);

	assert_true(ia >= 0);
	assert_true(ib > ia);
}

static unsigned count_ops(struct fake_smmu *f, unsigned op)
{
	unsigned n = 0;

	for (size_t i = 0; i < f->nlog; i++)
		n += SMMU_FIELD_GET(SMMU_CMD0_OP, f->log[i].dw[0]) == op;
	return n;
}

static void test_reset_order(void **state)
{
	struct fake_smmu f;
	struct smmu_dev *dev;
	uint32_t cr0;

	fake_smmu_init(&f);
	assert_int_equal(probe(&f, &dev), 0);
	assert_before(&f, SMMU_CR0, SMMU_CR1);
	assert_before(&f, SMMU_CR1, SMMU_CR2);
	assert_before(&f, SMMU_CR2, SMMU_STRTAB_BASE);
	assert_before(&f, SMMU_STRTAB_BASE, SMMU_STRTAB_BASE_CFG);
	assert_before(&f, SMMU_STRTAB_BASE_CFG, SMMU_CMDQ_BASE);
	assert_before(&f, SMMU_CMDQ_BASE, SMMU_CMDQ_PROD);
	assert_before(&f, SMMU_CMDQ_PROD, SMMU_EVENTQ_BASE);
	assert_before(&f, SMMU_EVENTQ_BASE, SMMU_PRIQ_BASE);
	assert_before(&f, SMMU_PRIQ_BASE, SMMU_IRQ_CTRL);
	assert_int_equal(fake_write_index(&f, SMMU_GBPA, 0), -1);
	/* Invalidation of everything, each with its own SYNC (HYP: EL2 too). */
	assert_int_equal(f.nlog, 6);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, f.log[0].dw[0]), SMMU_CMD_CFGI_STE_RANGE);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, f.log[2].dw[0]), SMMU_CMD_TLBI_EL2_ALL);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, f.log[4].dw[0]), SMMU_CMD_TLBI_NSNH_ALL);
	assert_int_equal(count_ops(&f, SMMU_CMD_SYNC), 3);
	/* Final state. */
	cr0 = fake_reg(&f, SMMU_CR0);
	assert_int_equal(cr0, SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
				      SMMU_CR0_PRIQEN | SMMU_CR0_ATSCHK);
	assert_int_equal(fake_reg(&f, SMMU_IRQ_CTRL),
			 SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN |
				 SMMU_IRQ_CTRL_PRIQ_IRQEN);
	assert_int_equal(fake_reg(&f, SMMU_CR2), SMMU_CR2_PTM | SMMU_CR2_RECINVSID);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CR1_TABLE_SH, fake_reg(&f, SMMU_CR1)), SMMU_SH_ISH);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CR1_QUEUE_OC, fake_reg(&f, SMMU_CR1)), SMMU_CACHE_WB);
	assert_true(fake_reg(&f, SMMU_CMDQ_BASE + 4) & (SMMU_Q_BASE_RA >> 32));
	smmu_dev_remove(dev);
	assert_int_equal(fake_reg(&f, SMMU_CR0), 0);
	assert_int_equal(f.dma_live, 0);

	/* Without HYP, PRI and ATS those steps are skipped. */
	fake_smmu_fini(&f);
	fake_smmu_init(&f);
	update_reg(&f, SMMU_IDR0, SMMU_IDR0_HYP | SMMU_IDR0_PRI | SMMU_IDR0_ATS, 0);
	assert_int_equal(probe(&f, &dev), 0);
	assert_int_equal(count_ops(&f, SMMU_CMD_TLBI_EL2_ALL), 0);
	assert_int_equal(count_ops(&f, SMMU_CMD_SYNC), 2);
	assert_int_equal(fake_write_index(&f, SMMU_PRIQ_BASE, 0), -1);
	assert_int_equal(fake_reg(&f, SMMU_CR0),
			 SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
	smmu_dev_remove(dev);
	fake_smmu_fini(&f);
}

static void test_reset_when_enabled(void **state)
{
	struct fake_smmu f;
	struct smmu_dev *dev;
	int gbpa, cr0_off;

	fake_smmu_init(&f);
	fake_set_reg(&f, SMMU_CR0, (uint32_t)SMMU_CR0_SMMUEN);
	fake_set_reg(&f, SMMU_CR0ACK, (uint32_t)SMMU_CR0_SMMUEN);
	assert_int_equal(probe(&f, &dev), 0);
	gbpa = fake_write_index(&f, SMMU_GBPA, 0);
	cr0_off = fake_write_index(&f, SMMU_CR0, 0);
	assert_true(gbpa >= 0 && gbpa < cr0_off);
	assert_true(fake_reg(&f, SMMU_GBPA) & SMMU_GBPA_ABORT);
	smmu_dev_remove(dev);
	fake_smmu_fini(&f);
}

static void test_ack_timeouts(void **state)
{
	struct fake_smmu f;
	struct smmu_dev *dev = NULL;

	fake_smmu_init(&f);
	f.never_ack_cr0 = true;
	assert_int_equal(probe(&f, &dev), -ETIMEDOUT);
	assert_null(dev);
	assert_int_equal(f.dma_live, 0);
	fake_smmu_fini(&f);

	fake_smmu_init(&f);
	f.never_ack_irq_ctrl = true;
	assert_int_equal(probe(&f, &dev), -ETIMEDOUT);
	assert_null(dev);
	assert_int_equal(f.dma_live, 0);
	fake_smmu_fini(&f);
}

/* ---- Stream table ------------------------------------------------------ */

static void assert_abort_ste(const uint64_t *ste)
{
	assert_int_equal(ste[0], SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_ABORT));
	for (unsigned d = 1; d < SMMU_STE_DWORDS; d++)
		assert_int_equal(ste[d], 0);
}

static void test_strtab_linear(void **state)
{
	struct fake_smmu f;
	struct smmu_dev *dev;
	uint32_t cfg;

	fake_smmu_init(&f);
	update_reg(&f, SMMU_IDR1, SMMU_IDR1_SIDSIZE, 8); /* small: linear despite 2-level */
	assert_int_equal(probe(&f, &dev), 0);
	assert_false(smmu_strtab_is_2lvl(dev));
	cfg = fake_reg(&f, SMMU_STRTAB_BASE_CFG);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STRTAB_BASE_CFG_FMT, cfg), SMMU_STRTAB_FMT_LINEAR);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STRTAB_BASE_CFG_LOG2SIZE, cfg), 8);
	for (uint32_t sid = 0; sid < 256; sid++) {
		assert_int_equal(smmu_strtab_ensure(dev, sid), 0);
		assert_abort_ste(smmu_strtab_ste(dev, sid));
	}
	assert_ptr_equal(smmu_strtab_ste(dev, 1), smmu_strtab_ste(dev, 0) + SMMU_STE_DWORDS);
	assert_int_equal((uint64_t)(uintptr_t)smmu_strtab_ste(dev, 0),
			 ((uint64_t)fake_reg(&f, SMMU_STRTAB_BASE + 4) << 32 |
			  fake_reg(&f, SMMU_STRTAB_BASE)) & SMMU_STRTAB_BASE_ADDR);
	assert_int_equal(smmu_strtab_ensure(dev, 256), -EINVAL);
	assert_null(smmu_strtab_ste(dev, 256));
	smmu_dev_remove(dev);

	/* No 2-level support: linear even for 12 SID bits. */
	update_reg(&f, SMMU_IDR1, SMMU_IDR1_SIDSIZE, 12);
	update_reg(&f, SMMU_IDR0, SMMU_IDR0_ST_LEVEL, SMMU_ST_LEVEL_LINEAR);
	assert_int_equal(probe(&f, &dev), 0);
	assert_false(smmu_strtab_is_2lvl(dev));
	assert_int_equal(smmu_strtab_sid_bits(dev), 12);
	assert_abort_ste(smmu_strtab_ste(dev, 4095));
	smmu_dev_remove(dev);
	assert_int_equal(f.dma_live, 0);
	fake_smmu_fini(&f);
}

static uint64_t l1_desc(struct fake_smmu *f, uint32_t sid)
{
	uint64_t base = ((uint64_t)fake_reg(f, SMMU_STRTAB_BASE + 4) << 32 |
			 fake_reg(f, SMMU_STRTAB_BASE)) & SMMU_STRTAB_BASE_ADDR;

	return ((const uint64_t *)(uintptr_t)base)[sid >> SMMU_STRTAB_SPLIT];
}

static void test_strtab_2lvl(void **state)
{
	struct fake_smmu f;
	struct smmu_dev *dev;
	uint32_t cfg;
	uint64_t *ste, desc;

	fake_smmu_init(&f);
	assert_int_equal(probe(&f, &dev), 0);
	assert_true(smmu_strtab_is_2lvl(dev));
	cfg = fake_reg(&f, SMMU_STRTAB_BASE_CFG);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STRTAB_BASE_CFG_FMT, cfg), SMMU_STRTAB_FMT_2LVL);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STRTAB_BASE_CFG_SPLIT, cfg), SMMU_STRTAB_SPLIT);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STRTAB_BASE_CFG_LOG2SIZE, cfg), 16);
	/* Leaves appear only when asked for. */
	assert_null(smmu_strtab_ste(dev, 0x1234));
	assert_int_equal(l1_desc(&f, 0x1234), 0);
	assert_int_equal(smmu_strtab_ensure(dev, 0x1234), 0);
	ste = smmu_strtab_ste(dev, 0x1234);
	assert_non_null(ste);
	desc = l1_desc(&f, 0x1234);
	assert_int_equal(SMMU_FIELD_GET(SMMU_L1STD_SPAN, desc), SMMU_STRTAB_SPLIT + 1);
	assert_ptr_equal(ste, (uint64_t *)(uintptr_t)(desc & SMMU_L1STD_L2PTR) +
				      0x34 * SMMU_STE_DWORDS);
	for (uint32_t sid = 0x1200; sid < 0x1300; sid++)
		assert_abort_ste(smmu_strtab_ste(dev, sid));
	assert_null(smmu_strtab_ste(dev, 0x1300));
	assert_int_equal(l1_desc(&f, 0x1300), 0);
	assert_int_equal(smmu_strtab_ensure(dev, 0x12ff), 0);
	assert_ptr_equal(smmu_strtab_ste(dev, 0x1234), ste);
	assert_int_equal(smmu_strtab_ensure(dev, 0x10000), -EINVAL);
	smmu_dev_remove(dev);
	assert_int_equal(f.dma_live, 0);

	/* 32 SID bits: the L1 is capped at 2^17 descriptors. */
	update_reg(&f, SMMU_IDR1, SMMU_IDR1_SIDSIZE, 32);
	assert_int_equal(probe(&f, &dev), 0);
	assert_int_equal(smmu_strtab_sid_bits(dev), SMMU_STRTAB_L1_MAX_BITS + SMMU_STRTAB_SPLIT);
	assert_int_equal(smmu_strtab_ensure(dev, (1u << 25) - 1), 0);
	assert_int_equal(smmu_strtab_ensure(dev, 1u << 25), -EINVAL);
	smmu_dev_remove(dev);
	assert_int_equal(f.dma_live, 0);
	fake_smmu_fini(&f);
}

#define ENSURE_THREADS 4

struct ensure_arg {
	struct smmu_dev *dev;
	unsigned id;
};

static void *ensure_main(void *p)
{
	struct ensure_arg *a = p;

	for (uint32_t sid = 0; sid < 0x4000; sid += 0x40)
		if (smmu_strtab_ensure(a->dev, sid ^ (a->id << 6)) ||
		    !smmu_strtab_ste(a->dev, sid ^ (a->id << 6)))
			return p;
	return NULL;
}

/* Racing threads create each leaf once and see it complete. */
static void test_strtab_concurrent(void **state)
{
	struct fake_smmu f;
	struct smmu_dev *dev;
	pthread_t th[ENSURE_THREADS];
	struct ensure_arg args[ENSURE_THREADS];
	long live;

	fake_smmu_init(&f);
	assert_int_equal(probe(&f, &dev), 0);
	live = f.dma_live;
	for (unsigned t = 0; t < ENSURE_THREADS; t++) {
		args[t] = (struct ensure_arg){ dev, t };
		pthread_create(&th[t], NULL, ensure_main, &args[t]);
	}
	for (unsigned t = 0; t < ENSURE_THREADS; t++) {
		void *ret;

		pthread_join(th[t], &ret);
		assert_null(ret);
	}
	assert_int_equal(f.dma_live - live, 0x40); /* one leaf per 256 SIDs */
	smmu_dev_remove(dev);
	fake_smmu_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_queue_halving),
		cmocka_unit_test(test_reset_order),
		cmocka_unit_test(test_reset_when_enabled),
		cmocka_unit_test(test_ack_timeouts),
		cmocka_unit_test(test_strtab_linear),
		cmocka_unit_test(test_strtab_2lvl),
		cmocka_unit_test(test_strtab_concurrent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

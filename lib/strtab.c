/*
 * The stream table: linear, or 2-level with lazily allocated leaves.
 *
 * Concepts: see strtab.h.  A leaf is published to the SMMU by a single
 * release store of its L1 descriptor after its abort STEs are written, so
 * the SMMU (which may cache an invalid descriptor, and reads each word
 * atomically) sees either "no leaf" or a complete one; no CFGI is needed
 * because a stream in a missing leaf has never been configured.  Leaves
 * are created under a mutex; lookups read the published pointer without
 * it.
 */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <smmu/arch.h>

#include "dev.h"
#include "log.h"
#include "strtab.h"

struct strtab_l2 {
	_Atomic(uint64_t *) cpu;
	uint64_t bus;
};

struct smmu_strtab {
	bool two_level;
	unsigned sid_bits;        /* covered by the table */
	uint64_t *cpu;            /* linear STEs or L1 descriptors */
	uint64_t bus;
	size_t bytes;
	struct strtab_l2 *l2;     /* 2-level: one per L1 descriptor */
	size_t num_l1;
	pthread_mutex_t lock;
};

static size_t l2_bytes(void)
{
	return (size_t)SMMU_STE_SIZE << SMMU_STRTAB_SPLIT;
}

static void ste_fill_abort(uint64_t *ste, size_t count)
{
	uint64_t word0 = htole64(SMMU_STE0_V |
				 SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_ABORT));

	for (size_t i = 0; i < count; i++) {
		_Atomic uint64_t *w = (_Atomic uint64_t *)&ste[i * SMMU_STE_DWORDS];

		atomic_store_explicit(&w[0], word0, memory_order_relaxed);
		for (unsigned d = 1; d < SMMU_STE_DWORDS; d++)
			atomic_store_explicit(&w[d], 0, memory_order_relaxed);
	}
}

static int strtab_alloc(struct smmu_dev *dev, size_t bytes, void **cpu,
			uint64_t *bus)
{
	size_t align = bytes < SMMU_STE_SIZE ? SMMU_STE_SIZE : bytes;

	return dev->plat.dma_alloc(dev->plat.opaque, bytes, align, cpu, bus);
}

static int strtab_init_linear(struct smmu_dev *dev, struct smmu_strtab *st)
{
	void *cpu;

	st->sid_bits = dev->feat.sid_bits;
	st->bytes = (size_t)SMMU_STE_SIZE << st->sid_bits;
	if (strtab_alloc(dev, st->bytes, &cpu, &st->bus)) {
		smmu_err(dev, "cannot allocate a linear stream table for %u SID bits",
			 st->sid_bits);
		return -ENOMEM;
	}
	st->cpu = cpu;
	ste_fill_abort(st->cpu, (size_t)1 << st->sid_bits);
	return 0;
}

static int strtab_init_2lvl(struct smmu_dev *dev, struct smmu_strtab *st)
{
	unsigned l1_bits = dev->feat.sid_bits - SMMU_STRTAB_SPLIT;
	void *cpu;

	if (l1_bits > SMMU_STRTAB_L1_MAX_BITS) {
		smmu_warn(dev, "2-level stream table covers only %u of %u SID bits",
			  SMMU_STRTAB_L1_MAX_BITS + SMMU_STRTAB_SPLIT, dev->feat.sid_bits);
		l1_bits = SMMU_STRTAB_L1_MAX_BITS;
	}
	st->two_level = true;
	st->sid_bits = l1_bits + SMMU_STRTAB_SPLIT;
	st->num_l1 = (size_t)1 << l1_bits;
	st->bytes = st->num_l1 * SMMU_L1_DESC_SIZE;
	st->l2 = calloc(st->num_l1, sizeof(*st->l2));
	if (!st->l2)
		return -ENOMEM;
	if (strtab_alloc(dev, st->bytes, &cpu, &st->bus)) {
		smmu_err(dev, "cannot allocate %zu L1 stream table descriptors", st->num_l1);
		free(st->l2);
		return -ENOMEM;
	}
	st->cpu = cpu; /* zeroed: every descriptor invalid (SPAN 0) */
	return 0;
}

int smmu_strtab_init(struct smmu_dev *dev)
{
	struct smmu_strtab *st = calloc(1, sizeof(*st));
	bool two_level = dev->feat.st_2lvl &&
			 dev->feat.sid_bits > SMMU_STRTAB_LINEAR_MAX_BITS;
	int ret;

	if (!st)
		return -ENOMEM;
	ret = two_level ? strtab_init_2lvl(dev, st) : strtab_init_linear(dev, st);
	if (ret) {
		free(st);
		return ret;
	}
	pthread_mutex_init(&st->lock, NULL);
	dev->strtab = st;
	return 0;
}

void smmu_strtab_free(struct smmu_dev *dev)
{
	struct smmu_strtab *st = dev->strtab;

	if (!st)
		return;
	for (size_t i = 0; st->two_level && i < st->num_l1; i++) {
		uint64_t *l2 = atomic_load_explicit(&st->l2[i].cpu, memory_order_relaxed);

		if (l2)
			dev->plat.dma_free(dev->plat.opaque, l2, st->l2[i].bus, l2_bytes());
	}
	dev->plat.dma_free(dev->plat.opaque, st->cpu, st->bus, st->bytes);
	pthread_mutex_destroy(&st->lock);
	free(st->l2);
	free(st);
	dev->strtab = NULL;
}

uint64_t smmu_strtab_base_reg(const struct smmu_dev *dev)
{
	return SMMU_STRTAB_BASE_RA | (dev->strtab->bus & SMMU_STRTAB_BASE_ADDR);
}

uint32_t smmu_strtab_base_cfg(const struct smmu_dev *dev)
{
	const struct smmu_strtab *st = dev->strtab;
	uint64_t cfg = SMMU_FIELD_PREP(SMMU_STRTAB_BASE_CFG_LOG2SIZE, st->sid_bits);

	if (st->two_level)
		cfg |= SMMU_FIELD_PREP(SMMU_STRTAB_BASE_CFG_FMT, SMMU_STRTAB_FMT_2LVL) |
		       SMMU_FIELD_PREP(SMMU_STRTAB_BASE_CFG_SPLIT, SMMU_STRTAB_SPLIT);
	return (uint32_t)cfg;
}

bool smmu_strtab_is_2lvl(const struct smmu_dev *dev)
{
	return dev->strtab->two_level;
}

unsigned smmu_strtab_sid_bits(const struct smmu_dev *dev)
{
	return dev->strtab->sid_bits;
}

static bool sid_in_table(const struct smmu_strtab *st, uint32_t sid)
{
	return st->sid_bits >= 32 || sid < (UINT32_C(1) << st->sid_bits);
}

static int strtab_add_leaf(struct smmu_dev *dev, struct smmu_strtab *st,
			   size_t l1)
{
	_Atomic uint64_t *desc = (_Atomic uint64_t *)&st->cpu[l1];
	void *cpu;
	uint64_t bus;

	if (strtab_alloc(dev, l2_bytes(), &cpu, &bus)) {
		smmu_err(dev, "cannot allocate the stream table leaf %zu", l1);
		return -ENOMEM;
	}
	ste_fill_abort(cpu, (size_t)1 << SMMU_STRTAB_SPLIT);
	st->l2[l1].bus = bus;
	atomic_store_explicit(desc,
			      htole64(SMMU_FIELD_PREP(SMMU_L1STD_SPAN, SMMU_STRTAB_SPLIT + 1) |
				      (bus & SMMU_L1STD_L2PTR)),
			      memory_order_release);
	atomic_store_explicit(&st->l2[l1].cpu, cpu, memory_order_release);
	return 0;
}

int smmu_strtab_ensure(struct smmu_dev *dev, uint32_t sid)
{
	struct smmu_strtab *st;
	size_t l1;
	int ret = 0;

	if (!dev || !dev->strtab)
		return -EINVAL;
	st = dev->strtab;
	if (!sid_in_table(st, sid)) {
		smmu_warn(dev, "SID 0x%x is outside the %u-bit stream table", sid,
			  st->sid_bits);
		return -EINVAL;
	}
	if (!st->two_level)
		return 0;
	l1 = sid >> SMMU_STRTAB_SPLIT;
	if (atomic_load_explicit(&st->l2[l1].cpu, memory_order_acquire))
		return 0;
	pthread_mutex_lock(&st->lock);
	if (!atomic_load_explicit(&st->l2[l1].cpu, memory_order_relaxed))
		ret = strtab_add_leaf(dev, st, l1);
	pthread_mutex_unlock(&st->lock);
	return ret;
}

uint64_t *smmu_strtab_ste(struct smmu_dev *dev, uint32_t sid)
{
	struct smmu_strtab *st;
	uint64_t *l2;

	if (!dev || !dev->strtab || !sid_in_table(dev->strtab, sid))
		return NULL;
	st = dev->strtab;
	if (!st->two_level)
		return &st->cpu[(size_t)sid * SMMU_STE_DWORDS];
	l2 = atomic_load_explicit(&st->l2[sid >> SMMU_STRTAB_SPLIT].cpu,
				  memory_order_acquire);
	if (!l2)
		return NULL;
	return &l2[(size_t)(sid & ((UINT32_C(1) << SMMU_STRTAB_SPLIT) - 1)) *
		   SMMU_STE_DWORDS];
}

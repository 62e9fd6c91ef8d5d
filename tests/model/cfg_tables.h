/*
 * Stream and CD table builders for the configuration tests.
 *
 * Concepts: test_config.c (structures and the configuration cache) and
 * test_cfgfast.c (the lock-free fast path in front of it) build the same
 * STEs and CDs in DMA memory with the arch.h layouts and judge the
 * configuration the model resolved by a translation's outcome: 0 (bypass
 * reached the output), ~0 (silent abort) or the event id - a translating
 * configuration reaches the translation layer, whose empty tables give
 * F_TRANSLATION.  The fixture is a harness with queues, a linear stream
 * table and SMMUEN, plus a 1024-entry CD table.
 */
#ifndef SMMU_TESTS_MODEL_CFG_TABLES_H
#define SMMU_TESTS_MODEL_CFG_TABLES_H

#include "harness.h"

#define OP(op) SMMU_FIELD_PREP(SMMU_CMD0_OP, (op))
#define SID(sid) SMMU_FIELD_PREP(SMMU_CMD0_SID, (sid))
#define IOVA 0x12345000ull
#define TTB_PA 0x800000ull

struct cfg_fixture {
	struct harness *h;
	uint64_t *cd_table;
	uint64_t cd_pa;
};

int cfg_setup(void **state);
int cfg_teardown(void **state);

void ste_bypass(uint64_t *ste);
/* Stage 2 only, 4K granule, VMID 1, tables at TTB_PA. */
void ste_s2(uint64_t *ste);
void ste_s1(uint64_t *ste, uint64_t ctx, unsigned cdmax, unsigned fmt, unsigned s1dss);
/* A valid AArch64 CD: TTB0 at TTB_PA, 48-bit, EPD1. */
void cd_valid(uint64_t *cd, uint16_t asid);
void put_ste(struct harness *h, uint32_t sid, const uint64_t *ste);

/* The translation's outcome: 0 for success, else the event id (or ~0 for silent abort). */
unsigned outcome(struct harness *h, uint32_t sid, bool ssv, uint32_t ssid, uint64_t evt[4]);
unsigned outcome_of(struct harness *h, uint32_t sid);

#endif /* SMMU_TESTS_MODEL_CFG_TABLES_H */

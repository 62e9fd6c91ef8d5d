/*
 * The interface between command execution and the translation caches.
 *
 * Concepts: the command-queue consumer (cmdq.c) validates each TLBI_* and
 * ATC_INV command and hands it over, decoded, as a struct smmu_tlbi to
 * smmu_model_tlb_invalidate().  The translation layer (IOTLB, walk caches,
 * device ATCs) decides what the command removes.  CMD_SYNC calls
 * smmu_model_tlb_sync() so that invalidations the model deferred (the
 * weakest-legal mode completes them no earlier than the next CMD_SYNC)
 * take effect there.  Neither side knows the other's data structures.
 */
#ifndef SMMU_MODEL_TLB_H
#define SMMU_MODEL_TLB_H

#include <stdbool.h>
#include <stdint.h>
#include <smmu/arch.h>

struct smmu_model;

struct smmu_tlbi {
	enum smmu_cmd_op op;    /* a TLBI_* opcode or SMMU_CMD_ATC_INV */
	uint16_t vmid;
	uint16_t asid;
	uint64_t addr;          /* VA, IPA or ATC address (bytes) */
	bool leaf;
	unsigned tg;            /* enum smmu_tlbi_tg; 0 = not a range op */
	unsigned ttl;
	unsigned num;           /* range = (num + 1) << scale granules */
	unsigned scale;
	/* ATC_INV */
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	bool global;
	unsigned size;          /* ATC_INV span: 2^size 4 KiB pages */
};

void smmu_model_tlb_invalidate(struct smmu_model *m, const struct smmu_tlbi *req);
void smmu_model_tlb_sync(struct smmu_model *m);

#endif /* SMMU_MODEL_TLB_H */

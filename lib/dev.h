/*
 * The driver's per-SMMU state, shared by the driver's modules.
 *
 * Concepts: struct smmu_dev is one probed SMMU.  probe.c fills `feat` from
 * the ID registers; every other module reads it and owns one part of the
 * device (command queue, event/PRI queues, stream table, VMID map), each
 * behind its own header and reached through the pointers below, so no
 * module depends on another's layout.  All hardware access goes through
 * `plat` (<smmu/platform.h>).
 */
#ifndef SMMU_LIB_DEV_H
#define SMMU_LIB_DEV_H

#include <stdbool.h>
#include <stdint.h>
#include <smmu/platform.h>

/* What the driver may use, decided once at probe from IDR0/1/3/5. */
struct smmu_features {
	bool trans_s1, trans_s2, nesting;
	bool coherent;          /* IDR0.COHACC */
	bool hyp, e2h;
	bool ats, pri;
	bool msi, sev;
	bool cd2l, st_2lvl;
	bool stalls, stall_force;
	bool ril, fwb, bbml2;
	bool ha, hd;            /* HTTU */
	bool attr_types_ovr;
	unsigned asid_bits, vmid_bits;
	unsigned sid_bits, ssid_bits;
	unsigned cmdq_log2, evtq_log2, priq_log2;
	unsigned oas_bits;      /* output address size */
	unsigned ias_bits;      /* stage-1 input size (48, or 52 with VAX) */
	uint64_t pgsize_bitmap; /* page and block sizes from IDR5.GRAN* */
	unsigned stall_max;
	uint32_t iidr;
};

struct smmu_cmdq;
struct smmu_queue_rx;   /* event or PRI queue */
struct smmu_strtab;
struct smmu_idmap;
struct smmu_tag_ctx;    /* the ASID map shared by the SMMUs of one harness */

struct smmu_dev {
	struct smmu_platform plat;
	struct smmu_features feat;
	struct smmu_cmdq *cmdq;
	struct smmu_queue_rx *evtq;
	struct smmu_queue_rx *priq;
	struct smmu_strtab *strtab;
	struct smmu_idmap *vmid_map;
	struct smmu_tag_ctx *tags;
};

#endif /* SMMU_LIB_DEV_H */

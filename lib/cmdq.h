/*
 * Command builders and the driver's command queue (interface).
 *
 * Concepts: a struct smmu_cmd is one 16-byte command, built only by the
 * typed builders in cmds.c (which refuse out-of-range arguments with
 * -EINVAL, so a malformed command never reaches the queue).  The queue
 * takes commands from many threads with the kernel's lock-free insertion;
 * a struct smmu_cmdq_batch gathers up to SMMU_CMDQ_BATCH_MAX commands and
 * submits them with one CMD_SYNC at the end.
 */
#ifndef SMMU_LIB_CMDQ_H
#define SMMU_LIB_CMDQ_H

#include <stdbool.h>
#include <stdint.h>
#include <smmu/arch.h>

struct smmu_dev;

struct smmu_cmd {
	uint64_t dw[SMMU_CMD_DWORDS];
};

/* Builders: 0 or -EINVAL. */
int smmu_cmd_cfgi_ste(struct smmu_cmd *cmd, uint32_t sid, bool leaf);
int smmu_cmd_cfgi_all(struct smmu_cmd *cmd);
int smmu_cmd_cfgi_cd(struct smmu_cmd *cmd, uint32_t sid, uint32_t ssid,
		     bool leaf);
int smmu_cmd_cfgi_cd_all(struct smmu_cmd *cmd, uint32_t sid);
int smmu_cmd_prefetch_config(struct smmu_cmd *cmd, uint32_t sid);
/* TLBI_NH_ALL/NH_ASID/EL2_ALL/EL2_ASID/S12_VMALL/NSNH_ALL: tag-wide forms. */
int smmu_cmd_tlbi_tag(struct smmu_cmd *cmd, enum smmu_cmd_op op,
		      uint16_t asid, uint16_t vmid);
/* TLBI_NH_VA/NH_VAA/EL2_VA/EL2_VAA/S2_IPA; tg == 0 for a non-range op. */
int smmu_cmd_tlbi_range(struct smmu_cmd *cmd, enum smmu_cmd_op op,
			uint16_t asid, uint16_t vmid, uint64_t addr, bool leaf,
			unsigned tg, unsigned ttl, unsigned num, unsigned scale);
int smmu_cmd_atc_inv(struct smmu_cmd *cmd, uint32_t sid, bool ssv,
		     uint32_t ssid, uint64_t addr, unsigned size_log2);
int smmu_cmd_pri_resp(struct smmu_cmd *cmd, uint32_t sid, bool ssv,
		      uint32_t ssid, uint16_t grpid, enum smmu_pri_resp resp);
int smmu_cmd_resume(struct smmu_cmd *cmd, uint32_t sid, uint16_t stag,
		    enum smmu_resume_action action);
int smmu_cmd_sync(struct smmu_cmd *cmd, enum smmu_sync_cs cs,
		  uint64_t msi_addr, uint32_t msi_data);

#define SMMU_CMDQ_BATCH_MAX 64u

struct smmu_cmdq_batch {
	struct smmu_cmd cmds[SMMU_CMDQ_BATCH_MAX];
	unsigned num;
};

void smmu_cmdq_batch_init(struct smmu_cmdq_batch *batch);
/* Flushes a full batch (without sync) first; 0 or -errno. */
int smmu_cmdq_batch_add(struct smmu_dev *dev, struct smmu_cmdq_batch *batch,
			const struct smmu_cmd *cmd);
/* Issues what is gathered plus one CMD_SYNC and waits for it. */
int smmu_cmdq_batch_submit(struct smmu_dev *dev, struct smmu_cmdq_batch *batch);
/* Issue n commands (and a CMD_SYNC, waited for, when sync). */
int smmu_cmdq_issue(struct smmu_dev *dev, const struct smmu_cmd *cmds,
		    unsigned n, bool sync);

#endif /* SMMU_LIB_CMDQ_H */

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
/*
 * TLBI_NH_VA/NH_VAA/EL2_VA/EL2_VAA/S2_IPA; tg == 0 for a non-range op.
 * num and scale are the fields: the range is (num + 1) << scale pages.
 */
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
/*
 * Issue n commands (and a CMD_SYNC, waited for, when sync); more than
 * SMMU_CMDQ_BATCH_MAX are issued in chunks that may interleave with other
 * threads' commands.  0, -EINVAL, -ETIMEDOUT.
 */
int smmu_cmdq_issue(struct smmu_dev *dev, const struct smmu_cmd *cmds,
		    unsigned n, bool sync);

/* The opcode of a built command. */
enum smmu_cmd_op smmu_cmd_opcode(const struct smmu_cmd *cmd);

/*
 * Queue pointers (command, event and PRI queues alike): the index is the
 * low log2 bits, the wrap flag the next bit, and bit 31 a flag carried
 * through increments (OVFLG/OVACKFLG on event and PRI queues; for the
 * command queue's shadow PROD, the driver's own OWNED flag).
 */
#define SMMU_Q_FLAG ((uint32_t)SMMU_Q_PROD_OVFLG)

static inline uint32_t smmu_q_idx(unsigned log2, uint32_t p)
{
	return p & ((UINT32_C(1) << log2) - 1);
}

static inline uint32_t smmu_q_wrp(unsigned log2, uint32_t p)
{
	return p & (UINT32_C(1) << log2);
}

/* wrap|index only: what the SMMU registers compare. */
static inline uint32_t smmu_q_pos(unsigned log2, uint32_t p)
{
	return p & ((UINT32_C(2) << log2) - 1);
}

static inline bool smmu_q_empty(unsigned log2, uint32_t prod, uint32_t cons)
{
	return smmu_q_pos(log2, prod) == smmu_q_pos(log2, cons);
}

static inline bool smmu_q_full(unsigned log2, uint32_t prod, uint32_t cons)
{
	return smmu_q_idx(log2, prod) == smmu_q_idx(log2, cons) &&
	       smmu_q_wrp(log2, prod) != smmu_q_wrp(log2, cons);
}

/* Free slots between prod and cons. */
static inline uint32_t smmu_q_space(unsigned log2, uint32_t prod, uint32_t cons)
{
	uint32_t size = UINT32_C(1) << log2;
	uint32_t p = smmu_q_idx(log2, prod), c = smmu_q_idx(log2, cons);

	if (smmu_q_wrp(log2, prod) == smmu_q_wrp(log2, cons))
		return size - (p - c);
	return c - p;
}

/* p advanced by n slots (n <= size), keeping the flag bit. */
static inline uint32_t smmu_q_inc(unsigned log2, uint32_t p, uint32_t n)
{
	uint32_t pos = smmu_q_pos(log2, smmu_q_pos(log2, p) + n);

	return (p & SMMU_Q_FLAG) | pos;
}

/* True once cons has moved past the entry at prod. */
static inline bool smmu_q_consumed(unsigned log2, uint32_t cons, uint32_t prod)
{
	if (smmu_q_wrp(log2, cons) == smmu_q_wrp(log2, prod))
		return smmu_q_idx(log2, cons) > smmu_q_idx(log2, prod);
	return smmu_q_idx(log2, cons) <= smmu_q_idx(log2, prod);
}

/*
 * Queue memory shared by the three queues: 2^log2 entries of ent_dwords
 * little-endian words, naturally aligned, as the queue base registers
 * require.
 */
struct smmu_queue {
	uint64_t *cpu;
	uint64_t bus;
	unsigned log2;
	unsigned ent_dwords;
};

/*
 * Allocate at most 2^log2 entries, halving on -ENOMEM down to min_log2
 * (as the kernel does); 0, -ENOMEM.
 */
int smmu_queue_alloc(struct smmu_dev *dev, struct smmu_queue *q, unsigned log2,
		     unsigned min_log2, unsigned ent_dwords, const char *name);
void smmu_queue_free(struct smmu_dev *dev, struct smmu_queue *q);
/* The value for CMDQ_BASE / EVENTQ_BASE / PRIQ_BASE. */
uint64_t smmu_queue_base_reg(const struct smmu_queue *q);
/* Entry i (an index, not a pointer value) of the queue. */
uint64_t *smmu_queue_entry(const struct smmu_queue *q, uint32_t idx);

/* Command queue life cycle (probe.c programs the registers). */
#define SMMU_CMDQ_LOG2_CAP 12u /* 4096 commands, 64 KiB */
int smmu_cmdq_init(struct smmu_dev *dev);
void smmu_cmdq_free(struct smmu_dev *dev);
const struct smmu_queue *smmu_cmdq_queue(const struct smmu_dev *dev);
/* Handle GERROR.CMDQ_ERR: the kernel's skip_err (called by the handler). */
void smmu_cmdq_skip_err(struct smmu_dev *dev);

#endif /* SMMU_LIB_CMDQ_H */

/*
 * The command queue consumer: fetch, check and execute commands.
 *
 * Concepts: commands are consumed from CONS towards PROD while CR0ACK.CMDQEN
 * is set and no command error is active (GERROR.CMDQ_ERR == GERRORN's).
 * Each command is read as two single-copy-atomic dwords (in place when
 * the entries are host-mapped DMA memory, their lines asked for a chunk
 * ahead since another core usually wrote them); a fetch that
 * aborts stops the queue with CONS.ERR = CERROR_ABT, and a command that is
 * not legal stops it with CERROR_ILL, CONS left on the offending command
 * and GERROR.CMDQ_ERR activated after CONS.ERR is set.  Legality comes from
 * cmd_table[]: the fields each opcode defines (any other bit set is a
 * Reserved field; this model checks them, as SPEC 4.1.5 permits), the
 * features it needs (stage 1, stage 2, HYP, ATS, PRI, stalls) and a
 * per-command check of its parameter values.  Opcodes the table lacks -
 * Reserved ones, Secure-only and EL3 TLBIs on this Non-secure queue, DPT,
 * MPAM and IMPLEMENTATION DEFINED ones this model does not implement - are
 * CERROR_ILL too.  Execution happens in order, one command at a time, so
 * when CMD_SYNC runs every earlier command's effect is complete; it calls
 * smmu_model_tlb_sync() before signalling.  Inline mode consumes inside
 * the MMIO write that made work available; threaded mode wakes a thread
 * that takes m->lock per command, so CONS visibly advances.
 */
#include <errno.h>

#include <smmu/mem.h>

#include "model_internal.h"
#include "tlb.h"
#include "xlate.h"

enum cmd_need {
	NEED_S1 = 1u << 0,
	NEED_S2 = 1u << 1,
	NEED_HYP = 1u << 2,
	NEED_ATS = 1u << 3,
	NEED_PRI = 1u << 4,
	NEED_STALL = 1u << 5,
};

typedef void cmd_exec_fn(struct smmu_model *m, const uint64_t *cmd);
typedef bool cmd_check_fn(const struct smmu_model *m, const uint64_t *cmd);

struct cmd_desc {
	uint8_t op;
	unsigned need;
	uint64_t dw0, dw1;      /* fields the command defines (beyond OP) */
	cmd_check_fn *check;    /* parameter values; NULL = any */
	cmd_exec_fn *exec;
};

/* ---- Decoding helpers ---------------------------------------------------- */

static struct smmu_stream_id cmd_stream(const uint64_t *cmd)
{
	return (struct smmu_stream_id){
		.sid = (uint32_t)SMMU_FIELD_GET(SMMU_CMD0_SID, cmd[0]),
		.ssv = SMMU_FIELD_GET(SMMU_CMD0_SSV, cmd[0]),
		.ssid = (uint32_t)SMMU_FIELD_GET(SMMU_CMD0_SSID, cmd[0]),
	};
}

static unsigned cmd_op(const uint64_t *cmd)
{
	return (unsigned)SMMU_FIELD_GET(SMMU_CMD0_OP, cmd[0]);
}

/* ---- Parameter checks ------------------------------------------------- */

/*
 * Range fields of the VA/IPA TLBIs: all Reserved without IDR3.RIL; with it,
 * TG = 0 is a single-address operation (TTL, NUM, SCALE Reserved) and a
 * range must not be empty of information (TTL = NUM = SCALE = 0), nor claim
 * level 1 of a 16K granule without 52-bit support (IDR5.DS, not modelled).
 */
static bool check_tlbi_range(const struct smmu_model *m, const uint64_t *cmd)
{
	unsigned tg = (unsigned)SMMU_FIELD_GET(SMMU_CMD1_TLBI_TG, cmd[1]);
	unsigned ttl = (unsigned)SMMU_FIELD_GET(SMMU_CMD1_TLBI_TTL, cmd[1]);
	unsigned num = (unsigned)SMMU_FIELD_GET(SMMU_CMD0_TLBI_NUM, cmd[0]);
	unsigned scale = (unsigned)SMMU_FIELD_GET(SMMU_CMD0_TLBI_SCALE, cmd[0]);

	if (!m->cfg.ril || tg == SMMU_TLBI_TG_NONE)
		return tg == SMMU_TLBI_TG_NONE && !ttl && !num && !scale;
	if (!ttl && !num && !scale)
		return false;
	return !(tg == SMMU_TLBI_TG_16K && ttl == 1);
}

static bool check_sync(const struct smmu_model *m, const uint64_t *cmd)
{
	return SMMU_FIELD_GET(SMMU_CMD0_SYNC_CS, cmd[0]) != SMMU_SYNC_CS_RESERVED;
}

static bool check_pri_resp(const struct smmu_model *m, const uint64_t *cmd)
{
	return SMMU_FIELD_GET(SMMU_CMD1_PRI_RESP, cmd[1]) <= SMMU_PRI_RESP_SUCC;
}

static bool check_resume(const struct smmu_model *m, const uint64_t *cmd)
{
	return SMMU_FIELD_GET(SMMU_CMD0_RESUME_RESP, cmd[0]) <= SMMU_RESUME_ABORT;
}

/* ---- Execution ---------------------------------------------------------- */

static void exec_prefetch(struct smmu_model *m, const uint64_t *cmd)
{
	struct smmu_stream_id who = cmd_stream(cmd);

	smmu_model_prefetch_config(m, &who);
}

static void exec_cfgi_ste(struct smmu_model *m, const uint64_t *cmd)
{
	smmu_cfg_invalidate_ste(m, cmd_stream(cmd).sid,
				SMMU_FIELD_GET(SMMU_CMD1_LEAF, cmd[1]));
}

static void exec_cfgi_ste_range(struct smmu_model *m, const uint64_t *cmd)
{
	unsigned range = (unsigned)SMMU_FIELD_GET(SMMU_CMD1_RANGE, cmd[1]);

	if (range == SMMU_CFGI_RANGE_ALL)
		smmu_cfg_invalidate_all(m);
	else
		smmu_cfg_invalidate_ste_range(m, cmd_stream(cmd).sid, range);
}

static void exec_cfgi_cd(struct smmu_model *m, const uint64_t *cmd)
{
	struct smmu_stream_id who = cmd_stream(cmd);

	smmu_cfg_invalidate_cd(m, who.sid, who.ssid, SMMU_FIELD_GET(SMMU_CMD1_LEAF, cmd[1]));
}

static void exec_cfgi_cd_all(struct smmu_model *m, const uint64_t *cmd)
{
	smmu_cfg_invalidate_cd_all(m, cmd_stream(cmd).sid);
}

static void exec_tlbi(struct smmu_model *m, const uint64_t *cmd)
{
	unsigned op = cmd_op(cmd);
	struct smmu_tlbi req = {
		.op = (enum smmu_cmd_op)op,
		.vmid = (uint16_t)SMMU_FIELD_GET(SMMU_CMD0_VMID, cmd[0]),
		.asid = (uint16_t)SMMU_FIELD_GET(SMMU_CMD0_ASID, cmd[0]),
		.addr = cmd[1] & (op == SMMU_CMD_TLBI_S2_IPA ? SMMU_CMD1_TLBI_IPA
							      : SMMU_CMD1_TLBI_VA),
		.leaf = SMMU_FIELD_GET(SMMU_CMD1_TLBI_LEAF, cmd[1]),
		.tg = (unsigned)SMMU_FIELD_GET(SMMU_CMD1_TLBI_TG, cmd[1]),
		.ttl = (unsigned)SMMU_FIELD_GET(SMMU_CMD1_TLBI_TTL, cmd[1]),
		.num = (unsigned)SMMU_FIELD_GET(SMMU_CMD0_TLBI_NUM, cmd[0]),
		.scale = (unsigned)SMMU_FIELD_GET(SMMU_CMD0_TLBI_SCALE, cmd[0]),
	};

	smmu_model_tlb_invalidate(m, &req);
}

static void exec_atc_inv(struct smmu_model *m, const uint64_t *cmd)
{
	struct smmu_stream_id who = cmd_stream(cmd);
	struct smmu_tlbi req = {
		.op = SMMU_CMD_ATC_INV,
		.addr = cmd[1] & SMMU_CMD1_ATC_ADDR,
		.sid = who.sid,
		.ssv = who.ssv,
		.ssid = who.ssid,
		.global = SMMU_FIELD_GET(SMMU_CMD0_ATC_GLOBAL, cmd[0]),
		.size = (unsigned)SMMU_FIELD_GET(SMMU_CMD1_ATC_SIZE, cmd[1]),
	};

	smmu_model_tlb_invalidate(m, &req);
}

static void exec_fault_resp(struct smmu_model *m, const uint64_t *cmd)
{
	struct smmu_stream_id who = cmd_stream(cmd);
	unsigned op = cmd_op(cmd);
	struct smmu_fault_resp r = {
		.op = op,
		.sid = who.sid,
		.ssv = op == SMMU_CMD_PRI_RESP && who.ssv,
		.ssid = op == SMMU_CMD_PRI_RESP ? who.ssid : 0,
		.grpid = (unsigned)SMMU_FIELD_GET(SMMU_CMD1_PRI_GRPID, cmd[1]),
		.resp = (unsigned)(op == SMMU_CMD_PRI_RESP
				   ? SMMU_FIELD_GET(SMMU_CMD1_PRI_RESP, cmd[1])
				   : SMMU_FIELD_GET(SMMU_CMD0_RESUME_RESP, cmd[0])),
		.stag = (uint16_t)SMMU_FIELD_GET(SMMU_CMD1_RESUME_STAG, cmd[1]),
	};

	smmu_model_fault_response(m, &r);
}

static void exec_sync(struct smmu_model *m, const uint64_t *cmd)
{
	uint64_t msi_addr = cmd[1] & SMMU_CMD1_SYNC_MSIADDR;

	/* Deferred invalidations complete before the SYNC does. */
	smmu_model_tlb_sync(m);
	switch (SMMU_FIELD_GET(SMMU_CMD0_SYNC_CS, cmd[0])) {
	case SMMU_SYNC_CS_IRQ:
		if (m->cfg.msi && msi_addr) {
			SMMU_MODEL_COUNT(m, sync_msis);
			if (smmu_model_write32(m, msi_addr, (uint32_t)SMMU_FIELD_GET(
					SMMU_CMD0_SYNC_MSIDATA, cmd[0]))) {
				SMMU_MODEL_COUNT(m, msi_aborts);
				smmu_model_gerror_raise_locked(m, SMMU_GERROR_MSI_CMDQ_ABT_ERR);
			}
		}
		/* The wired line is signalled whether or not an MSI was sent. */
		smmu_model_irq_raise_locked(m, SMMU_MODEL_IRQ_CMD_SYNC);
		break;
	case SMMU_SYNC_CS_SEV:
		if (m->cfg.sev)
			smmu_model_sev(m);
		break;
	default:
		break;
	}
	SMMU_MODEL_COUNT_LOCKED(m, syncs);
}

/* ---- The table ----------------------------------------------------------- */

#define STREAM (SMMU_CMD0_SID)
#define SUBSTREAM (SMMU_CMD0_SSV | SMMU_CMD0_SSID)
#define RANGE0 (SMMU_CMD0_TLBI_NUM | SMMU_CMD0_TLBI_SCALE)
#define RANGE1 (SMMU_CMD1_TLBI_LEAF | SMMU_CMD1_TLBI_TTL | SMMU_CMD1_TLBI_TG)
#define VMID SMMU_CMD0_VMID
#define ASID SMMU_CMD0_ASID
#define VA SMMU_CMD1_TLBI_VA
/* PREFETCH_ADDR dword 1 (Size, Stride, NS, Addr) is not checked. */
#define PREFETCH_ADDR_DW1 (~UINT64_C(0))

/* Indexed by opcode; an entry without exec is an opcode this queue rejects. */
#define CMD(op, ...) [op] = { (op), __VA_ARGS__ }
static const struct cmd_desc cmd_table[SMMU_MODEL_NR_OPCODES] = {
	CMD(SMMU_CMD_PREFETCH_CONFIG, 0, STREAM | SUBSTREAM, 0, NULL, exec_prefetch),
	CMD(SMMU_CMD_PREFETCH_ADDR, 0, STREAM | SUBSTREAM, PREFETCH_ADDR_DW1, NULL,
	  exec_prefetch),
	CMD(SMMU_CMD_CFGI_STE, 0, STREAM, SMMU_CMD1_LEAF, NULL, exec_cfgi_ste),
	CMD(SMMU_CMD_CFGI_STE_RANGE, 0, STREAM, SMMU_CMD1_RANGE, NULL, exec_cfgi_ste_range),
	CMD(SMMU_CMD_CFGI_CD, NEED_S1, STREAM | SMMU_CMD0_SSID, SMMU_CMD1_LEAF, NULL,
	  exec_cfgi_cd),
	CMD(SMMU_CMD_CFGI_CD_ALL, NEED_S1, STREAM, 0, NULL, exec_cfgi_cd_all),
	CMD(SMMU_CMD_TLBI_NH_ALL, NEED_S1, VMID, 0, NULL, exec_tlbi),
	CMD(SMMU_CMD_TLBI_NH_ASID, NEED_S1, VMID | ASID, 0, NULL, exec_tlbi),
	CMD(SMMU_CMD_TLBI_NH_VA, NEED_S1, VMID | ASID | RANGE0, RANGE1 | VA,
	  check_tlbi_range, exec_tlbi),
	CMD(SMMU_CMD_TLBI_NH_VAA, NEED_S1, VMID | RANGE0, RANGE1 | VA, check_tlbi_range,
	  exec_tlbi),
	CMD(SMMU_CMD_TLBI_EL2_ALL, NEED_HYP, 0, 0, NULL, exec_tlbi),
	CMD(SMMU_CMD_TLBI_EL2_ASID, NEED_HYP, ASID, 0, NULL, exec_tlbi),
	CMD(SMMU_CMD_TLBI_EL2_VA, NEED_HYP, ASID | RANGE0, RANGE1 | VA, check_tlbi_range,
	  exec_tlbi),
	CMD(SMMU_CMD_TLBI_EL2_VAA, NEED_HYP, RANGE0, RANGE1 | VA, check_tlbi_range,
	  exec_tlbi),
	CMD(SMMU_CMD_TLBI_S12_VMALL, NEED_S2, VMID, 0, NULL, exec_tlbi),
	CMD(SMMU_CMD_TLBI_S2_IPA, NEED_S2, VMID | RANGE0, RANGE1 | SMMU_CMD1_TLBI_IPA,
	  check_tlbi_range, exec_tlbi),
	CMD(SMMU_CMD_TLBI_NSNH_ALL, 0, 0, 0, NULL, exec_tlbi),
	CMD(SMMU_CMD_ATC_INV, NEED_ATS, SMMU_CMD0_ATC_GLOBAL | SUBSTREAM | STREAM,
	  SMMU_CMD1_ATC_SIZE | SMMU_CMD1_ATC_ADDR, NULL, exec_atc_inv),
	CMD(SMMU_CMD_PRI_RESP, NEED_PRI, SUBSTREAM | STREAM,
	  SMMU_CMD1_PRI_GRPID | SMMU_CMD1_PRI_RESP, check_pri_resp, exec_fault_resp),
	CMD(SMMU_CMD_RESUME, NEED_STALL, SMMU_CMD0_RESUME_RESP | STREAM,
	  SMMU_CMD1_RESUME_STAG, check_resume, exec_fault_resp),
	CMD(SMMU_CMD_STALL_TERM, NEED_STALL, STREAM, 0, NULL, exec_fault_resp),
	CMD(SMMU_CMD_SYNC, 0, SMMU_CMD0_SYNC_CS | SMMU_CMD0_SYNC_MSH |
	  SMMU_CMD0_SYNC_MSIATTR | SMMU_CMD0_SYNC_MSIDATA, SMMU_CMD1_SYNC_MSIADDR,
	  check_sync, exec_sync),
};

static const struct cmd_desc *cmd_lookup(unsigned op)
{
	const struct cmd_desc *d = &cmd_table[op % SMMU_MODEL_NR_OPCODES];

	return d->exec ? d : NULL;
}

static unsigned model_features(const struct smmu_model_config *c)
{
	return (c->stage1 ? NEED_S1 : 0u) | (c->stage2 ? NEED_S2 : 0u) |
	       (c->hyp ? NEED_HYP : 0u) | (c->ats ? NEED_ATS : 0u) |
	       (c->pri ? NEED_PRI : 0u) |
	       (c->stall_model != SMMU_STALL_MODEL_TERM_ONLY ? NEED_STALL : 0u);
}

/* features: model_features(&m->cfg), computed once per run of commands. */
static bool cmd_legal(const struct smmu_model *m, unsigned features,
		      const struct cmd_desc *d, const uint64_t *cmd)
{
	uint64_t dw0 = SMMU_CMD0_OP | d->dw0;

	/*
	 * VMID is a field of the TLBIs only where stage 2 exists; the same
	 * bits are the StreamID of CFGI_* and PREFETCH_*.
	 */
	if (!m->cfg.stage2 && d->exec == exec_tlbi)
		dw0 &= ~SMMU_CMD0_VMID;
	if ((d->need & features) != d->need)
		return false;
	if ((cmd[0] & ~dw0) || (cmd[1] & ~d->dw1))
		return false;
	return !d->check || d->check(m, cmd);
}

/* ---- The consumer --------------------------------------------------------- */

static bool cmdq_error_active(const struct smmu_model_regs *r)
{
	return (r->gerror ^ r->gerrorn) & SMMU_GERROR_CMDQ_ERR;
}

static bool cmdq_runnable(const struct smmu_model *m)
{
	const struct smmu_model_regs *r = &m->regs;

	return (r->cr0ack & SMMU_CR0_CMDQEN) && !cmdq_error_active(r) &&
	       !smmu_queue_empty(&r->cmdq);
}

static void cmdq_error(struct smmu_model *m, enum smmu_cmdq_cerror err)
{
	struct smmu_model_queue *q = &m->regs.cmdq;

	q->cons = (uint32_t)SMMU_FIELD_SET(SMMU_CMDQ_CONS_ERR, q->cons, err);
	SMMU_MODEL_COUNT(m, cmd_errors[err]);
	smmu_model_gerror_raise_locked(m, SMMU_GERROR_CMDQ_ERR);
}

/*
 * The entries from CONS up to PROD, or to the end of the queue if it wraps
 * first: how many, and their host bytes when they are DMA memory inside
 * the OAS (read in place), else NULL (read word by word through memory).
 */
static const uint64_t *cmdq_host_run(struct smmu_model *m, uint32_t *count)
{
	const struct smmu_model_queue *q = &m->regs.cmdq;
	uint32_t cons = smmu_queue_idx(q, q->cons), prod = smmu_queue_idx(q, q->prod);
	uint64_t pa = smmu_queue_entry_pa(q, q->cons);
	size_t len;

	/* Not empty (runnable): equal indexes mean a full queue. */
	*count = prod > cons ? prod - cons : (1u << smmu_queue_log2(q)) - cons;
	len = (size_t)*count * q->entry_size;
	if (!smmu_model_pa_ok(m, pa, len))
		return NULL;
	return smmu_mem_host_ptr(m->mem, pa, len);
}

/* The command at CONS, from host (its bytes) or memory; -EFAULT on an abort. */
static int cmdq_fetch(struct smmu_model *m, const uint64_t *host,
		      uint64_t cmd[SMMU_CMD_DWORDS])
{
	uint64_t pa = smmu_queue_entry_pa(&m->regs.cmdq, m->regs.cmdq.cons);

	if (host) {
		/* Single-copy atomic, as smmu_mem_read64 reads them. */
		cmd[0] = __atomic_load_n(&host[0], __ATOMIC_ACQUIRE);
		cmd[1] = __atomic_load_n(&host[1], __ATOMIC_ACQUIRE);
		return 0;
	}
	if (smmu_model_read64(m, pa, &cmd[0]) ||
	    smmu_model_read64(m, pa + sizeof(uint64_t), &cmd[1]))
		return -EFAULT;
	return 0;
}

static void cmdq_step_locked(struct smmu_model *m, unsigned features, const uint64_t *host)
{
	struct smmu_model_queue *q = &m->regs.cmdq;
	const struct cmd_desc *d;
	uint64_t cmd[SMMU_CMD_DWORDS];

	if (cmdq_fetch(m, host, cmd)) {
		cmdq_error(m, SMMU_CERROR_ABT);
		return;
	}
	d = cmd_lookup(cmd_op(cmd));
	if (!d || !cmd_legal(m, features, d, cmd)) {
		cmdq_error(m, SMMU_CERROR_ILL);
		return;
	}
	smmu_model_trace(m, SMMU_MODEL_TRACE_CMD, cmd, SMMU_CMD_DWORDS);
	d->exec(m, cmd);
	SMMU_MODEL_COUNT_LOCKED(m, cmds[d->op]);
	q->cons = smmu_queue_next(q, q->cons);
}

/*
 * A run is executed a chunk at a time, the next chunk's lines asked for
 * before the current one runs.  Commands another core wrote come from
 * that core's cache, one transfer per line; asked for early, the
 * transfers overlap each other and the work instead of each stalling the
 * consumer in turn.
 */
#define CMDQ_PREFETCH_CHUNK 64u

static void cmdq_prefetch(const uint64_t *host, uint32_t entries)
{
	const char *p = (const char *)host;
	const char *end = p + (size_t)entries * SMMU_CMD_SIZE;

	for (; p < end; p += SMMU_MODEL_CACHELINE)
		__builtin_prefetch(p);
}

static uint32_t cmdq_chunk(uint32_t n)
{
	return n < CMDQ_PREFETCH_CHUNK ? n : CMDQ_PREFETCH_CHUNK;
}

/* Execute up to n entries of one run, stopping early if the queue does. */
static void cmdq_run_locked(struct smmu_model *m, unsigned features,
			    const uint64_t *host, uint32_t n)
{
	if (host)
		cmdq_prefetch(host, cmdq_chunk(n));
	while (n) {
		uint32_t chunk = cmdq_chunk(n);

		if (host && n > chunk)
			cmdq_prefetch(host + (size_t)chunk * SMMU_CMD_DWORDS, cmdq_chunk(n - chunk));
		n -= chunk;
		while (chunk--) {
			cmdq_step_locked(m, features, host);
			if (!cmdq_runnable(m))
				return;
			if (host)
				host += SMMU_CMD_DWORDS;
		}
	}
}

/*
 * Consume until the queue stops, a run of entries at a time: the host
 * mapping is looked up once per run (PROD and the base cannot move while
 * m->lock is held; a command's error stops the run).
 */
void smmu_model_cmdq_kick_locked(struct smmu_model *m)
{
	unsigned features = model_features(&m->cfg);

	if (m->cfg.threaded) {
		pthread_cond_signal(&m->cmdq_wake);
		return;
	}
	while (cmdq_runnable(m)) {
		uint32_t n;
		const uint64_t *host = cmdq_host_run(m, &n);

		cmdq_run_locked(m, features, host, n);
	}
}

static void *cmdq_thread(void *arg)
{
	struct smmu_model *m = arg;

	smmu_model_lock(m);
	while (!m->thread_stop) {
		if (!cmdq_runnable(m)) {
			pthread_cond_wait(&m->cmdq_wake, &m->lock);
			continue;
		}
		/* One command per lock hold: the run may change once dropped. */
		cmdq_step_locked(m, model_features(&m->cfg),
				 cmdq_host_run(m, &(uint32_t){ 0 }));
		/* Let MMIO in between commands and deliver what was raised. */
		smmu_model_unlock(m);
		smmu_model_lock(m);
	}
	smmu_model_unlock(m);
	return NULL;
}

int smmu_model_cmdq_start_thread(struct smmu_model *m)
{
	return -pthread_create(&m->thread, NULL, cmdq_thread, m);
}

void smmu_model_cmdq_stop_thread(struct smmu_model *m)
{
	smmu_model_lock(m);
	m->thread_stop = true;
	pthread_cond_signal(&m->cmdq_wake);
	smmu_model_unlock(m);
	pthread_join(m->thread, NULL);
}

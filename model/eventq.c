/*
 * Output side of the model: event and PRI queue producers, interrupts
 * (wired and MSI), global errors and SEV.
 *
 * Concepts: the event queue and the PRI queue are written by the same
 * producer.  A record is written only while the queue is enabled
 * (CR0ACK.*QEN), not full and its *_ABT_ERR is not active; otherwise it is
 * dropped, and a full queue toggles PROD.OVFLG when software has
 * acknowledged the previous overflow (OVFLG == CONS.OVACKFLG).  A write
 * that aborts raises GERROR.*_ABT_ERR.  Each written record raises the
 * queue's interrupt when IRQ_CTRLACK enables it: the wired line (the
 * cfg.irq callback, delivered after m->lock is dropped) and, when MSIs are
 * implemented and *_IRQ_CFG0.ADDR != 0, a 32-bit MSI write whose abort
 * raises GERROR.MSI_*_ABT_ERR.  GERROR bits toggle only while inactive
 * (GERROR == GERRORN for that bit).  SEV is a WFE-style event register:
 * set by CMD_SYNC with CS = SIG_SEV, cleared by the waiter that sees it.
 */
#include <errno.h>
#include <time.h>

#include "model_internal.h"

/* ---- Interrupts and global errors ------------------------------------- */

struct irq_source {
	uint32_t irqen;                 /* IRQ_CTRL enable bit, 0 = none */
	const struct smmu_model_msi *msi;
	uint32_t msi_abt;               /* GERROR bit for an aborted MSI */
};

static struct irq_source irq_source(const struct smmu_model *m, enum smmu_model_irq line)
{
	const struct smmu_model_regs *r = &m->regs;

	switch (line) {
	case SMMU_MODEL_IRQ_EVENTQ:
		return (struct irq_source){ (uint32_t)SMMU_IRQ_CTRL_EVENTQ_IRQEN,
					    &r->eventq_msi,
					    (uint32_t)SMMU_GERROR_MSI_EVENTQ_ABT_ERR };
	case SMMU_MODEL_IRQ_PRIQ:
		return (struct irq_source){ (uint32_t)SMMU_IRQ_CTRL_PRIQ_IRQEN, &r->priq_msi,
					    (uint32_t)SMMU_GERROR_MSI_PRIQ_ABT_ERR };
	case SMMU_MODEL_IRQ_GERROR:
		return (struct irq_source){ (uint32_t)SMMU_IRQ_CTRL_GERROR_IRQEN,
					    &r->gerror_msi,
					    (uint32_t)SMMU_GERROR_MSI_GERROR_ABT_ERR };
	default:
		return (struct irq_source){ 0, NULL, 0 };
	}
}

static void msi_send(struct smmu_model *m, const struct smmu_model_msi *msi,
		     uint32_t abt_bit)
{
	uint64_t addr = msi->addr & SMMU_IRQ_CFG0_ADDR;

	if (!m->cfg.msi || !addr)
		return;
	if (smmu_model_write32(m, addr, msi->data)) {
		SMMU_MODEL_COUNT(m, msi_aborts);
		smmu_model_gerror_raise_locked(m, abt_bit);
	}
}

void smmu_model_irq_raise_locked(struct smmu_model *m, enum smmu_model_irq line)
{
	struct irq_source src = irq_source(m, line);

	if (src.irqen && !(m->regs.irq_ctrlack & src.irqen))
		return;
	SMMU_MODEL_COUNT(m, irqs[line]);
	atomic_fetch_or(&m->pending_irqs, 1u << line);
	if (src.msi)
		msi_send(m, src.msi, src.msi_abt);
}

void smmu_model_gerror_raise_locked(struct smmu_model *m, uint32_t bit)
{
	struct smmu_model_regs *r = &m->regs;

	if ((r->gerror ^ r->gerrorn) & bit)
		return;         /* already active: not logged again */
	r->gerror ^= bit;
	SMMU_MODEL_COUNT(m, gerrors);
	/* An aborted GERROR MSI must not try to signal itself again. */
	if (bit != SMMU_GERROR_MSI_GERROR_ABT_ERR)
		smmu_model_irq_raise_locked(m, SMMU_MODEL_IRQ_GERROR);
}

/* ---- Output queues ----------------------------------------------------- */

struct output_queue {
	struct smmu_model_queue *q;
	uint32_t enable;                /* CR0 bit */
	uint32_t abt;                   /* GERROR bit */
	enum smmu_model_irq line;
	enum smmu_model_trace_kind trace;
	unsigned ndw;
	uint64_t *written, *dropped, *overflows;
};

static void count(uint64_t *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static void output_overflow(struct output_queue *oq)
{
	struct smmu_model_queue *q = oq->q;
	bool ovflg = q->prod & SMMU_Q_PROD_OVFLG;
	bool ovack = q->cons & SMMU_Q_CONS_OVACKFLG;

	if (ovflg == ovack) {
		q->prod ^= (uint32_t)SMMU_Q_PROD_OVFLG;
		count(oq->overflows);
	}
}

static bool output_write(struct smmu_model *m, struct output_queue *oq,
			 const uint64_t *rec)
{
	struct smmu_model_queue *q = oq->q;
	uint64_t pa;

	if (!(m->regs.cr0ack & oq->enable) ||
	    ((m->regs.gerror ^ m->regs.gerrorn) & oq->abt)) {
		count(oq->dropped);
		return false;
	}
	if (smmu_queue_full(q)) {
		output_overflow(oq);
		count(oq->dropped);
		return false;
	}
	pa = smmu_queue_entry_pa(q, q->prod);
	for (unsigned i = 0; i < oq->ndw; i++) {
		if (smmu_model_write64(m, pa + i * sizeof(uint64_t), rec[i])) {
			smmu_model_gerror_raise_locked(m, oq->abt);
			count(oq->dropped);
			return false;
		}
	}
	q->prod = smmu_queue_next(q, q->prod);
	count(oq->written);
	smmu_model_trace(m, oq->trace, rec, oq->ndw);
	smmu_model_irq_raise_locked(m, oq->line);
	return true;
}

bool smmu_model_record_event_locked(struct smmu_model *m,
				    const uint64_t evt[SMMU_EVT_DWORDS])
{
	struct output_queue oq = {
		.q = &m->regs.eventq,
		.enable = (uint32_t)SMMU_CR0_EVENTQEN,
		.abt = (uint32_t)SMMU_GERROR_EVENTQ_ABT_ERR,
		.line = SMMU_MODEL_IRQ_EVENTQ,
		.trace = SMMU_MODEL_TRACE_EVENT,
		.ndw = SMMU_EVT_DWORDS,
		.written = &m->stats.events,
		.dropped = &m->stats.events_dropped,
		.overflows = &m->stats.eventq_overflows,
	};

	return output_write(m, &oq, evt);
}

bool smmu_model_record_event(struct smmu_model *m, const uint64_t evt[SMMU_EVT_DWORDS])
{
	bool written;

	smmu_model_lock(m);
	written = smmu_model_record_event_locked(m, evt);
	smmu_model_unlock(m);
	return written;
}

bool smmu_model_enqueue_pri(struct smmu_model *m, const uint64_t rec[SMMU_PRI_DWORDS])
{
	struct output_queue oq = {
		.q = &m->regs.priq,
		.enable = (uint32_t)SMMU_CR0_PRIQEN,
		.abt = (uint32_t)SMMU_GERROR_PRIQ_ABT_ERR,
		.line = SMMU_MODEL_IRQ_PRIQ,
		.trace = SMMU_MODEL_TRACE_PRI,
		.ndw = SMMU_PRI_DWORDS,
		.written = &m->stats.pri_records,
		.dropped = &m->stats.pri_dropped,
		.overflows = &m->stats.priq_overflows,
	};
	bool written;

	if (!m->cfg.pri)
		return false;
	smmu_model_lock(m);
	written = output_write(m, &oq, rec);
	smmu_model_unlock(m);
	return written;
}

/* ---- SEV ---------------------------------------------------------------- */

void smmu_model_sev(struct smmu_model *m)
{
	pthread_mutex_lock(&m->sev_lock);
	m->sev_pending = true;
	pthread_cond_broadcast(&m->sev_cond);
	pthread_mutex_unlock(&m->sev_lock);
	SMMU_MODEL_COUNT(m, sevs);
	atomic_fetch_or(&m->pending_irqs, SMMU_MODEL_PENDING_SEV);
}

#define NSEC_PER_SEC 1000000000L
#define NSEC_PER_USEC 1000L
#define USEC_PER_SEC 1000000u

void smmu_model_wait_sev(struct smmu_model *m, uint64_t timeout_us)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += (time_t)(timeout_us / USEC_PER_SEC);
	deadline.tv_nsec += (long)(timeout_us % USEC_PER_SEC) * NSEC_PER_USEC;
	if (deadline.tv_nsec >= NSEC_PER_SEC) {
		deadline.tv_sec++;
		deadline.tv_nsec -= NSEC_PER_SEC;
	}
	pthread_mutex_lock(&m->sev_lock);
	while (!m->sev_pending &&
	       pthread_cond_timedwait(&m->sev_cond, &m->sev_lock, &deadline) != ETIMEDOUT)
		;
	m->sev_pending = false;
	pthread_mutex_unlock(&m->sev_lock);
}

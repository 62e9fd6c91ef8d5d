/*
 * Event and PRI queue consumers: see queue_rx.h for the protocol.  One
 * drainer at a time per queue (struct smmu_worker), since both an
 * interrupt and a polling caller may arrive, and an SMMU running inline
 * may raise the interrupt from inside a register write the drainer makes.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "cmdq.h"
#include "dev.h"
#include "log.h"
#include "poll.h"
#include "queue_rx.h"

#define RX_MIN_LOG2 1u

struct smmu_queue_rx {
	struct smmu_queue q;
	uint64_t base_reg_off, prod_off, cons_off;
	const char *name;
	enum smmu_dev_error_kind overflow_kind;
	uint32_t cons;  /* wrap|index plus OVACKFLG */
	struct smmu_worker worker;
	struct smmu_dev *dev;
	void (*handle)(struct smmu_dev *dev, const uint64_t *raw);
};

void smmu_event_decode(const uint64_t raw[4], struct smmu_event *evt)
{
	evt->id = (uint8_t)SMMU_FIELD_GET(SMMU_EVT0_ID, raw[0]);
	evt->ssv = SMMU_FIELD_GET(SMMU_EVT0_SSV, raw[0]);
	evt->ssid = (uint32_t)SMMU_FIELD_GET(SMMU_EVT0_SSID, raw[0]);
	evt->sid = (uint32_t)SMMU_FIELD_GET(SMMU_EVT0_SID, raw[0]);
	evt->stag = (uint16_t)SMMU_FIELD_GET(SMMU_EVT1_STAG, raw[1]);
	evt->stall = SMMU_FIELD_GET(SMMU_EVT1_STALL, raw[1]);
	evt->pnu = SMMU_FIELD_GET(SMMU_EVT1_PNU, raw[1]);
	evt->ind = SMMU_FIELD_GET(SMMU_EVT1_IND, raw[1]);
	evt->rnw = SMMU_FIELD_GET(SMMU_EVT1_RNW, raw[1]);
	evt->s2 = SMMU_FIELD_GET(SMMU_EVT1_S2, raw[1]);
	evt->class = (uint8_t)SMMU_FIELD_GET(SMMU_EVT1_CLASS, raw[1]);
	evt->input_addr = raw[2];
	/* Translation faults report an IPA; fetch faults an 8-byte address. */
	if (evt->id >= SMMU_EVT_F_TRANSLATION && evt->id <= SMMU_EVT_F_PERMISSION)
		evt->addr = raw[3] & SMMU_EVT3_IPA;
	else
		evt->addr = raw[3] & SMMU_EVT3_FETCH_ADDR;
	for (unsigned i = 0; i < SMMU_EVT_DWORDS; i++)
		evt->raw[i] = raw[i];
}

void smmu_pri_decode(const uint64_t raw[2], struct smmu_pri_req *req)
{
	req->sid = (uint32_t)SMMU_FIELD_GET(SMMU_PRI0_SID, raw[0]);
	req->ssid = (uint32_t)SMMU_FIELD_GET(SMMU_PRI0_SSID, raw[0]);
	req->ssv = SMMU_FIELD_GET(SMMU_PRI0_SSV, raw[0]);
	req->priv = SMMU_FIELD_GET(SMMU_PRI0_PRIV, raw[0]);
	req->exec = SMMU_FIELD_GET(SMMU_PRI0_EXEC, raw[0]);
	req->read = SMMU_FIELD_GET(SMMU_PRI0_READ, raw[0]);
	req->write = SMMU_FIELD_GET(SMMU_PRI0_WRITE, raw[0]);
	req->last = SMMU_FIELD_GET(SMMU_PRI0_LAST, raw[0]);
	req->grpid = (uint16_t)SMMU_FIELD_GET(SMMU_PRI1_GRPID, raw[1]);
	req->addr = raw[1] & SMMU_PRI1_ADDR;
	req->raw[0] = raw[0];
	req->raw[1] = raw[1];
}

static void evtq_handle(struct smmu_dev *dev, const uint64_t *raw)
{
	struct smmu_event evt;

	smmu_event_decode(raw, &evt);
	if (dev->opts.event) {
		dev->opts.event(dev->opts.opaque, &evt);
		return;
	}
	smmu_warn(dev, "event 0x%02x sid 0x%x ssid 0x%x%s input 0x%" PRIx64
		  " addr 0x%" PRIx64, evt.id, evt.sid, evt.ssid,
		  evt.ssv ? "" : " (invalid)", evt.input_addr, evt.addr);
}

static void priq_deny(struct smmu_dev *dev, const struct smmu_pri_req *req)
{
	struct smmu_cmd cmd;

	/* Completion of PRI_RESP means nothing to us: no CMD_SYNC. */
	if (smmu_cmd_pri_resp(&cmd, req->sid, req->ssv, req->ssid, req->grpid,
			      SMMU_PRI_RESP_DENY) == 0)
		smmu_cmdq_issue(dev, &cmd, 1, false);
}

static void priq_handle(struct smmu_dev *dev, const uint64_t *raw)
{
	struct smmu_pri_req req;

	smmu_pri_decode(raw, &req);
	if (dev->opts.pri && dev->opts.pri(dev->opts.opaque, &req))
		return;
	smmu_dbg(dev, "unexpected page request sid 0x%x ssid 0x%x grp %u%s",
		 req.sid, req.ssid, req.grpid, req.last ? ": denied" : "");
	if (req.last)
		priq_deny(dev, &req);
}

static int rx_init(struct smmu_dev *dev, struct smmu_queue_rx **out,
		   const struct smmu_queue_rx *tmpl, unsigned log2)
{
	struct smmu_queue_rx *rx = malloc(sizeof(*rx));

	if (!rx)
		return -ENOMEM;
	*rx = *tmpl;
	if (smmu_queue_alloc(dev, &rx->q, log2, RX_MIN_LOG2, rx->q.ent_dwords,
			     rx->name)) {
		free(rx);
		return -ENOMEM;
	}
	smmu_worker_init(&rx->worker);
	rx->dev = dev;
	*out = rx;
	return 0;
}

static unsigned cap(unsigned v, unsigned max)
{
	return v < max ? v : max;
}

int smmu_evtq_init(struct smmu_dev *dev)
{
	const struct smmu_queue_rx tmpl = {
		.q.ent_dwords = SMMU_EVT_DWORDS,
		.base_reg_off = SMMU_EVENTQ_BASE,
		.prod_off = SMMU_EVENTQ_PROD,
		.cons_off = SMMU_EVENTQ_CONS,
		.name = "evtq",
		.overflow_kind = SMMU_DEV_ERR_EVTQ_OVERFLOW,
		.handle = evtq_handle,
	};
	int ret = rx_init(dev, &dev->evtq, &tmpl,
			  cap(dev->feat.evtq_log2, SMMU_EVTQ_LOG2_CAP));

	if (!ret)
		dev->feat.evtq_log2 = dev->evtq->q.log2;
	return ret;
}

int smmu_priq_init(struct smmu_dev *dev)
{
	const struct smmu_queue_rx tmpl = {
		.q.ent_dwords = SMMU_PRI_DWORDS,
		.base_reg_off = SMMU_PRIQ_BASE,
		.prod_off = SMMU_PRIQ_PROD,
		.cons_off = SMMU_PRIQ_CONS,
		.name = "priq",
		.overflow_kind = SMMU_DEV_ERR_PRIQ_OVERFLOW,
		.handle = priq_handle,
	};
	int ret = rx_init(dev, &dev->priq, &tmpl,
			  cap(dev->feat.priq_log2, SMMU_PRIQ_LOG2_CAP));

	if (!ret)
		dev->feat.priq_log2 = dev->priq->q.log2;
	return ret;
}

static void rx_free(struct smmu_dev *dev, struct smmu_queue_rx **rxp)
{
	struct smmu_queue_rx *rx = *rxp;

	if (!rx)
		return;
	smmu_queue_free(dev, &rx->q);
	smmu_worker_destroy(&rx->worker);
	free(rx);
	*rxp = NULL;
}

void smmu_queue_rx_free(struct smmu_dev *dev)
{
	rx_free(dev, &dev->evtq);
	rx_free(dev, &dev->priq);
}

static void rx_reset(struct smmu_dev *dev, struct smmu_queue_rx *rx)
{
	rx->cons = 0;
	smmu_write64(dev, rx->base_reg_off, smmu_queue_base_reg(&rx->q));
	smmu_write32(dev, rx->prod_off, 0);
	smmu_write32(dev, rx->cons_off, 0);
}

void smmu_evtq_reset(struct smmu_dev *dev)
{
	rx_reset(dev, dev->evtq);
}

void smmu_priq_reset(struct smmu_dev *dev)
{
	rx_reset(dev, dev->priq);
}

static void rx_read_record(const struct smmu_queue_rx *rx, uint64_t *raw)
{
	_Atomic uint64_t *slot =
		(_Atomic uint64_t *)smmu_queue_entry(&rx->q, rx->cons);

	for (unsigned i = 0; i < rx->q.ent_dwords; i++)
		raw[i] = le64toh(atomic_load_explicit(&slot[i], memory_order_relaxed));
}

static void rx_check_overflow(struct smmu_dev *dev, struct smmu_queue_rx *rx,
			      uint32_t prod)
{
	struct smmu_dev_error err = { .kind = rx->overflow_kind };

	if ((prod & SMMU_Q_FLAG) == (rx->cons & SMMU_Q_FLAG))
		return;
	smmu_err(dev, "%s overflow: records lost", rx->name);
	smmu_dev_report(dev, &err);
}

static unsigned rx_drain(void *arg)
{
	struct smmu_queue_rx *rx = arg;
	struct smmu_dev *dev = rx->dev;
	uint64_t raw[SMMU_EVT_DWORDS];
	unsigned log2 = rx->q.log2, count = 0;
	uint32_t prod;

	for (;;) {
		prod = smmu_read32(dev, rx->prod_off);
		atomic_thread_fence(memory_order_acquire); /* PROD before records */
		rx_check_overflow(dev, rx, prod);
		/* Acknowledge the overflow we saw: OVACKFLG follows OVFLG. */
		rx->cons = (prod & SMMU_Q_FLAG) | smmu_q_pos(log2, rx->cons);
		if (smmu_q_empty(log2, prod, rx->cons))
			break;
		while (!smmu_q_empty(log2, prod, rx->cons)) {
			rx_read_record(rx, raw);
			rx->cons = smmu_q_inc(log2, rx->cons, 1);
			smmu_write32(dev, rx->cons_off, rx->cons);
			rx->handle(dev, raw);
			count++;
		}
	}
	smmu_write32(dev, rx->cons_off, rx->cons);
	return count;
}

unsigned smmu_evtq_drain(struct smmu_dev *dev)
{
	return dev->evtq ? smmu_worker_run(&dev->evtq->worker, rx_drain, dev->evtq) : 0;
}

unsigned smmu_priq_drain(struct smmu_dev *dev)
{
	return dev->priq ? smmu_worker_run(&dev->priq->worker, rx_drain, dev->priq) : 0;
}

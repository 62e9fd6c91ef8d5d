/*
 * The fake SMMU for driver unit tests (see fake_smmu.h).  Registers live
 * under one recursive mutex, so an interrupt raised while the fake holds
 * it may call straight back into the driver; queue memory is exchanged
 * with 64-bit atomics as with real hardware.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmdq.h"
#include "fake_smmu.h"

#define FAKE_PAGE1_BASE 0x10000u
#define FAKE_IDLE_NS 2000

static uint32_t *reg_slot(struct fake_smmu *f, uint64_t off)
{
	if (off >= FAKE_PAGE1_BASE && off - FAKE_PAGE1_BASE < FAKE_PAGE1_REGS * 4u)
		return &f->page1[(off - FAKE_PAGE1_BASE) / 4u];
	if (off < FAKE_PAGE0_REGS * 4u)
		return &f->page0[off / 4u];
	return NULL;
}

static uint32_t get(struct fake_smmu *f, uint64_t off)
{
	uint32_t *r = reg_slot(f, off);

	return r ? *r : 0;
}

static void set(struct fake_smmu *f, uint64_t off, uint32_t v)
{
	uint32_t *r = reg_slot(f, off);

	if (r)
		*r = v;
}

static uint64_t get64(struct fake_smmu *f, uint64_t off)
{
	return (uint64_t)get(f, off + 4) << 32 | get(f, off);
}

static void *host(uint64_t bus)
{
	return (void *)(uintptr_t)bus;
}

static void raise_irq(struct fake_smmu *f, enum smmu_dev_irq line)
{
	if (f->irq)
		f->irq(f->irq_opaque, line);
}

static bool op_known(unsigned op)
{
	switch (op) {
	case SMMU_CMD_PREFETCH_CONFIG: case SMMU_CMD_CFGI_STE:
	case SMMU_CMD_CFGI_STE_RANGE: case SMMU_CMD_CFGI_CD:
	case SMMU_CMD_CFGI_CD_ALL: case SMMU_CMD_TLBI_NH_ALL:
	case SMMU_CMD_TLBI_NH_ASID: case SMMU_CMD_TLBI_NH_VA:
	case SMMU_CMD_TLBI_NH_VAA: case SMMU_CMD_TLBI_EL2_ALL:
	case SMMU_CMD_TLBI_EL2_ASID: case SMMU_CMD_TLBI_EL2_VA:
	case SMMU_CMD_TLBI_EL2_VAA: case SMMU_CMD_TLBI_S12_VMALL:
	case SMMU_CMD_TLBI_S2_IPA: case SMMU_CMD_TLBI_NSNH_ALL:
	case SMMU_CMD_ATC_INV: case SMMU_CMD_PRI_RESP:
	case SMMU_CMD_RESUME: case SMMU_CMD_SYNC:
		return true;
	default:
		return false;
	}
}

static void log_cmd(struct fake_smmu *f, const uint64_t dw[2])
{
	if (f->nlog == f->log_cap) {
		f->log_cap = f->log_cap ? 2 * f->log_cap : 1024;
		f->log = realloc(f->log, f->log_cap * sizeof(*f->log));
	}
	f->log[f->nlog].dw[0] = dw[0];
	f->log[f->nlog].dw[1] = dw[1];
	f->nlog++;
}

static void exec_sync(struct fake_smmu *f, const uint64_t dw[2])
{
	f->syncs++;
	if (SMMU_FIELD_GET(SMMU_CMD0_SYNC_CS, dw[0]) == SMMU_SYNC_CS_IRQ) {
		_Atomic uint32_t *msi = host(dw[1] & SMMU_CMD1_SYNC_MSIADDR);

		atomic_store_explicit(msi, (uint32_t)SMMU_FIELD_GET(SMMU_CMD0_SYNC_MSIDATA, dw[0]),
				      memory_order_release);
		f->msi_writes++;
	}
}

static bool cmdq_running(struct fake_smmu *f)
{
	return !f->stalled && (get(f, SMMU_CR0) & SMMU_CR0_CMDQEN) &&
	       !((get(f, SMMU_GERROR) ^ get(f, SMMU_GERRORN)) & SMMU_GERROR_CMDQ_ERR);
}

static void consume(struct fake_smmu *f)
{
	uint64_t base = get64(f, SMMU_CMDQ_BASE);
	unsigned log2 = (unsigned)SMMU_FIELD_GET(SMMU_Q_BASE_LOG2SIZE, base);
	uint32_t prod = get(f, SMMU_CMDQ_PROD), cons;

	while (cmdq_running(f) &&
	       !smmu_q_empty(log2, prod, cons = smmu_q_pos(log2, get(f, SMMU_CMDQ_CONS)))) {
		_Atomic uint64_t *slot = host((base & SMMU_Q_BASE_ADDR) +
					      (uint64_t)smmu_q_idx(log2, cons) * SMMU_CMD_SIZE);
		uint64_t dw[2] = { atomic_load_explicit(&slot[0], memory_order_acquire),
				   atomic_load_explicit(&slot[1], memory_order_acquire) };
		unsigned op = (unsigned)SMMU_FIELD_GET(SMMU_CMD0_OP, dw[0]);

		if (op == f->illegal_op || !op_known(op)) {
			set(f, SMMU_CMDQ_CONS, cons | (uint32_t)SMMU_FIELD_PREP(SMMU_CMDQ_CONS_ERR,
									       SMMU_CERROR_ILL));
			set(f, SMMU_GERROR, get(f, SMMU_GERROR) ^ (uint32_t)SMMU_GERROR_CMDQ_ERR);
			f->ill_raised++;
			raise_irq(f, SMMU_DEV_IRQ_GERROR);
			return;
		}
		log_cmd(f, dw);
		if (op == SMMU_CMD_SYNC)
			exec_sync(f, dw);
		set(f, SMMU_CMDQ_CONS, smmu_q_inc(log2, cons, 1));
	}
}

static void gbpa_write(struct fake_smmu *f, uint32_t v)
{
	if (v & SMMU_GBPA_UPDATE)
		set(f, SMMU_GBPA, v & ~(uint32_t)SMMU_GBPA_UPDATE);
}

static void do_write32(struct fake_smmu *f, uint64_t off, uint32_t v)
{
	if (f->nwrites < FAKE_MAX_WRITES)
		f->writes[f->nwrites++] = off;
	switch (off) {
	case SMMU_CR0:
		set(f, off, v);
		if (!f->never_ack_cr0)
			set(f, SMMU_CR0ACK, v);
		break;
	case SMMU_IRQ_CTRL:
		set(f, off, v);
		if (!f->never_ack_irq_ctrl)
			set(f, SMMU_IRQ_CTRLACK, v);
		break;
	case SMMU_GBPA:
		gbpa_write(f, v);
		break;
	default:
		set(f, off, v);
		break;
	}
	if (!f->threaded && (off == SMMU_CMDQ_PROD || off == SMMU_GERRORN))
		consume(f);
}

static uint32_t plat_read32(void *opaque, uint64_t off)
{
	struct fake_smmu *f = opaque;
	uint32_t v;

	pthread_mutex_lock(&f->lock);
	v = get(f, off);
	pthread_mutex_unlock(&f->lock);
	return v;
}

static uint64_t plat_read64(void *opaque, uint64_t off)
{
	struct fake_smmu *f = opaque;
	uint64_t v;

	pthread_mutex_lock(&f->lock);
	v = get64(f, off);
	pthread_mutex_unlock(&f->lock);
	return v;
}

static void plat_write32(void *opaque, uint64_t off, uint32_t v)
{
	struct fake_smmu *f = opaque;

	pthread_mutex_lock(&f->lock);
	do_write32(f, off, v);
	pthread_mutex_unlock(&f->lock);
}

static void plat_write64(void *opaque, uint64_t off, uint64_t v)
{
	struct fake_smmu *f = opaque;

	pthread_mutex_lock(&f->lock);
	if (f->nwrites < FAKE_MAX_WRITES)
		f->writes[f->nwrites++] = off;
	set(f, off, (uint32_t)v);
	set(f, off + 4, (uint32_t)(v >> 32));
	pthread_mutex_unlock(&f->lock);
}

static int plat_dma_alloc(void *opaque, size_t size, size_t align, void **cpu,
			  uint64_t *bus)
{
	struct fake_smmu *f = opaque;
	size_t a = align < sizeof(void *) ? sizeof(void *) : align;
	void *p;

	if (f->alloc_limit && size > f->alloc_limit)
		return -ENOMEM;
	p = aligned_alloc(a, (size + a - 1) / a * a);
	if (!p)
		return -ENOMEM;
	memset(p, 0, size);
	*cpu = p;
	*bus = (uint64_t)(uintptr_t)p;
	__atomic_add_fetch(&f->dma_live, 1, __ATOMIC_RELAXED);
	return 0;
}

static void plat_dma_free(void *opaque, void *cpu, uint64_t bus, size_t size)
{
	struct fake_smmu *f = opaque;

	free(cpu);
	__atomic_sub_fetch(&f->dma_live, 1, __ATOMIC_RELAXED);
}

static void plat_wait_event(void *opaque)
{
	struct fake_smmu *f = opaque;

	__atomic_add_fetch(&f->wait_events, 1, __ATOMIC_RELAXED);
	sched_yield();
}

static void *consumer_thread(void *arg)
{
	struct fake_smmu *f = arg;
	const struct timespec idle = { .tv_nsec = FAKE_IDLE_NS };

	while (!atomic_load(&f->stop)) {
		pthread_mutex_lock(&f->lock);
		consume(f);
		pthread_mutex_unlock(&f->lock);
		nanosleep(&idle, NULL);
	}
	return NULL;
}

void fake_smmu_init(struct fake_smmu *f)
{
	pthread_mutexattr_t attr;

	memset(f, 0, sizeof(*f));
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&f->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	f->page0[SMMU_IDR0 / 4] = (uint32_t)(SMMU_IDR0_S1P | SMMU_IDR0_S2P |
		SMMU_FIELD_PREP(SMMU_IDR0_TTF, SMMU_TTF_AARCH64) | SMMU_IDR0_COHACC |
		SMMU_IDR0_HYP | SMMU_IDR0_ATS | SMMU_IDR0_ASID16 | SMMU_IDR0_MSI |
		SMMU_IDR0_SEV | SMMU_IDR0_PRI | SMMU_IDR0_VMID16 | SMMU_IDR0_CD2L |
		SMMU_FIELD_PREP(SMMU_IDR0_TTENDIAN, SMMU_TTENDIAN_LE) |
		SMMU_FIELD_PREP(SMMU_IDR0_ST_LEVEL, SMMU_ST_LEVEL_2LVL));
	f->page0[SMMU_IDR1 / 4] = (uint32_t)(SMMU_FIELD_PREP(SMMU_IDR1_SIDSIZE, 16) |
		SMMU_FIELD_PREP(SMMU_IDR1_SSIDSIZE, 20) |
		SMMU_FIELD_PREP(SMMU_IDR1_PRIQS, 8) |
		SMMU_FIELD_PREP(SMMU_IDR1_EVENTQS, 8) |
		SMMU_FIELD_PREP(SMMU_IDR1_CMDQS, 8));
	f->page0[SMMU_IDR3 / 4] = (uint32_t)(SMMU_IDR3_RIL | SMMU_IDR3_FWB);
	f->page0[SMMU_IDR5 / 4] = (uint32_t)(SMMU_FIELD_PREP(SMMU_IDR5_OAS, SMMU_OAS_48) |
		SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN64K);
	f->page0[SMMU_IIDR / 4] = 0x43b;
}

void fake_smmu_start(struct fake_smmu *f)
{
	if (f->threaded)
		pthread_create(&f->thread, NULL, consumer_thread, f);
}

void fake_smmu_fini(struct fake_smmu *f)
{
	if (f->threaded) {
		atomic_store(&f->stop, true);
		pthread_join(f->thread, NULL);
	}
	free(f->log);
	pthread_mutex_destroy(&f->lock);
}

void fake_smmu_platform(struct fake_smmu *f, struct smmu_platform *plat)
{
	*plat = (struct smmu_platform){
		.opaque = f,
		.read32 = plat_read32,
		.read64 = plat_read64,
		.write32 = plat_write32,
		.write64 = plat_write64,
		.dma_alloc = plat_dma_alloc,
		.dma_free = plat_dma_free,
		.wait_event = plat_wait_event,
	};
}

uint32_t fake_reg(struct fake_smmu *f, uint64_t off)
{
	return plat_read32(f, off);
}

void fake_set_reg(struct fake_smmu *f, uint64_t off, uint32_t val)
{
	pthread_mutex_lock(&f->lock);
	set(f, off, val);
	pthread_mutex_unlock(&f->lock);
}

void fake_resume(struct fake_smmu *f)
{
	pthread_mutex_lock(&f->lock);
	f->stalled = false;
	consume(f);
	pthread_mutex_unlock(&f->lock);
}

static void push(struct fake_smmu *f, uint64_t base_off, uint64_t prod_off,
		 uint64_t cons_off, const uint64_t *rec, unsigned ndw,
		 enum smmu_dev_irq line, uint32_t irqen)
{
	uint64_t base;
	unsigned log2;
	uint32_t prod, cons;

	pthread_mutex_lock(&f->lock);
	base = get64(f, base_off);
	log2 = (unsigned)SMMU_FIELD_GET(SMMU_Q_BASE_LOG2SIZE, base);
	prod = get(f, prod_off);
	cons = get(f, cons_off);
	if (smmu_q_full(log2, prod, cons)) {
		if ((prod & SMMU_Q_PROD_OVFLG) == (cons & SMMU_Q_CONS_OVACKFLG))
			prod ^= (uint32_t)SMMU_Q_PROD_OVFLG;
	} else {
		_Atomic uint64_t *slot = host((base & SMMU_Q_BASE_ADDR) +
					      (uint64_t)smmu_q_idx(log2, prod) * ndw * 8u);

		for (unsigned i = 0; i < ndw; i++)
			atomic_store_explicit(&slot[i], rec[i], memory_order_release);
		prod = smmu_q_inc(log2, prod, 1);
	}
	set(f, prod_off, prod);
	if (get(f, SMMU_IRQ_CTRL) & irqen)
		raise_irq(f, line);
	pthread_mutex_unlock(&f->lock);
}

void fake_push_event(struct fake_smmu *f, const uint64_t rec[SMMU_EVT_DWORDS])
{
	push(f, SMMU_EVENTQ_BASE, SMMU_EVENTQ_PROD, SMMU_EVENTQ_CONS, rec,
	     SMMU_EVT_DWORDS, SMMU_DEV_IRQ_EVENTQ, (uint32_t)SMMU_IRQ_CTRL_EVENTQ_IRQEN);
}

void fake_push_pri(struct fake_smmu *f, const uint64_t rec[SMMU_PRI_DWORDS])
{
	push(f, SMMU_PRIQ_BASE, SMMU_PRIQ_PROD, SMMU_PRIQ_CONS, rec,
	     SMMU_PRI_DWORDS, SMMU_DEV_IRQ_PRIQ, (uint32_t)SMMU_IRQ_CTRL_PRIQ_IRQEN);
}

int fake_write_index(const struct fake_smmu *f, uint64_t off, int from)
{
	for (unsigned i = (unsigned)(from < 0 ? 0 : from); i < f->nwrites; i++)
		if (f->writes[i] == off)
			return (int)i;
	return -1;
}

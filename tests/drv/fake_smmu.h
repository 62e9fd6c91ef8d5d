/*
 * A fake SMMU for the driver's unit tests.
 *
 * Concepts: just enough of an SMMUv3 to exercise the driver without the
 * model: a register file with chosen ID registers, CR0/IRQ_CTRL/GBPA
 * handshakes (which a test can make silent), a command consumer that runs
 * inside the PROD write (inline) or on its own thread, logs every command
 * it executes, stops on an opcode the test calls illegal (CONS.ERR = ILL,
 * GERROR.CMDQ_ERR) and completes CMD_SYNCs by MSI write.  DMA memory is
 * host memory with bus address = host address.  Tests push event and PRI
 * records, and may wire the fake's interrupt lines to the driver.
 */
#ifndef SMMU_TEST_FAKE_SMMU_H
#define SMMU_TEST_FAKE_SMMU_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <smmu/arch.h>
#include <smmu/driver.h>
#include <smmu/platform.h>

#define FAKE_PAGE0_REGS (0x200u / 4u)
#define FAKE_PAGE1_REGS (0x100u / 4u)
#define FAKE_MAX_WRITES 256u

struct fake_cmd {
	uint64_t dw[SMMU_CMD_DWORDS];
};

struct fake_smmu {
	pthread_mutex_t lock;   /* recursive: interrupts re-enter */
	uint32_t page0[FAKE_PAGE0_REGS];
	uint32_t page1[FAKE_PAGE1_REGS];
	/* Behaviour knobs, set before probe. */
	bool threaded;
	bool never_ack_cr0;
	bool never_ack_irq_ctrl;
	bool stalled;           /* consume nothing */
	unsigned illegal_op;    /* commands with this opcode are CERROR_ILL */
	size_t alloc_limit;     /* DMA allocations above this fail; 0: none */
	void (*irq)(void *opaque, enum smmu_dev_irq line);
	void *irq_opaque;
	/* Observations. */
	struct fake_cmd *log;
	size_t nlog, log_cap;
	unsigned syncs, msi_writes, wait_events, ill_raised;
	uint64_t writes[FAKE_MAX_WRITES]; /* register write offsets, in order */
	unsigned nwrites;
	long dma_live;
	/* Consumer thread. */
	pthread_t thread;
	atomic_bool stop;
};

/* A full-featured fake with a 2^cmdq_log2 command queue. */
void fake_smmu_init(struct fake_smmu *f);
void fake_smmu_start(struct fake_smmu *f); /* starts the thread if threaded */
void fake_smmu_fini(struct fake_smmu *f);
void fake_smmu_platform(struct fake_smmu *f, struct smmu_platform *plat);
uint32_t fake_reg(struct fake_smmu *f, uint64_t off);
void fake_set_reg(struct fake_smmu *f, uint64_t off, uint32_t val);
/* Append a record to the event or PRI queue (OVFLG on overflow). */
void fake_push_event(struct fake_smmu *f, const uint64_t rec[SMMU_EVT_DWORDS]);
void fake_push_pri(struct fake_smmu *f, const uint64_t rec[SMMU_PRI_DWORDS]);
/* Let a stalled fake run again (and consume what is pending). */
void fake_resume(struct fake_smmu *f);
/* Index of the first write to off at or after from; -1 if none. */
int fake_write_index(const struct fake_smmu *f, uint64_t off, int from);

#endif /* SMMU_TEST_FAKE_SMMU_H */

/*
 * Test harness for the model suite: a model driven the way a driver drives
 * hardware.
 *
 * Concepts: a struct harness owns simulated memory, a DMA allocator and a
 * model, and talks to the model only through MMIO and memory writes.  It
 * sets up the command and event queues and a stream table, submits
 * commands (waiting on CONS as a driver polls), pops events and counts the
 * interrupts and SEVs the model signals.  Every suite runs its table of
 * tests twice: with commands executed inline and on the model's thread
 * (struct harness_mode is the cmocka group state).
 */
#ifndef SMMU_TESTS_MODEL_HARNESS_H
#define SMMU_TESTS_MODEL_HARNESS_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <smmu/arch.h>
#include <smmu/mem.h>
#include <smmu/model.h>

#define H_DMA_BASE     0x40000000ull
#define H_DMA_SIZE     0x10000000ull
#define H_CMDQ_LOG2    8u
#define H_EVTQ_LOG2    6u
#define H_ST_LOG2      8u
#define H_MSI_PA       0x7000000ull     /* plain memory the tests read back */

struct harness_mode {
	bool threaded;
};

struct harness {
	bool threaded;
	struct smmu_model_config cfg;
	struct smmu_mem *mem;
	struct smmu_dma *dma;
	struct smmu_model *m;
	uint64_t cmdq_pa, evtq_pa, strtab_pa;
	unsigned cmdq_log2, evtq_log2;
	atomic_uint irqs[4];
	atomic_uint sev_signals;
	unsigned trace_cmds, trace_events;
	uint64_t last_trace[4];
};

/* cmocka setup/teardown: *state is the struct harness_mode, then the harness. */
int harness_setup(void **state);
int harness_teardown(void **state);
/* The default configuration with the harness's callbacks and mode. */
void harness_default_config(struct harness *h);
/* Re-create the model with a different configuration (cfg edited in place). */
void harness_rebuild(struct harness *h);
/*
 * Re-create the model with the trace callback (trace_cmds, trace_events,
 * last_trace).  Off by default: it turns the micro-TLB off.
 */
void harness_trace(struct harness *h);
/* A test with a fresh harness. */
#define H_TEST(fn) cmocka_unit_test_setup_teardown(fn, harness_setup, harness_teardown)

/* Run tests once inline and once threaded. */
int harness_run(const char *name, const struct CMUnitTest *tests, size_t n);

uint32_t h_read32(struct harness *h, uint64_t off);
void h_write32(struct harness *h, uint64_t off, uint32_t v);
void *h_alloc(struct harness *h, size_t size, uint64_t *pa);

/* CR0 handshake: write CR0 and poll CR0ACK. */
void h_cr0(struct harness *h, uint32_t cr0);
/* Command queue of 2^log2 entries; enables CMDQEN. */
void h_cmdq_init(struct harness *h, unsigned log2);
/* Event queue of 2^log2 entries; enables EVENTQEN (keeps CMDQEN). */
void h_evtq_init(struct harness *h, unsigned log2);
/* Linear stream table of 2^log2 STEs, zeroed. */
void h_strtab_linear(struct harness *h, unsigned log2);
/* Queues, a linear stream table and SMMUEN. */
void h_enable_all(struct harness *h);

/* Write one command at PROD and publish it. */
void h_cmd(struct harness *h, uint64_t dw0, uint64_t dw1);
/* Wait until CONS reaches PROD or an error stops the queue; CONS.ERR. */
unsigned h_cmdq_wait(struct harness *h);
/* h_cmd + CMD_SYNC(CS=NONE) + wait; CONS.ERR. */
unsigned h_cmd_sync(struct harness *h, uint64_t dw0, uint64_t dw1);
unsigned h_sync(struct harness *h);
/* Acknowledge CMDQ_ERR by toggling GERRORN.CMDQ_ERR. */
void h_ack_cmdq_err(struct harness *h);
/* Recover from a command error as the kernel does: CMD_SYNC over the bad entry, then ack. */
void h_cmdq_skip_error(struct harness *h);
bool h_gerror_active(struct harness *h, uint32_t bit);

/* Pop the next event; false when EVENTQ is empty. */
bool h_event_pop(struct harness *h, uint64_t evt[4]);
unsigned h_events_pending(struct harness *h);

void h_write_ste(struct harness *h, uint64_t pa, const uint64_t ste[8]);
uint64_t h_ste_pa(struct harness *h, uint32_t sid);

/* Translate a read (or write) with optional substream. */
struct smmu_txn_result h_translate(struct harness *h, uint32_t sid, bool ssv,
				   uint32_t ssid, uint64_t iova, bool write);

struct smmu_model_stats h_stats(struct harness *h);

#endif /* SMMU_TESTS_MODEL_HARNESS_H */

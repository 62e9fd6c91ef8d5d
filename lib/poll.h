/*
 * Bounded waiting for the SMMU (ACK registers, CONS, CMD_SYNC completion).
 *
 * Concepts: a struct smmu_poll is one wait with a deadline from the
 * platform's poll_timeout_us (1 s when 0).  Each smmu_poll_wait() backs
 * off a little more, as the kernel's queue_poll does: a few yields, then
 * sleeps doubling from 1 us; with SEV and a platform wait_event hook it
 * waits for the SMMU's event instead.  It returns -ETIMEDOUT once the
 * deadline has passed, so every loop around it terminates.  struct
 * smmu_worker (below) serialises work that both waiters and interrupt
 * handlers may ask for.
 */
#ifndef SMMU_LIB_POLL_H
#define SMMU_LIB_POLL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct smmu_dev;

struct smmu_poll {
	const struct smmu_dev *dev;
	struct timespec deadline;
	unsigned spins;
	unsigned delay_us;
	bool wfe;
};

void smmu_poll_init(struct smmu_poll *p, const struct smmu_dev *dev, bool wfe);
/* 0: check again; -ETIMEDOUT: give up. */
int smmu_poll_wait(struct smmu_poll *p);

/*
 * A job that interrupts and pollers both request (drain a queue, handle
 * GERROR): callers that arrive while it runs, from another thread or
 * re-entering from a callback, only mark it pending, and the running
 * caller repeats it.  So it never runs twice at once, never deadlocks on
 * re-entry, and no request is lost.
 */
struct smmu_worker {
	pthread_mutex_t lock;
	atomic_bool pending;
};

void smmu_worker_init(struct smmu_worker *w);
void smmu_worker_destroy(struct smmu_worker *w);
/* Request fn(arg) and run it here unless another caller is running it. */
unsigned smmu_worker_run(struct smmu_worker *w, unsigned (*fn)(void *arg),
			 void *arg);

#endif /* SMMU_LIB_POLL_H */

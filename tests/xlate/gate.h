/*
 * Race tests' tools: memory that holds one model read until released, a
 * thread that translates, and one that sends commands and a CMD_SYNC.
 *
 * Concepts: gate_install() re-creates the harness's model over callback
 * memory in front of the harness's own; a read of the armed address
 * completes, then holds its thread (a walk or a structure fetch stops
 * right there) until gate_release().  The driver side keeps writing the
 * harness's memory directly.  gate_remove() gives the harness a plain
 * model again.
 */
#ifndef SMMU_TESTS_XLATE_GATE_H
#define SMMU_TESTS_XLATE_GATE_H

#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

struct gate {
	struct smmu_mem *backing;
	struct smmu_mem *mem;    /* what the model reads through */
	uint64_t pa;
	atomic_bool armed, holding, released;
};

void gate_install(struct harness *h, struct gate *g);
void gate_remove(struct harness *h, struct gate *g);
/* The next read of pa holds; returns once it does. */
void gate_arm(struct gate *g, uint64_t pa);
void gate_wait_holding(const struct gate *g);
/* Returns once syncs_waiting_for_walks has moved from before. */
void gate_wait_sync_waiting(struct harness *h, uint64_t before);
void gate_release(struct gate *g);

/* A translation of stream SID's iova on its own thread. */
struct gate_txn {
	struct smmu_model *m;
	uint64_t iova;
	struct smmu_txn_result res;
	pthread_t thread;
};

void gate_txn_start(struct gate_txn *t);
void gate_txn_join(struct gate_txn *t);

/* Up to two commands and a CMD_SYNC on their own thread. */
struct gate_sync {
	struct harness *h;
	uint64_t dw0[2], dw1[2];
	unsigned n;
	atomic_bool synced;
	pthread_t thread;
};

void gate_sync_start(struct gate_sync *s);
void gate_sync_join(struct gate_sync *s);

#endif /* SMMU_TESTS_XLATE_GATE_H */

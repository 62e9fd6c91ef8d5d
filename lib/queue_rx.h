/*
 * The event and PRI queues: the queues the SMMU produces into (interface).
 *
 * Concepts: the driver consumes records from CONS up to PROD, decodes each
 * into struct smmu_event or struct smmu_pri_req and hands it to the user's
 * callback, advancing CONS after every record so the SMMU regains room at
 * once.  Overflow is the OVFLG/OVACKFLG handshake: PROD.OVFLG differing
 * from our CONS.OVACKFLG means records were lost; we report it and copy
 * the flag back.  A page request nobody takes is denied (PRI_RESP) when it
 * is the last of its group, so the device does not wait forever.
 */
#ifndef SMMU_LIB_QUEUE_RX_H
#define SMMU_LIB_QUEUE_RX_H

#include <stdint.h>
#include <smmu/driver.h>

struct smmu_dev;

#define SMMU_EVTQ_LOG2_CAP 11u /* 2048 events, 64 KiB */
#define SMMU_PRIQ_LOG2_CAP 12u /* 4096 requests, 64 KiB */

int smmu_evtq_init(struct smmu_dev *dev);
int smmu_priq_init(struct smmu_dev *dev);
void smmu_queue_rx_free(struct smmu_dev *dev);
/* Program base, PROD and CONS (before the queue is enabled). */
void smmu_evtq_reset(struct smmu_dev *dev);
void smmu_priq_reset(struct smmu_dev *dev);
/* Drain all records present; returns how many were consumed. */
unsigned smmu_evtq_drain(struct smmu_dev *dev);
unsigned smmu_priq_drain(struct smmu_dev *dev);
/* Decoders (pure; records as host-order words). */
void smmu_event_decode(const uint64_t raw[4], struct smmu_event *evt);
void smmu_pri_decode(const uint64_t raw[2], struct smmu_pri_req *req);

#endif /* SMMU_LIB_QUEUE_RX_H */

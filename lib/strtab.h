/*
 * The stream table (interface).
 *
 * Concepts: one STE (8 little-endian words) per stream ID.  A small SID
 * space (SIDSIZE <= 8) or an SMMU without 2-level support gets a linear
 * table; otherwise a 2-level table with SPLIT 8: an L1 array of
 * descriptors, each pointing to a 256-STE leaf that is allocated only when
 * a stream in its range is first used (smmu_strtab_ensure), filled with
 * abort STEs and then published by one 64-bit store of its descriptor.
 * Every STE starts as abort (V=1, CONFIG=ABORT).
 */
#ifndef SMMU_LIB_STRTAB_H
#define SMMU_LIB_STRTAB_H

#include <stdbool.h>
#include <stdint.h>

struct smmu_dev;

#define SMMU_STRTAB_SPLIT     8u  /* one 256-STE leaf per PCI bus */
#define SMMU_STRTAB_LINEAR_MAX_BITS 8u
#define SMMU_STRTAB_L1_MAX_BITS 17u /* the kernel's cap on L1 entries */

int smmu_strtab_init(struct smmu_dev *dev);
void smmu_strtab_free(struct smmu_dev *dev);
/* Register values for STRTAB_BASE and STRTAB_BASE_CFG. */
uint64_t smmu_strtab_base_reg(const struct smmu_dev *dev);
uint32_t smmu_strtab_base_cfg(const struct smmu_dev *dev);
bool smmu_strtab_is_2lvl(const struct smmu_dev *dev);
/* Number of SID bits the table covers. */
unsigned smmu_strtab_sid_bits(const struct smmu_dev *dev);
/* Make the STE of sid exist: 0, -EINVAL (outside the table), -ENOMEM. */
int smmu_strtab_ensure(struct smmu_dev *dev, uint32_t sid);
/* The STE slot of sid, or NULL if it does not exist (yet). */
uint64_t *smmu_strtab_ste(struct smmu_dev *dev, uint32_t sid);

#endif /* SMMU_LIB_STRTAB_H */

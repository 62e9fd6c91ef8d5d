/*
 * Text decoders for SMMUv3 commands, STEs, CDs, event and PRI records and
 * register values.
 *
 * Concepts: each decoder turns the little-endian 64-bit words of one
 * architectural structure (as read from a queue, a table or a log) into
 * one human-readable line, or one line per dword for STEs and CDs.  The
 * output names the opcode, event or register and then every field as
 * NAME=value: enumerations by their architectural name (CONFIG=S1,
 * CS=SIG_IRQ), single bits as 0/1, counts in decimal and everything else
 * in hex; address fields show the address, not the shifted field.  Bits
 * that no field defines and that the specification makes RES0 are
 * reported as "RES0 bits set: ...".  Decoders write like snprintf: they
 * never write more than size bytes (always NUL-terminated when size > 0)
 * and return the length the whole text needs, so a caller can size a
 * buffer with a first call of (NULL, 0).  Bad arguments return -EINVAL.
 * The decoders keep no state and are safe to call from any thread; the
 * model's trace and the smmu-decode tool use them.
 */
#ifndef SMMU_DECODE_H
#define SMMU_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include <smmu/arch.h>
#include <smmu/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A command: SMMU_CMD_DWORDS words. */
SMMU_EXPORT int smmu_decode_cmd(const uint64_t *cmd, char *buf, size_t size);
/* A stream table entry: SMMU_STE_DWORDS words. */
SMMU_EXPORT int smmu_decode_ste(const uint64_t *ste, char *buf, size_t size);
/* A context descriptor: SMMU_CD_DWORDS words. */
SMMU_EXPORT int smmu_decode_cd(const uint64_t *cd, char *buf, size_t size);
/* An event queue record: SMMU_EVT_DWORDS words. */
SMMU_EXPORT int smmu_decode_evt(const uint64_t *evt, char *buf, size_t size);
/* A PRI queue record: SMMU_PRI_DWORDS words. */
SMMU_EXPORT int smmu_decode_pri(const uint64_t *pri, char *buf, size_t size);
/*
 * A register value read from or written to offset (page 1 registers at
 * SMMU_PAGE_SIZE and above).  An unknown offset decodes as "UNKNOWN".
 */
SMMU_EXPORT int smmu_decode_reg(uint32_t offset, uint64_t value, char *buf,
				size_t size);

/* "CMD_SYNC" etc.; NULL for a reserved or IMPLEMENTATION DEFINED opcode. */
SMMU_EXPORT const char *smmu_decode_cmd_name(unsigned op);
/* "F_TRANSLATION" etc.; NULL for a reserved or IMPDEF event number. */
SMMU_EXPORT const char *smmu_decode_event_name(unsigned id);
/* "SMMU_CR0" etc.; NULL for an offset that names no register. */
SMMU_EXPORT const char *smmu_decode_reg_name(uint32_t offset);
/*
 * The offset of a register named "SMMU_CR0" or "CR0" (any case), or
 * -EINVAL if no register has that name.
 */
SMMU_EXPORT int smmu_decode_reg_offset(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* SMMU_DECODE_H */

/*
 * Command builders: the only way a command is made.
 *
 * Concepts: each builder zeroes both dwords, checks every argument against
 * the width of its field and against what the opcode family accepts, and
 * only then fills the fields from <smmu/arch.h>.  A refused argument
 * returns -EINVAL and leaves *cmd untouched, so no malformed command can
 * reach the queue.  Arguments an opcode does not encode must be zero:
 * passing an ASID to a VMID-wide invalidation is a caller's mistake that
 * should surface, not vanish.
 */
#include <errno.h>
#include <string.h>

#include "cmdq.h"

#define SMMU_CMD_ADDR_ALIGN_LOG2 12u

static int cmd_finish(struct smmu_cmd *cmd, uint64_t dw0, uint64_t dw1)
{
	if (!cmd)
		return -EINVAL;
	cmd->dw[0] = dw0;
	cmd->dw[1] = dw1;
	return 0;
}

static uint64_t cmd_op(enum smmu_cmd_op op)
{
	return SMMU_FIELD_PREP(SMMU_CMD0_OP, op);
}

static bool ssid_ok(bool ssv, uint32_t ssid)
{
	return ssv ? SMMU_FIELD_FITS(SMMU_CMD0_SSID, ssid) : ssid == 0;
}

int smmu_cmd_cfgi_ste(struct smmu_cmd *cmd, uint32_t sid, bool leaf)
{
	return cmd_finish(cmd, cmd_op(SMMU_CMD_CFGI_STE) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SID, sid),
			  SMMU_FIELD_PREP(SMMU_CMD1_LEAF, leaf));
}

int smmu_cmd_cfgi_all(struct smmu_cmd *cmd)
{
	return cmd_finish(cmd, cmd_op(SMMU_CMD_CFGI_STE_RANGE),
			  SMMU_FIELD_PREP(SMMU_CMD1_RANGE, SMMU_CFGI_RANGE_ALL));
}

int smmu_cmd_cfgi_cd(struct smmu_cmd *cmd, uint32_t sid, uint32_t ssid,
		     bool leaf)
{
	if (!SMMU_FIELD_FITS(SMMU_CMD0_SSID, ssid))
		return -EINVAL;
	return cmd_finish(cmd, cmd_op(SMMU_CMD_CFGI_CD) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SSID, ssid) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SID, sid),
			  SMMU_FIELD_PREP(SMMU_CMD1_LEAF, leaf));
}

int smmu_cmd_cfgi_cd_all(struct smmu_cmd *cmd, uint32_t sid)
{
	return cmd_finish(cmd, cmd_op(SMMU_CMD_CFGI_CD_ALL) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SID, sid), 0);
}

int smmu_cmd_prefetch_config(struct smmu_cmd *cmd, uint32_t sid)
{
	return cmd_finish(cmd, cmd_op(SMMU_CMD_PREFETCH_CONFIG) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SID, sid), 0);
}

/* Which tags a TLBI opcode encodes. */
struct tlbi_form {
	bool asid, vmid, range;
};

static bool tlbi_form_of(enum smmu_cmd_op op, struct tlbi_form *f)
{
	switch (op) {
	case SMMU_CMD_TLBI_NH_ALL:    *f = (struct tlbi_form){ false, true, false }; return true;
	case SMMU_CMD_TLBI_NH_ASID:   *f = (struct tlbi_form){ true, true, false }; return true;
	case SMMU_CMD_TLBI_EL2_ALL:   *f = (struct tlbi_form){ false, false, false }; return true;
	case SMMU_CMD_TLBI_EL2_ASID:  *f = (struct tlbi_form){ true, false, false }; return true;
	case SMMU_CMD_TLBI_S12_VMALL: *f = (struct tlbi_form){ false, true, false }; return true;
	case SMMU_CMD_TLBI_NSNH_ALL:  *f = (struct tlbi_form){ false, false, false }; return true;
	case SMMU_CMD_TLBI_NH_VA:     *f = (struct tlbi_form){ true, true, true }; return true;
	case SMMU_CMD_TLBI_NH_VAA:    *f = (struct tlbi_form){ false, true, true }; return true;
	case SMMU_CMD_TLBI_EL2_VA:    *f = (struct tlbi_form){ true, false, true }; return true;
	case SMMU_CMD_TLBI_EL2_VAA:   *f = (struct tlbi_form){ false, false, true }; return true;
	case SMMU_CMD_TLBI_S2_IPA:    *f = (struct tlbi_form){ false, true, true }; return true;
	default:                      return false;
	}
}

static bool tlbi_tags_ok(const struct tlbi_form *f, uint16_t asid, uint16_t vmid)
{
	return (f->asid || asid == 0) && (f->vmid || vmid == 0);
}

static uint64_t tlbi_tags(uint16_t asid, uint16_t vmid)
{
	return SMMU_FIELD_PREP(SMMU_CMD0_ASID, asid) |
	       SMMU_FIELD_PREP(SMMU_CMD0_VMID, vmid);
}

int smmu_cmd_tlbi_tag(struct smmu_cmd *cmd, enum smmu_cmd_op op,
		      uint16_t asid, uint16_t vmid)
{
	struct tlbi_form f;

	if (!tlbi_form_of(op, &f) || f.range || !tlbi_tags_ok(&f, asid, vmid))
		return -EINVAL;
	return cmd_finish(cmd, cmd_op(op) | tlbi_tags(asid, vmid), 0);
}

/* NUM and SCALE describe a range only with a granule (TG != 0). */
static bool tlbi_range_fields_ok(unsigned tg, unsigned ttl, unsigned num,
				 unsigned scale)
{
	if (!SMMU_FIELD_FITS(SMMU_CMD1_TLBI_TG, tg) ||
	    !SMMU_FIELD_FITS(SMMU_CMD1_TLBI_TTL, ttl))
		return false;
	if (tg == SMMU_TLBI_TG_NONE)
		return num == 0 && scale == 0;
	return SMMU_FIELD_FITS(SMMU_CMD0_TLBI_NUM, num) &&
	       SMMU_FIELD_FITS(SMMU_CMD0_TLBI_SCALE, scale);
}

static bool tlbi_addr_ok(enum smmu_cmd_op op, uint64_t addr)
{
	uint64_t field = op == SMMU_CMD_TLBI_S2_IPA ? SMMU_CMD1_TLBI_IPA
						    : SMMU_CMD1_TLBI_VA;

	return (addr & ~field) == 0;
}

int smmu_cmd_tlbi_range(struct smmu_cmd *cmd, enum smmu_cmd_op op,
			uint16_t asid, uint16_t vmid, uint64_t addr, bool leaf,
			unsigned tg, unsigned ttl, unsigned num, unsigned scale)
{
	struct tlbi_form f;

	if (!tlbi_form_of(op, &f) || !f.range || !tlbi_tags_ok(&f, asid, vmid) ||
	    !tlbi_range_fields_ok(tg, ttl, num, scale) || !tlbi_addr_ok(op, addr))
		return -EINVAL;
	return cmd_finish(cmd,
			  cmd_op(op) | tlbi_tags(asid, vmid) |
				  SMMU_FIELD_PREP(SMMU_CMD0_TLBI_NUM, num) |
				  SMMU_FIELD_PREP(SMMU_CMD0_TLBI_SCALE, scale),
			  SMMU_FIELD_PREP(SMMU_CMD1_TLBI_LEAF, leaf) |
				  SMMU_FIELD_PREP(SMMU_CMD1_TLBI_TTL, ttl) |
				  SMMU_FIELD_PREP(SMMU_CMD1_TLBI_TG, tg) | addr);
}

/* The range 2^size_log2 pages must start on its own alignment. */
static bool atc_range_ok(uint64_t addr, unsigned size_log2)
{
	unsigned span_log2 = size_log2 + SMMU_CMD_ADDR_ALIGN_LOG2;

	if (size_log2 > SMMU_ATC_INV_SIZE_ALL)
		return false;
	if (span_log2 >= 64)
		return addr == 0;
	return (addr & ((UINT64_C(1) << span_log2) - 1)) == 0 &&
	       (addr & ~SMMU_CMD1_ATC_ADDR) == 0;
}

int smmu_cmd_atc_inv(struct smmu_cmd *cmd, uint32_t sid, bool ssv,
		     uint32_t ssid, uint64_t addr, unsigned size_log2)
{
	if (!ssid_ok(ssv, ssid) || !atc_range_ok(addr, size_log2))
		return -EINVAL;
	return cmd_finish(cmd, cmd_op(SMMU_CMD_ATC_INV) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SSV, ssv) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SSID, ssid) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SID, sid),
			  SMMU_FIELD_PREP(SMMU_CMD1_ATC_SIZE, size_log2) | addr);
}

int smmu_cmd_pri_resp(struct smmu_cmd *cmd, uint32_t sid, bool ssv,
		      uint32_t ssid, uint16_t grpid, enum smmu_pri_resp resp)
{
	if (!ssid_ok(ssv, ssid) || !SMMU_FIELD_FITS(SMMU_CMD1_PRI_GRPID, grpid) ||
	    (unsigned)resp > SMMU_PRI_RESP_SUCC)
		return -EINVAL;
	return cmd_finish(cmd, cmd_op(SMMU_CMD_PRI_RESP) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SSV, ssv) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SSID, ssid) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SID, sid),
			  SMMU_FIELD_PREP(SMMU_CMD1_PRI_GRPID, grpid) |
				  SMMU_FIELD_PREP(SMMU_CMD1_PRI_RESP, resp));
}

int smmu_cmd_resume(struct smmu_cmd *cmd, uint32_t sid, uint16_t stag,
		    enum smmu_resume_action action)
{
	if ((unsigned)action > SMMU_RESUME_ABORT)
		return -EINVAL;
	return cmd_finish(cmd, cmd_op(SMMU_CMD_RESUME) |
				       SMMU_FIELD_PREP(SMMU_CMD0_RESUME_RESP, action) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SID, sid),
			  SMMU_FIELD_PREP(SMMU_CMD1_RESUME_STAG, stag));
}

/*
 * MSH and MSIATTR always say Inner Shareable, write-back, as the kernel
 * does; they matter only with CS=SIG_IRQ but are harmless otherwise.
 */
int smmu_cmd_sync(struct smmu_cmd *cmd, enum smmu_sync_cs cs,
		  uint64_t msi_addr, uint32_t msi_data)
{
	bool irq = cs == SMMU_SYNC_CS_IRQ;

	if ((unsigned)cs > SMMU_SYNC_CS_SEV ||
	    (msi_addr & ~SMMU_CMD1_SYNC_MSIADDR) ||
	    (!irq && (msi_addr || msi_data)))
		return -EINVAL;
	return cmd_finish(cmd, cmd_op(SMMU_CMD_SYNC) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SYNC_CS, cs) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SYNC_MSH, SMMU_SH_ISH) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SYNC_MSIATTR,
						       SMMU_MEMATTR_OIWB) |
				       SMMU_FIELD_PREP(SMMU_CMD0_SYNC_MSIDATA, msi_data),
			  msi_addr);
}

enum smmu_cmd_op smmu_cmd_opcode(const struct smmu_cmd *cmd)
{
	return (enum smmu_cmd_op)SMMU_FIELD_GET(SMMU_CMD0_OP, cmd->dw[0]);
}

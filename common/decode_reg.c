/*
 * Register decoder: names every register of the Non-secure programming
 * interface by offset and decodes the fields of those a driver programs
 * or reads (ID, control, error, IRQ, table and queue registers).
 *
 * Concepts: one table maps an offset to its name and field layout (the
 * same descriptors and formatter as the structure decoders, see
 * decode_internal.h).  Registers that share a layout (CR0 and CR0ACK,
 * GERROR and GERRORN, the three *_IRQ_CFGn sets, the queue pointers)
 * share one field array.  A register without a field layout (IDR4,
 * PIDR/CIDR, GATOS) prints its raw value and is never checked for RES0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <strings.h>

#include <smmu/decode.h>

#include "decode_internal.h"

static const char *const ttf_names[] = { NULL, "AARCH32", "AARCH64", "BOTH" };
static const char *const httu_names[] = { "NONE", "HA", "HA_HD", "HA_HD_HAFT" };
static const char *const ttendian_names[] = { "MIXED", NULL, "LE", "BE" };
static const char *const stall_names[] = { "STALL_TERM", "TERM_ONLY", "STALL_FORCE" };
static const char *const st_level_names[] = { "LINEAR", "2LVL" };
static const char *const vax_names[] = { "48BIT", "52BIT", "56BIT" };
static const char *const cr1_cache_names[] = { "NC", "WB", "WT" };
static const char *const strtab_fmt_names[] = { "LINEAR", "2LVL" };
static const char *const cerror_names[] = { "NONE", "ILL", "ABT", "ATC_INV_SYNC" };

static const struct decode_field idr0[] = {
	DF_HEX(0, "S2P", SMMU_IDR0_S2P),
	DF_HEX(0, "S1P", SMMU_IDR0_S1P),
	DF_ENUM(0, "TTF", SMMU_IDR0_TTF, ttf_names),
	DF_HEX(0, "COHACC", SMMU_IDR0_COHACC),
	DF_HEX(0, "BTM", SMMU_IDR0_BTM),
	DF_ENUM(0, "HTTU", SMMU_IDR0_HTTU, httu_names),
	DF_HEX(0, "DORMHINT", SMMU_IDR0_DORMHINT),
	DF_HEX(0, "HYP", SMMU_IDR0_HYP),
	DF_HEX(0, "ATS", SMMU_IDR0_ATS),
	DF_HEX(0, "NS1ATS", SMMU_IDR0_NS1ATS),
	DF_HEX(0, "ASID16", SMMU_IDR0_ASID16),
	DF_HEX(0, "MSI", SMMU_IDR0_MSI),
	DF_HEX(0, "SEV", SMMU_IDR0_SEV),
	DF_HEX(0, "ATOS", SMMU_IDR0_ATOS),
	DF_HEX(0, "PRI", SMMU_IDR0_PRI),
	DF_HEX(0, "VMW", SMMU_IDR0_VMW),
	DF_HEX(0, "VMID16", SMMU_IDR0_VMID16),
	DF_HEX(0, "CD2L", SMMU_IDR0_CD2L),
	DF_HEX(0, "VATOS", SMMU_IDR0_VATOS),
	DF_ENUM(0, "TTENDIAN", SMMU_IDR0_TTENDIAN, ttendian_names),
	DF_HEX(0, "ATSRECERR", SMMU_IDR0_ATSRECERR),
	DF_ENUM(0, "STALL_MODEL", SMMU_IDR0_STALL_MODEL, stall_names),
	DF_HEX(0, "TERM_MODEL", SMMU_IDR0_TERM_MODEL),
	DF_ENUM(0, "ST_LEVEL", SMMU_IDR0_ST_LEVEL, st_level_names),
	DF_HEX(0, "RME_IMPL", SMMU_IDR0_RME_IMPL),
};
static const struct decode_field idr1[] = {
	DF_DEC(0, "SIDSIZE", SMMU_IDR1_SIDSIZE),
	DF_DEC(0, "SSIDSIZE", SMMU_IDR1_SSIDSIZE),
	DF_DEC(0, "PRIQS", SMMU_IDR1_PRIQS),
	DF_DEC(0, "EVENTQS", SMMU_IDR1_EVENTQS),
	DF_DEC(0, "CMDQS", SMMU_IDR1_CMDQS),
	DF_HEX(0, "ATTR_PERMS_OVR", SMMU_IDR1_ATTR_PERMS_OVR),
	DF_HEX(0, "ATTR_TYPES_OVR", SMMU_IDR1_ATTR_TYPES_OVR),
	DF_HEX(0, "REL", SMMU_IDR1_REL),
	DF_HEX(0, "QUEUES_PRESET", SMMU_IDR1_QUEUES_PRESET),
	DF_HEX(0, "TABLES_PRESET", SMMU_IDR1_TABLES_PRESET),
	DF_HEX(0, "ECMDQ", SMMU_IDR1_ECMDQ),
};
static const struct decode_field idr2[] = {
	DF_HEX(0, "BA_VATOS", SMMU_IDR2_BA_VATOS),
};
static const struct decode_field idr3[] = {
	DF_HEX(0, "HAD", SMMU_IDR3_HAD),
	DF_HEX(0, "PBHA", SMMU_IDR3_PBHA),
	DF_HEX(0, "XNX", SMMU_IDR3_XNX),
	DF_HEX(0, "PPS", SMMU_IDR3_PPS),
	DF_HEX(0, "MPAM", SMMU_IDR3_MPAM),
	DF_HEX(0, "FWB", SMMU_IDR3_FWB),
	DF_HEX(0, "STT", SMMU_IDR3_STT),
	DF_HEX(0, "RIL", SMMU_IDR3_RIL),
	DF_DEC(0, "BBML", SMMU_IDR3_BBML),
	DF_HEX(0, "E0PD", SMMU_IDR3_E0PD),
	DF_HEX(0, "PTWNNC", SMMU_IDR3_PTWNNC),
	DF_HEX(0, "DPT", SMMU_IDR3_DPT),
	DF_HEX(0, "PASIDTT", SMMU_IDR3_PASIDTT),
	DF_HEX(0, "EPAN", SMMU_IDR3_EPAN),
	DF_HEX(0, "S1PI", SMMU_IDR3_S1PI),
	DF_HEX(0, "S2PI", SMMU_IDR3_S2PI),
	DF_HEX(0, "S2PO", SMMU_IDR3_S2PO),
	DF_HEX(0, "THE", SMMU_IDR3_THE),
	DF_HEX(0, "MTEPERM", SMMU_IDR3_MTEPERM),
	DF_HEX(0, "AIE", SMMU_IDR3_AIE),
};
static const struct decode_field idr5[] = {
	DF_ENUM(0, "OAS", SMMU_IDR5_OAS, decode_size_names),
	DF_HEX(0, "GRAN4K", SMMU_IDR5_GRAN4K),
	DF_HEX(0, "GRAN16K", SMMU_IDR5_GRAN16K),
	DF_HEX(0, "GRAN64K", SMMU_IDR5_GRAN64K),
	DF_HEX(0, "DS", SMMU_IDR5_DS),
	DF_HEX(0, "D128", SMMU_IDR5_D128),
	DF_ENUM(0, "VAX", SMMU_IDR5_VAX, vax_names),
	DF_DEC(0, "STALL_MAX", SMMU_IDR5_STALL_MAX),
};
static const struct decode_field iidr[] = {
	DF_HEX(0, "IMPLEMENTER", SMMU_IIDR_IMPLEMENTER),
	DF_HEX(0, "REVISION", SMMU_IIDR_REVISION),
	DF_HEX(0, "VARIANT", SMMU_IIDR_VARIANT),
	DF_HEX(0, "PRODUCTID", SMMU_IIDR_PRODUCTID),
};
static const struct decode_field aidr[] = {
	DF_DEC(0, "ARCHMAJORREV", SMMU_AIDR_MAJOR),
	DF_DEC(0, "ARCHMINORREV", SMMU_AIDR_MINOR),
};
static const struct decode_field cr0[] = {
	DF_HEX(0, "SMMUEN", SMMU_CR0_SMMUEN),
	DF_HEX(0, "PRIQEN", SMMU_CR0_PRIQEN),
	DF_HEX(0, "EVENTQEN", SMMU_CR0_EVENTQEN),
	DF_HEX(0, "CMDQEN", SMMU_CR0_CMDQEN),
	DF_HEX(0, "ATSCHK", SMMU_CR0_ATSCHK),
	DF_DEC(0, "VMW", SMMU_CR0_VMW),
	DF_HEX(0, "DPT_WALK_EN", SMMU_CR0_DPT_WALK_EN),
};
static const struct decode_field cr1[] = {
	DF_ENUM(0, "QUEUE_IC", SMMU_CR1_QUEUE_IC, cr1_cache_names),
	DF_ENUM(0, "QUEUE_OC", SMMU_CR1_QUEUE_OC, cr1_cache_names),
	DF_ENUM(0, "QUEUE_SH", SMMU_CR1_QUEUE_SH, decode_sh_names),
	DF_ENUM(0, "TABLE_IC", SMMU_CR1_TABLE_IC, cr1_cache_names),
	DF_ENUM(0, "TABLE_OC", SMMU_CR1_TABLE_OC, cr1_cache_names),
	DF_ENUM(0, "TABLE_SH", SMMU_CR1_TABLE_SH, decode_sh_names),
};
static const struct decode_field cr2[] = {
	DF_HEX(0, "E2H", SMMU_CR2_E2H),
	DF_HEX(0, "RECINVSID", SMMU_CR2_RECINVSID),
	DF_HEX(0, "PTM", SMMU_CR2_PTM),
	DF_HEX(0, "REC_CFG_ATS", SMMU_CR2_REC_CFG_ATS),
};
static const struct decode_field statusr[] = {
	DF_HEX(0, "DORMANT", SMMU_STATUSR_DORMANT),
};
static const struct decode_field gbpa[] = {
	DF_HEX(0, "MEMATTR", SMMU_GBPA_MEMATTR),
	DF_HEX(0, "MTCFG", SMMU_GBPA_MTCFG),
	DF_HEX(0, "ALLOCCFG", SMMU_GBPA_ALLOCCFG),
	DF_ENUM(0, "SHCFG", SMMU_GBPA_SHCFG, decode_override_names),
	DF_ENUM(0, "PRIVCFG", SMMU_GBPA_PRIVCFG, decode_privcfg_names),
	DF_ENUM(0, "INSTCFG", SMMU_GBPA_INSTCFG, decode_instcfg_names),
	DF_HEX(0, "ABORT", SMMU_GBPA_ABORT),
	DF_HEX(0, "UPDATE", SMMU_GBPA_UPDATE),
};
static const struct decode_field irq_ctrl[] = {
	DF_HEX(0, "GERROR_IRQEN", SMMU_IRQ_CTRL_GERROR_IRQEN),
	DF_HEX(0, "PRIQ_IRQEN", SMMU_IRQ_CTRL_PRIQ_IRQEN),
	DF_HEX(0, "EVENTQ_IRQEN", SMMU_IRQ_CTRL_EVENTQ_IRQEN),
};
static const struct decode_field gerror[] = {
	DF_HEX(0, "CMDQ_ERR", SMMU_GERROR_CMDQ_ERR),
	DF_HEX(0, "EVENTQ_ABT_ERR", SMMU_GERROR_EVENTQ_ABT_ERR),
	DF_HEX(0, "PRIQ_ABT_ERR", SMMU_GERROR_PRIQ_ABT_ERR),
	DF_HEX(0, "MSI_CMDQ_ABT_ERR", SMMU_GERROR_MSI_CMDQ_ABT_ERR),
	DF_HEX(0, "MSI_EVENTQ_ABT_ERR", SMMU_GERROR_MSI_EVENTQ_ABT_ERR),
	DF_HEX(0, "MSI_PRIQ_ABT_ERR", SMMU_GERROR_MSI_PRIQ_ABT_ERR),
	DF_HEX(0, "MSI_GERROR_ABT_ERR", SMMU_GERROR_MSI_GERROR_ABT_ERR),
	DF_HEX(0, "SFM_ERR", SMMU_GERROR_SFM_ERR),
	DF_HEX(0, "CMDQP_ERR", SMMU_GERROR_CMDQP_ERR),
	DF_HEX(0, "DPT_ERR", SMMU_GERROR_DPT_ERR),
};
static const struct decode_field irq_cfg0[] = {
	DF_ADDR(0, "ADDR", SMMU_IRQ_CFG0_ADDR),
};
static const struct decode_field irq_cfg1[] = {
	DF_HEX(0, "DATA", SMMU_IRQ_CFG1_DATA),
};
static const struct decode_field irq_cfg2[] = {
	DF_HEX(0, "MEMATTR", SMMU_IRQ_CFG2_MEMATTR),
	DF_ENUM(0, "SH", SMMU_IRQ_CFG2_SH, decode_sh_names),
};
static const struct decode_field strtab_base[] = {
	DF_ADDR(0, "ADDR", SMMU_STRTAB_BASE_ADDR),
	DF_HEX(0, "RA", SMMU_STRTAB_BASE_RA),
};
static const struct decode_field strtab_cfg[] = {
	DF_DEC(0, "LOG2SIZE", SMMU_STRTAB_BASE_CFG_LOG2SIZE),
	DF_DEC(0, "SPLIT", SMMU_STRTAB_BASE_CFG_SPLIT),
	DF_ENUM(0, "FMT", SMMU_STRTAB_BASE_CFG_FMT, strtab_fmt_names),
};
static const struct decode_field q_base[] = {
	DF_ADDR(0, "ADDR", SMMU_Q_BASE_ADDR),
	DF_DEC(0, "LOG2SIZE", SMMU_Q_BASE_LOG2SIZE),
};
static const struct decode_field q_base_ra[] = {
	DF_HEX(0, "RA", SMMU_Q_BASE_RA),
};
static const struct decode_field q_base_wa[] = {
	DF_HEX(0, "WA", SMMU_Q_BASE_RA),
};
/* Index and wrap flag; where the wrap bit sits depends on LOG2SIZE. */
static const struct decode_field q_wr[] = {
	DF_HEX(0, "WR", SMMU_Q_PTR_WRAP_IDX),
};
static const struct decode_field q_rd[] = {
	DF_HEX(0, "RD", SMMU_Q_PTR_WRAP_IDX),
};
static const struct decode_field cmdq_err[] = {
	DF_ENUM(0, "ERR", SMMU_CMDQ_CONS_ERR, cerror_names),
};
static const struct decode_field q_ovflg[] = {
	DF_HEX(0, "OVFLG", SMMU_Q_PROD_OVFLG),
};
static const struct decode_field q_ovackflg[] = {
	DF_HEX(0, "OVACKFLG", SMMU_Q_CONS_OVACKFLG),
};
static const struct decode_field raw_value[] = {
	DF_HEX(0, "VALUE", DECODE_WHOLE_WORD),
};

#define REG(r, ...) \
	{ SMMU_##r, "SMMU_" #r, { .groups = { __VA_ARGS__ }, .res0_words = 0x1 } }
/* No field layout in this decoder: raw value, no RES0 check. */
#define REG_RAW(r) \
	{ SMMU_##r, "SMMU_" #r, { .groups = { DG(raw_value) }, .res0_words = 0 } }
/* Fields decoded, but the register has others this header does not hold. */
#define REG_PARTIAL(r, ...) \
	{ SMMU_##r, "SMMU_" #r, { .groups = { __VA_ARGS__ }, .res0_words = 0 } }

static const struct decode_entry regs[] = {
	REG(IDR0, DG(idr0)),
	REG(IDR1, DG(idr1)),
	REG(IDR2, DG(idr2)),
	REG(IDR3, DG(idr3)),
	REG_RAW(IDR4),
	REG(IDR5, DG(idr5)),
	REG(IIDR, DG(iidr)),
	REG(AIDR, DG(aidr)),
	REG(CR0, DG(cr0)),
	REG(CR0ACK, DG(cr0)),
	REG(CR1, DG(cr1)),
	REG(CR2, DG(cr2)),
	REG_RAW(S2PII),
	REG(STATUSR, DG(statusr)),
	REG(GBPA, DG(gbpa)),
	REG_PARTIAL(AGBPA, DG(gbpa)),
	REG(IRQ_CTRL, DG(irq_ctrl)),
	REG(IRQ_CTRLACK, DG(irq_ctrl)),
	REG(GERROR, DG(gerror)),
	REG(GERRORN, DG(gerror)),
	REG(GERROR_IRQ_CFG0, DG(irq_cfg0)),
	REG(GERROR_IRQ_CFG1, DG(irq_cfg1)),
	REG(GERROR_IRQ_CFG2, DG(irq_cfg2)),
	REG(STRTAB_BASE, DG(strtab_base)),
	REG(STRTAB_BASE_CFG, DG(strtab_cfg)),
	REG(CMDQ_BASE, DG(q_base), DG(q_base_ra)),
	REG(CMDQ_PROD, DG(q_wr)),
	REG(CMDQ_CONS, DG(q_rd), DG(cmdq_err)),
	REG(EVENTQ_BASE, DG(q_base), DG(q_base_wa)),
	REG(EVENTQ_IRQ_CFG0, DG(irq_cfg0)),
	REG(EVENTQ_IRQ_CFG1, DG(irq_cfg1)),
	REG(EVENTQ_IRQ_CFG2, DG(irq_cfg2)),
	REG(PRIQ_BASE, DG(q_base), DG(q_base_wa)),
	REG(PRIQ_IRQ_CFG0, DG(irq_cfg0)),
	REG(PRIQ_IRQ_CFG1, DG(irq_cfg1)),
	/* PRIQ_IRQ_CFG2 also has LO (level-triggered), not held here. */
	REG_PARTIAL(PRIQ_IRQ_CFG2, DG(irq_cfg2)),
	REG_RAW(GATOS_CTRL),
	REG_RAW(GATOS_SID),
	REG_RAW(GATOS_ADDR),
	REG_RAW(GATOS_PAR),
	REG_RAW(VATOS_SEL),
	REG_RAW(PIDR4), REG_RAW(PIDR5), REG_RAW(PIDR6), REG_RAW(PIDR7),
	REG_RAW(PIDR0), REG_RAW(PIDR1), REG_RAW(PIDR2), REG_RAW(PIDR3),
	REG_RAW(CIDR0), REG_RAW(CIDR1), REG_RAW(CIDR2), REG_RAW(CIDR3),
	REG(EVENTQ_PROD, DG(q_wr), DG(q_ovflg)),
	REG(EVENTQ_CONS, DG(q_rd), DG(q_ovackflg)),
	REG(PRIQ_PROD, DG(q_wr), DG(q_ovflg)),
	REG(PRIQ_CONS, DG(q_rd), DG(q_ovackflg)),
};

const char *smmu_decode_reg_name(uint32_t offset)
{
	return decode_name(regs, DECODE_ARRAY_SIZE(regs), offset);
}

int smmu_decode_reg_offset(const char *name)
{
	static const char prefix[] = "SMMU_";

	if (!name)
		return -EINVAL;
	if (!strncasecmp(name, prefix, sizeof(prefix) - 1))
		name += sizeof(prefix) - 1;
	for (size_t i = 0; i < DECODE_ARRAY_SIZE(regs); i++)
		if (!strcasecmp(regs[i].name + sizeof(prefix) - 1, name))
			return (int)regs[i].id;
	return -EINVAL;
}

int smmu_decode_reg(uint32_t offset, uint64_t value, char *buf, size_t size)
{
	static const struct decode_layout unknown = { .groups = { DG(raw_value) } };
	const struct decode_entry *r =
		decode_find(regs, DECODE_ARRAY_SIZE(regs), offset);
	char name[sizeof("UNKNOWN(0x00000000)")];

	if (r)
		return decode_structure(r->name, &r->layout, &value, 1, 0, buf, size);
	snprintf(name, sizeof(name), "UNKNOWN(0x%05" PRIx32 ")", offset);
	return decode_structure(name, &unknown, &value, 1, 0, buf, size);
}

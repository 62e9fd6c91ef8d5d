/*
 * Facts of the Arm SMMUv3 architecture (IHI 0070 G.b), stated once.
 *
 * Concepts: register offsets of page 0 and page 1, every register field,
 * command opcodes and fields, STE/CD/L1 descriptor layouts, event and PRI
 * record layouts, queue pointer fields and the AArch64 translation-table
 * descriptor bits the walker and io-pgtable share.  Fields are 64-bit masks
 * (SMMU_GENMASK/SMMU_BIT) used through SMMU_FIELD_GET/SMMU_FIELD_PREP from
 * <smmu/bits.h>.  Multi-word structures name their word in the field
 * (SMMU_STE1_S1DSS is a field of STE dword 1).  No other file in the
 * project writes a bit position or register offset as a bare number.
 * docs/conformance.md records which parts of the specification are covered;
 * docs/arch-coverage.md records what this header was checked against.
 */
#ifndef SMMU_ARCH_H
#define SMMU_ARCH_H

#include <smmu/bits.h>

/* ------------------------------------------------------------------ */
/* MMIO map: two 64 KiB pages; page 1 holds the EVENTQ/PRIQ PROD/CONS.  */
/* ------------------------------------------------------------------ */
#define SMMU_PAGE_SIZE            0x10000u
#define SMMU_MMIO_SIZE            (2u * SMMU_PAGE_SIZE)

enum smmu_reg {
	SMMU_IDR0             = 0x0000,
	SMMU_IDR1             = 0x0004,
	SMMU_IDR2             = 0x0008,
	SMMU_IDR3             = 0x000c,
	SMMU_IDR4             = 0x0010,
	SMMU_IDR5             = 0x0014,
	SMMU_IIDR             = 0x0018,
	SMMU_AIDR             = 0x001c,
	SMMU_CR0              = 0x0020,
	SMMU_CR0ACK           = 0x0024,
	SMMU_CR1              = 0x0028,
	SMMU_CR2              = 0x002c,
	SMMU_S2PII            = 0x0030, /* 64-bit, only if IDR3.S2PI */
	SMMU_STATUSR          = 0x0040,
	SMMU_GBPA             = 0x0044,
	SMMU_AGBPA            = 0x0048,
	SMMU_IRQ_CTRL         = 0x0050,
	SMMU_IRQ_CTRLACK      = 0x0054,
	SMMU_GERROR           = 0x0060,
	SMMU_GERRORN          = 0x0064,
	SMMU_GERROR_IRQ_CFG0  = 0x0068, /* 64-bit */
	SMMU_GERROR_IRQ_CFG1  = 0x0070,
	SMMU_GERROR_IRQ_CFG2  = 0x0074,
	SMMU_STRTAB_BASE      = 0x0080, /* 64-bit */
	SMMU_STRTAB_BASE_CFG  = 0x0088,
	SMMU_CMDQ_BASE        = 0x0090, /* 64-bit */
	SMMU_CMDQ_PROD        = 0x0098,
	SMMU_CMDQ_CONS        = 0x009c,
	SMMU_EVENTQ_BASE      = 0x00a0, /* 64-bit */
	SMMU_EVENTQ_IRQ_CFG0  = 0x00b0, /* 64-bit */
	SMMU_EVENTQ_IRQ_CFG1  = 0x00b8,
	SMMU_EVENTQ_IRQ_CFG2  = 0x00bc,
	SMMU_PRIQ_BASE        = 0x00c0, /* 64-bit */
	SMMU_PRIQ_IRQ_CFG0    = 0x00d0, /* 64-bit */
	SMMU_PRIQ_IRQ_CFG1    = 0x00d8,
	SMMU_PRIQ_IRQ_CFG2    = 0x00dc,
	SMMU_GATOS_CTRL       = 0x0100,
	SMMU_GATOS_SID        = 0x0108, /* 64-bit */
	SMMU_GATOS_ADDR       = 0x0110, /* 64-bit */
	SMMU_GATOS_PAR        = 0x0118, /* 64-bit */
	SMMU_VATOS_SEL        = 0x0180,
	SMMU_PIDR4            = 0x0fd0,
	SMMU_PIDR5            = 0x0fd4,
	SMMU_PIDR6            = 0x0fd8,
	SMMU_PIDR7            = 0x0fdc,
	SMMU_PIDR0            = 0x0fe0,
	SMMU_PIDR1            = 0x0fe4,
	SMMU_PIDR2            = 0x0fe8,
	SMMU_PIDR3            = 0x0fec,
	SMMU_CIDR0            = 0x0ff0,
	SMMU_CIDR1            = 0x0ff4,
	SMMU_CIDR2            = 0x0ff8,
	SMMU_CIDR3            = 0x0ffc,
	/* Page 1 */
	SMMU_EVENTQ_PROD      = 0x100a8,
	SMMU_EVENTQ_CONS      = 0x100ac,
	SMMU_PRIQ_PROD        = 0x100c8,
	SMMU_PRIQ_CONS        = 0x100cc,
};

/* Component ID registers read as the CoreSight preamble. */
#define SMMU_CIDR0_VAL 0x0du
#define SMMU_CIDR1_VAL 0xf0u
#define SMMU_CIDR2_VAL 0x05u
#define SMMU_CIDR3_VAL 0xb1u

/*
 * Peripheral ID registers (CoreSight layout, IMPLEMENTATION DEFINED values):
 * the model derives them from IIDR, whose implementer is a JEP106 code
 * (continuation count in [11:8], identity in [6:0]).
 */
#define SMMU_PIDR0_PART_0    SMMU_GENMASK(7, 0)
#define SMMU_PIDR1_PART_1    SMMU_GENMASK(3, 0)
#define SMMU_PIDR1_DES_0     SMMU_GENMASK(7, 4)
#define SMMU_PIDR2_DES_1     SMMU_GENMASK(2, 0)
#define SMMU_PIDR2_JEDEC     SMMU_BIT(3)
#define SMMU_PIDR2_REVISION  SMMU_GENMASK(7, 4)
#define SMMU_PIDR3_REVAND    SMMU_GENMASK(7, 4)
#define SMMU_PIDR4_DES_2     SMMU_GENMASK(3, 0)
#define SMMU_PART_NUM_LO     SMMU_GENMASK(7, 0)   /* of IIDR.ProductID */
#define SMMU_PART_NUM_HI     SMMU_GENMASK(11, 8)
#define SMMU_JEP106_ID       SMMU_GENMASK(6, 0)
#define SMMU_JEP106_ID_LO    SMMU_GENMASK(3, 0)
#define SMMU_JEP106_ID_HI    SMMU_GENMASK(6, 4)
#define SMMU_JEP106_CONT     SMMU_GENMASK(11, 8)

/* IDR0 */
#define SMMU_IDR0_S2P          SMMU_BIT(0)
#define SMMU_IDR0_S1P          SMMU_BIT(1)
#define SMMU_IDR0_TTF          SMMU_GENMASK(3, 2)
#define SMMU_IDR0_COHACC       SMMU_BIT(4)
#define SMMU_IDR0_BTM          SMMU_BIT(5)
#define SMMU_IDR0_HTTU         SMMU_GENMASK(7, 6)
#define SMMU_IDR0_DORMHINT     SMMU_BIT(8)
#define SMMU_IDR0_HYP          SMMU_BIT(9)
#define SMMU_IDR0_ATS          SMMU_BIT(10)
#define SMMU_IDR0_NS1ATS       SMMU_BIT(11)
#define SMMU_IDR0_ASID16       SMMU_BIT(12)
#define SMMU_IDR0_MSI          SMMU_BIT(13)
#define SMMU_IDR0_SEV          SMMU_BIT(14)
#define SMMU_IDR0_ATOS         SMMU_BIT(15)
#define SMMU_IDR0_PRI          SMMU_BIT(16)
#define SMMU_IDR0_VMW          SMMU_BIT(17)
#define SMMU_IDR0_VMID16       SMMU_BIT(18)
#define SMMU_IDR0_CD2L         SMMU_BIT(19)
#define SMMU_IDR0_VATOS        SMMU_BIT(20)
#define SMMU_IDR0_TTENDIAN     SMMU_GENMASK(22, 21)
#define SMMU_IDR0_ATSRECERR    SMMU_BIT(23)
#define SMMU_IDR0_STALL_MODEL  SMMU_GENMASK(25, 24)
#define SMMU_IDR0_TERM_MODEL   SMMU_BIT(26)
#define SMMU_IDR0_ST_LEVEL     SMMU_GENMASK(28, 27)
#define SMMU_IDR0_RME_IMPL     SMMU_BIT(30)

enum smmu_idr0_ttf {
	SMMU_TTF_AARCH32 = 1,
	SMMU_TTF_AARCH64 = 2,
	SMMU_TTF_BOTH    = 3,
};
enum smmu_idr0_httu {
	SMMU_HTTU_NONE   = 0,
	SMMU_HTTU_HA     = 1,
	SMMU_HTTU_HA_HD  = 2,
	SMMU_HTTU_HA_HD_HAFT = 3, /* plus Access flag in table descriptors */
};
enum smmu_idr0_ttendian {
	SMMU_TTENDIAN_MIXED = 0,
	SMMU_TTENDIAN_LE    = 2,
	SMMU_TTENDIAN_BE    = 3,
};
enum smmu_idr0_stall_model {
	SMMU_STALL_MODEL_STALL_TERM = 0,
	SMMU_STALL_MODEL_TERM_ONLY  = 1,
	SMMU_STALL_MODEL_STALL_FORCE = 2,
};
enum smmu_idr0_st_level {
	SMMU_ST_LEVEL_LINEAR = 0,
	SMMU_ST_LEVEL_2LVL   = 1,
};

/* IDR1 */
#define SMMU_IDR1_SIDSIZE        SMMU_GENMASK(5, 0)
#define SMMU_IDR1_SSIDSIZE       SMMU_GENMASK(10, 6)
#define SMMU_IDR1_PRIQS          SMMU_GENMASK(15, 11)
#define SMMU_IDR1_EVENTQS        SMMU_GENMASK(20, 16)
#define SMMU_IDR1_CMDQS          SMMU_GENMASK(25, 21)
#define SMMU_IDR1_ATTR_PERMS_OVR SMMU_BIT(26)
#define SMMU_IDR1_ATTR_TYPES_OVR SMMU_BIT(27)
#define SMMU_IDR1_REL            SMMU_BIT(28)
#define SMMU_IDR1_QUEUES_PRESET  SMMU_BIT(29)
#define SMMU_IDR1_TABLES_PRESET  SMMU_BIT(30)
#define SMMU_IDR1_ECMDQ          SMMU_BIT(31)

#define SMMU_SIDSIZE_MAX   32u
#define SMMU_SSIDSIZE_MAX  20u
#define SMMU_QUEUE_LOG2_MAX 19u

/* IDR2 */
#define SMMU_IDR2_BA_VATOS SMMU_GENMASK(9, 0)

/* IDR3 */
#define SMMU_IDR3_HAD      SMMU_BIT(2)
#define SMMU_IDR3_PBHA     SMMU_BIT(3)
#define SMMU_IDR3_XNX      SMMU_BIT(4)
#define SMMU_IDR3_PPS      SMMU_BIT(5)
#define SMMU_IDR3_MPAM     SMMU_BIT(7)
#define SMMU_IDR3_FWB      SMMU_BIT(8)
#define SMMU_IDR3_STT      SMMU_BIT(9)
#define SMMU_IDR3_RIL      SMMU_BIT(10)
#define SMMU_IDR3_BBML     SMMU_GENMASK(12, 11)
#define SMMU_IDR3_E0PD     SMMU_BIT(13)
#define SMMU_IDR3_PTWNNC   SMMU_BIT(14)
#define SMMU_IDR3_DPT      SMMU_BIT(15)
#define SMMU_IDR3_PASIDTT  SMMU_BIT(16)
#define SMMU_IDR3_EPAN     SMMU_BIT(17)
#define SMMU_IDR3_S1PI     SMMU_BIT(18)
#define SMMU_IDR3_S2PI     SMMU_BIT(19)
#define SMMU_IDR3_S2PO     SMMU_BIT(20)
#define SMMU_IDR3_THE      SMMU_BIT(21)
#define SMMU_IDR3_MTEPERM  SMMU_BIT(22)
#define SMMU_IDR3_AIE      SMMU_BIT(23)

/* IDR5 */
#define SMMU_IDR5_OAS       SMMU_GENMASK(2, 0)
#define SMMU_IDR5_GRAN4K    SMMU_BIT(4)
#define SMMU_IDR5_GRAN16K   SMMU_BIT(5)
#define SMMU_IDR5_GRAN64K   SMMU_BIT(6)
#define SMMU_IDR5_DS        SMMU_BIT(7)
#define SMMU_IDR5_D128      SMMU_BIT(8)
#define SMMU_IDR5_VAX       SMMU_GENMASK(11, 10)
#define SMMU_IDR5_STALL_MAX SMMU_GENMASK(31, 16)

/* OAS/IPS/PS encodings shared by IDR5.OAS, CD.IPS and STE.S2PS. */
enum smmu_oas_enc {
	SMMU_OAS_32 = 0, SMMU_OAS_36 = 1, SMMU_OAS_40 = 2, SMMU_OAS_42 = 3,
	SMMU_OAS_44 = 4, SMMU_OAS_48 = 5, SMMU_OAS_52 = 6, SMMU_OAS_56 = 7,
};

/* Address bits for an OAS/IPS/PS encoding; 0 for an unknown encoding. */
static inline unsigned smmu_oas_bits(unsigned enc)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	return enc < sizeof(bits) ? bits[enc] : 0;
}

/* Encoding for an address width; -1 if the width has none. */
static inline int smmu_oas_encode(unsigned bits)
{
	for (unsigned enc = 0; enc <= SMMU_OAS_56; enc++)
		if (smmu_oas_bits(enc) == bits)
			return (int)enc;
	return -1;
}

/* IIDR, AIDR */
#define SMMU_IIDR_IMPLEMENTER SMMU_GENMASK(11, 0)
#define SMMU_IIDR_REVISION    SMMU_GENMASK(15, 12)
#define SMMU_IIDR_VARIANT     SMMU_GENMASK(19, 16)
#define SMMU_IIDR_PRODUCTID   SMMU_GENMASK(31, 20)
#define SMMU_AIDR_MINOR       SMMU_GENMASK(3, 0)
#define SMMU_AIDR_MAJOR       SMMU_GENMASK(7, 4)

/* CR0 / CR0ACK */
#define SMMU_CR0_SMMUEN      SMMU_BIT(0)
#define SMMU_CR0_PRIQEN      SMMU_BIT(1)
#define SMMU_CR0_EVENTQEN    SMMU_BIT(2)
#define SMMU_CR0_CMDQEN      SMMU_BIT(3)
#define SMMU_CR0_ATSCHK      SMMU_BIT(4)
#define SMMU_CR0_VMW         SMMU_GENMASK(8, 6)
#define SMMU_CR0_DPT_WALK_EN SMMU_BIT(10)

/* CR1: cacheability and shareability of queue and table accesses. */
#define SMMU_CR1_QUEUE_IC SMMU_GENMASK(1, 0)
#define SMMU_CR1_QUEUE_OC SMMU_GENMASK(3, 2)
#define SMMU_CR1_QUEUE_SH SMMU_GENMASK(5, 4)
#define SMMU_CR1_TABLE_IC SMMU_GENMASK(7, 6)
#define SMMU_CR1_TABLE_OC SMMU_GENMASK(9, 8)
#define SMMU_CR1_TABLE_SH SMMU_GENMASK(11, 10)

enum smmu_cacheability { SMMU_CACHE_NC = 0, SMMU_CACHE_WB = 1, SMMU_CACHE_WT = 2 };
enum smmu_shareability { SMMU_SH_NSH = 0, SMMU_SH_OSH = 2, SMMU_SH_ISH = 3 };

/* CR2 */
#define SMMU_CR2_E2H        SMMU_BIT(0)
#define SMMU_CR2_RECINVSID  SMMU_BIT(1)
#define SMMU_CR2_PTM        SMMU_BIT(2)
#define SMMU_CR2_REC_CFG_ATS SMMU_BIT(3)

/* STATUSR */
#define SMMU_STATUSR_DORMANT SMMU_BIT(0)

/* GBPA (and AGBPA's shared layout) */
#define SMMU_GBPA_MEMATTR  SMMU_GENMASK(3, 0)
#define SMMU_GBPA_MTCFG    SMMU_BIT(4)
#define SMMU_GBPA_ALLOCCFG SMMU_GENMASK(11, 8)
#define SMMU_GBPA_SHCFG    SMMU_GENMASK(13, 12)
#define SMMU_GBPA_PRIVCFG  SMMU_GENMASK(17, 16)
#define SMMU_GBPA_INSTCFG  SMMU_GENMASK(19, 18)
#define SMMU_GBPA_ABORT    SMMU_BIT(20)
#define SMMU_GBPA_UPDATE   SMMU_BIT(31)

/* IRQ_CTRL / IRQ_CTRLACK */
#define SMMU_IRQ_CTRL_GERROR_IRQEN SMMU_BIT(0)
#define SMMU_IRQ_CTRL_PRIQ_IRQEN   SMMU_BIT(1)
#define SMMU_IRQ_CTRL_EVENTQ_IRQEN SMMU_BIT(2)

/* GERROR / GERRORN: an error is active while the two bits differ. */
#define SMMU_GERROR_CMDQ_ERR           SMMU_BIT(0)
#define SMMU_GERROR_EVENTQ_ABT_ERR     SMMU_BIT(2)
#define SMMU_GERROR_PRIQ_ABT_ERR       SMMU_BIT(3)
#define SMMU_GERROR_MSI_CMDQ_ABT_ERR   SMMU_BIT(4)
#define SMMU_GERROR_MSI_EVENTQ_ABT_ERR SMMU_BIT(5)
#define SMMU_GERROR_MSI_PRIQ_ABT_ERR   SMMU_BIT(6)
#define SMMU_GERROR_MSI_GERROR_ABT_ERR SMMU_BIT(7)
#define SMMU_GERROR_SFM_ERR            SMMU_BIT(8)
#define SMMU_GERROR_CMDQP_ERR          SMMU_BIT(9)
#define SMMU_GERROR_DPT_ERR            SMMU_BIT(10)
#define SMMU_GERROR_ERR_MASK                                              \
	(SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVENTQ_ABT_ERR |                 \
	 SMMU_GERROR_PRIQ_ABT_ERR | SMMU_GERROR_MSI_CMDQ_ABT_ERR |           \
	 SMMU_GERROR_MSI_EVENTQ_ABT_ERR | SMMU_GERROR_MSI_PRIQ_ABT_ERR |     \
	 SMMU_GERROR_MSI_GERROR_ABT_ERR | SMMU_GERROR_SFM_ERR |              \
	 SMMU_GERROR_CMDQP_ERR | SMMU_GERROR_DPT_ERR)

/* *_IRQ_CFG0/1/2: MSI address, data, attributes. ADDR == 0: no MSI. */
#define SMMU_IRQ_CFG0_ADDR    SMMU_GENMASK(55, 2)
#define SMMU_IRQ_CFG1_DATA    SMMU_GENMASK(31, 0)
#define SMMU_IRQ_CFG2_MEMATTR SMMU_GENMASK(3, 0)
#define SMMU_IRQ_CFG2_SH      SMMU_GENMASK(5, 4)
#define SMMU_PRIQ_IRQ_CFG2_LO SMMU_BIT(31) /* interrupt only on Last requests */
#define SMMU_MEMATTR_DEVICE_NGNRE 0x1u
#define SMMU_MEMATTR_OIWB         0xfu

/* STRTAB_BASE, STRTAB_BASE_CFG */
#define SMMU_STRTAB_BASE_RA       SMMU_BIT(62)
#define SMMU_STRTAB_BASE_ADDR     SMMU_GENMASK(55, 6)
#define SMMU_STRTAB_BASE_CFG_LOG2SIZE SMMU_GENMASK(5, 0)
#define SMMU_STRTAB_BASE_CFG_SPLIT    SMMU_GENMASK(10, 6)
#define SMMU_STRTAB_BASE_CFG_FMT      SMMU_GENMASK(17, 16)
enum smmu_strtab_fmt { SMMU_STRTAB_FMT_LINEAR = 0, SMMU_STRTAB_FMT_2LVL = 1 };
/* SPLIT values the architecture defines for 2-level tables: 4K/16K/64K leaves. */
#define SMMU_STRTAB_SPLIT_4K  6u
#define SMMU_STRTAB_SPLIT_16K 8u
#define SMMU_STRTAB_SPLIT_64K 10u

/* Queue base registers (CMDQ/EVENTQ/PRIQ) */
#define SMMU_Q_BASE_RA       SMMU_BIT(62) /* RA for CMDQ, WA for EVENTQ/PRIQ */
#define SMMU_Q_BASE_ADDR     SMMU_GENMASK(55, 5)
#define SMMU_Q_BASE_LOG2SIZE SMMU_GENMASK(4, 0)

/*
 * Queue PROD/CONS: index in bits [log2size-1:0], wrap flag at bit
 * [log2size]; the architecture reserves [19:0] for the pair.
 */
#define SMMU_Q_PTR_WRAP_IDX  SMMU_GENMASK(19, 0)
#define SMMU_Q_PROD_OVFLG    SMMU_BIT(31)     /* EVENTQ/PRIQ PROD */
#define SMMU_Q_CONS_OVACKFLG SMMU_BIT(31)     /* EVENTQ/PRIQ CONS */
#define SMMU_CMDQ_CONS_ERR   SMMU_GENMASK(30, 24)

enum smmu_cmdq_cerror {
	SMMU_CERROR_NONE         = 0,
	SMMU_CERROR_ILL          = 1,
	SMMU_CERROR_ABT          = 2,
	SMMU_CERROR_ATC_INV_SYNC = 3,
};

/* Entry sizes in bytes and in 64-bit words. */
#define SMMU_CMD_DWORDS     2u
#define SMMU_EVT_DWORDS     4u
#define SMMU_PRI_DWORDS     2u
#define SMMU_STE_DWORDS     8u
#define SMMU_CD_DWORDS      8u
#define SMMU_L1_DESC_DWORDS 1u
#define SMMU_CMD_SIZE       (SMMU_CMD_DWORDS * 8u)
#define SMMU_EVT_SIZE       (SMMU_EVT_DWORDS * 8u)
#define SMMU_PRI_SIZE       (SMMU_PRI_DWORDS * 8u)
#define SMMU_STE_SIZE       (SMMU_STE_DWORDS * 8u)
#define SMMU_CD_SIZE        (SMMU_CD_DWORDS * 8u)
#define SMMU_L1_DESC_SIZE   8u
#define SMMU_Q_BASE_MIN_ALIGN 32u

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */
enum smmu_cmd_op {
	SMMU_CMD_PREFETCH_CONFIG = 0x01,
	SMMU_CMD_PREFETCH_ADDR   = 0x02,
	SMMU_CMD_CFGI_STE        = 0x03,
	SMMU_CMD_CFGI_STE_RANGE  = 0x04,
	SMMU_CMD_CFGI_CD         = 0x05,
	SMMU_CMD_CFGI_CD_ALL     = 0x06,
	SMMU_CMD_CFGI_VMS_PIDM   = 0x07,
	SMMU_CMD_TLBI_NH_ALL     = 0x10,
	SMMU_CMD_TLBI_NH_ASID    = 0x11,
	SMMU_CMD_TLBI_NH_VA      = 0x12,
	SMMU_CMD_TLBI_NH_VAA     = 0x13,
	SMMU_CMD_TLBI_EL3_ALL    = 0x18,
	SMMU_CMD_TLBI_EL3_VA     = 0x1a,
	SMMU_CMD_TLBI_EL2_ALL    = 0x20,
	SMMU_CMD_TLBI_EL2_ASID   = 0x21,
	SMMU_CMD_TLBI_EL2_VA     = 0x22,
	SMMU_CMD_TLBI_EL2_VAA    = 0x23,
	SMMU_CMD_TLBI_S12_VMALL  = 0x28,
	SMMU_CMD_TLBI_S2_IPA     = 0x2a,
	SMMU_CMD_TLBI_NSNH_ALL   = 0x30,
	SMMU_CMD_ATC_INV         = 0x40,
	SMMU_CMD_PRI_RESP        = 0x41,
	SMMU_CMD_RESUME          = 0x44,
	SMMU_CMD_STALL_TERM      = 0x45,
	SMMU_CMD_SYNC            = 0x46,
	SMMU_CMD_TLBI_S_EL2_ALL  = 0x50,
	SMMU_CMD_TLBI_S_EL2_ASID = 0x51,
	SMMU_CMD_TLBI_S_EL2_VA   = 0x52,
	SMMU_CMD_TLBI_S_EL2_VAA  = 0x53,
	SMMU_CMD_TLBI_S_S12_VMALL = 0x58,
	SMMU_CMD_TLBI_S_S2_IPA   = 0x5a,
	SMMU_CMD_TLBI_SNH_ALL    = 0x60,
	SMMU_CMD_DPTI_ALL        = 0x70,
	SMMU_CMD_DPTI_PA         = 0x73,
	SMMU_CMD_IMPDEF_FIRST    = 0x80,
	SMMU_CMD_IMPDEF_LAST     = 0x8f,
};

/* Dword 0, common */
#define SMMU_CMD0_OP      SMMU_GENMASK(7, 0)
#define SMMU_CMD0_SSEC    SMMU_BIT(10)
#define SMMU_CMD0_SSV     SMMU_BIT(11)
#define SMMU_CMD0_SSID    SMMU_GENMASK(31, 12)
#define SMMU_CMD0_SID     SMMU_GENMASK(63, 32)
/* CFGI_* dword 1 */
#define SMMU_CMD1_LEAF    SMMU_BIT(0)
#define SMMU_CMD1_RANGE   SMMU_GENMASK(4, 0)
#define SMMU_CFGI_RANGE_ALL 31u
/* PREFETCH_* dword 1 */
#define SMMU_CMD1_PREFETCH_SIZE SMMU_GENMASK(4, 0)
#define SMMU_CMD1_PREFETCH_ADDR SMMU_GENMASK(63, 12)
/* TLBI_* */
#define SMMU_CMD0_TLBI_NUM   SMMU_GENMASK(16, 12)
/* SCALE is 6 bits ([25:20], spec 4.4.1.1); Linux only ever writes [24:20]. */
#define SMMU_CMD0_TLBI_SCALE SMMU_GENMASK(25, 20)
#define SMMU_CMD0_VMID       SMMU_GENMASK(47, 32)
#define SMMU_CMD0_ASID       SMMU_GENMASK(63, 48)
#define SMMU_CMD1_TLBI_LEAF  SMMU_BIT(0)
#define SMMU_CMD1_TLBI_TTL128 SMMU_BIT(7) /* TTL is for 128-bit descriptors */
#define SMMU_CMD1_TLBI_TTL   SMMU_GENMASK(9, 8)
#define SMMU_CMD1_TLBI_TG    SMMU_GENMASK(11, 10)
#define SMMU_CMD1_TLBI_VA    SMMU_GENMASK(63, 12)
#define SMMU_CMD1_TLBI_IPA   SMMU_GENMASK(55, 12)
/* Range TLBI granule (TG) encodings; 0 means "not a range operation". */
enum smmu_tlbi_tg { SMMU_TLBI_TG_NONE = 0, SMMU_TLBI_TG_4K = 1,
		    SMMU_TLBI_TG_16K = 2, SMMU_TLBI_TG_64K = 3 };
#define SMMU_TLBI_NUM_MAX   32u /* range = (NUM + 1) << SCALE granules */
/* ATC_INV */
#define SMMU_CMD0_ATC_GLOBAL SMMU_BIT(9)
#define SMMU_CMD1_ATC_SIZE   SMMU_GENMASK(5, 0)
#define SMMU_CMD1_ATC_ADDR   SMMU_GENMASK(63, 12)
#define SMMU_ATC_INV_SIZE_ALL 52u
#define SMMU_ATC_INV_PAGE_LOG2 12u /* ATC_INV spans count 4 KiB pages */
/* PRI_RESP */
#define SMMU_CMD1_PRI_GRPID  SMMU_GENMASK(8, 0)
#define SMMU_CMD1_PRI_RESP   SMMU_GENMASK(13, 12)
enum smmu_pri_resp { SMMU_PRI_RESP_DENY = 0, SMMU_PRI_RESP_FAIL = 1,
		     SMMU_PRI_RESP_SUCC = 2 };
/* RESUME / STALL_TERM */
#define SMMU_CMD0_RESUME_RESP SMMU_GENMASK(13, 12)
#define SMMU_CMD1_RESUME_STAG SMMU_GENMASK(15, 0)
enum smmu_resume_action { SMMU_RESUME_TERM = 0, SMMU_RESUME_RETRY = 1,
			  SMMU_RESUME_ABORT = 2 };
/* CMD_SYNC */
#define SMMU_CMD0_SYNC_CS      SMMU_GENMASK(13, 12)
#define SMMU_CMD0_SYNC_MSH     SMMU_GENMASK(23, 22)
#define SMMU_CMD0_SYNC_MSIATTR SMMU_GENMASK(27, 24)
#define SMMU_CMD0_SYNC_MSIDATA SMMU_GENMASK(63, 32)
#define SMMU_CMD1_SYNC_MSIADDR SMMU_GENMASK(55, 2)
enum smmu_sync_cs { SMMU_SYNC_CS_NONE = 0, SMMU_SYNC_CS_IRQ = 1,
		    SMMU_SYNC_CS_SEV = 2, SMMU_SYNC_CS_RESERVED = 3 };
/* DPTI_PA dword 1 (4.6.2): SIZE 0..9 = 4K,16K,64K,2M,32M,512M,1G,16G,64G,512G */
#define SMMU_CMD1_DPTI_LEAF SMMU_BIT(0)
#define SMMU_CMD1_DPTI_SIZE SMMU_GENMASK(11, 8)
#define SMMU_CMD1_DPTI_ADDR SMMU_GENMASK(55, 12)

/* ------------------------------------------------------------------ */
/* Stream table                                                        */
/* ------------------------------------------------------------------ */
/* Level-1 stream table descriptor */
#define SMMU_L1STD_SPAN  SMMU_GENMASK(4, 0)
#define SMMU_L1STD_L2PTR SMMU_GENMASK(55, 6)
#define SMMU_L1STD_SPAN_MAX 12u /* SPAN 1..11 valid: L2 holds 2^(SPAN-1) STEs */

/* STE dword 0 */
#define SMMU_STE0_V            SMMU_BIT(0)
#define SMMU_STE0_CONFIG       SMMU_GENMASK(3, 1)
#define SMMU_STE0_S1FMT        SMMU_GENMASK(5, 4)
#define SMMU_STE0_S1CTXPTR     SMMU_GENMASK(55, 6)
#define SMMU_STE0_S1CDMAX      SMMU_GENMASK(63, 59)
enum smmu_ste_config {
	SMMU_STE_CFG_ABORT  = 0,
	SMMU_STE_CFG_BYPASS = 4,
	SMMU_STE_CFG_S1     = 5,
	SMMU_STE_CFG_S2     = 6,
	SMMU_STE_CFG_NESTED = 7,
};
#define SMMU_STE_CFG_S1_BIT 0x1u /* CONFIG bit 0: stage 1 translates */
#define SMMU_STE_CFG_S2_BIT 0x2u /* CONFIG bit 1: stage 2 translates */
#define SMMU_STE_CFG_EN_BIT 0x4u /* CONFIG bit 2: not abort */
enum smmu_s1fmt {
	SMMU_S1FMT_LINEAR  = 0,
	SMMU_S1FMT_64_L2   = 1, /* 2-level, 4 KiB leaves of 64 CDs */
	SMMU_S1FMT_1024_L2 = 2, /* 2-level, 64 KiB leaves of 1024 CDs */
};
#define SMMU_CD_L2_SHIFT_4K  6u
#define SMMU_CD_L2_SHIFT_64K 10u

/* STE dword 1 */
#define SMMU_STE1_S1DSS    SMMU_GENMASK(1, 0)
#define SMMU_STE1_S1CIR    SMMU_GENMASK(3, 2)
#define SMMU_STE1_S1COR    SMMU_GENMASK(5, 4)
#define SMMU_STE1_S1CSH    SMMU_GENMASK(7, 6)
#define SMMU_STE1_S2HWU    SMMU_GENMASK(11, 8)
#define SMMU_STE1_DRE      SMMU_BIT(12)
#define SMMU_STE1_CONT     SMMU_GENMASK(16, 13)
#define SMMU_STE1_DCP      SMMU_BIT(17)
#define SMMU_STE1_PPAR     SMMU_BIT(18)
#define SMMU_STE1_MEV      SMMU_BIT(19)
#define SMMU_STE1_SW_RESERVED SMMU_GENMASK(23, 20) /* ignored by the SMMU */
#define SMMU_STE1_S1PIE    SMMU_BIT(24)
#define SMMU_STE1_S2FWB    SMMU_BIT(25)
#define SMMU_STE1_S1MPAM   SMMU_BIT(26)
#define SMMU_STE1_S1STALLD SMMU_BIT(27)
#define SMMU_STE1_EATS     SMMU_GENMASK(29, 28)
#define SMMU_STE1_STRW     SMMU_GENMASK(31, 30)
#define SMMU_STE1_MEMATTR  SMMU_GENMASK(35, 32)
#define SMMU_STE1_MTCFG    SMMU_BIT(36)
#define SMMU_STE1_ALLOCCFG SMMU_GENMASK(40, 37)
#define SMMU_STE1_SHCFG    SMMU_GENMASK(45, 44)
#define SMMU_STE1_NSCFG    SMMU_GENMASK(47, 46)
#define SMMU_STE1_PRIVCFG  SMMU_GENMASK(49, 48)
#define SMMU_STE1_INSTCFG  SMMU_GENMASK(51, 50)
#define SMMU_STE1_IMPDEF   SMMU_GENMASK(63, 52)
enum smmu_s1dss { SMMU_S1DSS_TERMINATE = 0, SMMU_S1DSS_BYPASS = 1,
		  SMMU_S1DSS_SSID0 = 2 };
enum smmu_eats { SMMU_EATS_ABT = 0, SMMU_EATS_TRANS = 1, SMMU_EATS_S1CHK = 2 };
enum smmu_strw { SMMU_STRW_NSEL1 = 0, SMMU_STRW_EL2 = 2 };
enum smmu_shcfg { SMMU_SHCFG_NSH = 0, SMMU_SHCFG_INCOMING = 1,
		  SMMU_SHCFG_OSH = 2, SMMU_SHCFG_ISH = 3 };
enum smmu_privcfg { SMMU_PRIVCFG_INCOMING = 0, SMMU_PRIVCFG_UNPRIV = 2,
		    SMMU_PRIVCFG_PRIV = 3 };
enum smmu_instcfg { SMMU_INSTCFG_INCOMING = 0, SMMU_INSTCFG_DATA = 2,
		    SMMU_INSTCFG_INSTR = 3 };

/* STE dword 2 */
#define SMMU_STE2_S2VMID   SMMU_GENMASK(15, 0)
#define SMMU_STE2_IMPDEF   SMMU_GENMASK(31, 16)
#define SMMU_STE2_VTCR     SMMU_GENMASK(50, 32)
#define SMMU_STE2_S2T0SZ   SMMU_GENMASK(37, 32)
#define SMMU_STE2_S2SL0    SMMU_GENMASK(39, 38)
#define SMMU_STE2_S2IR0    SMMU_GENMASK(41, 40)
#define SMMU_STE2_S2OR0    SMMU_GENMASK(43, 42)
#define SMMU_STE2_S2SH0    SMMU_GENMASK(45, 44)
#define SMMU_STE2_S2TG     SMMU_GENMASK(47, 46)
#define SMMU_STE2_S2PS     SMMU_GENMASK(50, 48)
#define SMMU_STE2_S2AA64   SMMU_BIT(51)
#define SMMU_STE2_S2ENDI   SMMU_BIT(52)
#define SMMU_STE2_S2AFFD   SMMU_BIT(53)
#define SMMU_STE2_S2PTW    SMMU_BIT(54)
#define SMMU_STE2_S2HD     SMMU_BIT(55)
#define SMMU_STE2_S2HA     SMMU_BIT(56)
#define SMMU_STE2_S2S      SMMU_BIT(57)
#define SMMU_STE2_S2R      SMMU_BIT(58)
#define SMMU_STE2_S2HAFT   SMMU_BIT(59)
#define SMMU_STE2_S2PIE    SMMU_BIT(60)
#define SMMU_STE2_S2POE    SMMU_BIT(61)
#define SMMU_STE2_DPT_VMATCH SMMU_GENMASK(63, 62)
/* STE.S2TG granule encodings (the same as CD.TG0; CD.TG1 differs) */
enum smmu_s2tg { SMMU_S2TG_4K = 0, SMMU_S2TG_64K = 1, SMMU_S2TG_16K = 2 };

/* STE dword 3.  S2TTB is [55:4] for VMSAv9-128, [51:4] otherwise. */
#define SMMU_STE3_S2NSW    SMMU_BIT(0)  /* Secure STEs only */
#define SMMU_STE3_S2NSA    SMMU_BIT(1)  /* Secure STEs only */
#define SMMU_STE3_S2SL0_2  SMMU_BIT(2)
#define SMMU_STE3_S2DS     SMMU_BIT(3)
#define SMMU_STE3_S2TTB    SMMU_GENMASK(55, 4)
#define SMMU_STE3_S2SKL    SMMU_GENMASK(62, 61)

/* ------------------------------------------------------------------ */
/* Context descriptors                                                 */
/* ------------------------------------------------------------------ */
/* Level-1 CD descriptor */
#define SMMU_L1CD_V     SMMU_BIT(0)
#define SMMU_L1CD_L2PTR SMMU_GENMASK(55, 12)

/* CD dword 0 */
#define SMMU_CD0_T0SZ  SMMU_GENMASK(5, 0)
#define SMMU_CD0_TG0   SMMU_GENMASK(7, 6)
#define SMMU_CD0_IR0   SMMU_GENMASK(9, 8)
#define SMMU_CD0_OR0   SMMU_GENMASK(11, 10)
#define SMMU_CD0_SH0   SMMU_GENMASK(13, 12)
#define SMMU_CD0_EPD0  SMMU_BIT(14)
#define SMMU_CD0_ENDI  SMMU_BIT(15)
#define SMMU_CD0_T1SZ  SMMU_GENMASK(21, 16)
#define SMMU_CD0_TG1   SMMU_GENMASK(23, 22)
#define SMMU_CD0_IR1   SMMU_GENMASK(25, 24)
#define SMMU_CD0_OR1   SMMU_GENMASK(27, 26)
#define SMMU_CD0_SH1   SMMU_GENMASK(29, 28)
#define SMMU_CD0_EPD1  SMMU_BIT(30)
#define SMMU_CD0_V     SMMU_BIT(31)
#define SMMU_CD0_IPS   SMMU_GENMASK(34, 32)
#define SMMU_CD0_AFFD  SMMU_BIT(35)
#define SMMU_CD0_WXN   SMMU_BIT(36)
#define SMMU_CD0_UWXN  SMMU_BIT(37)
#define SMMU_CD0_TBI   SMMU_GENMASK(39, 38)
#define SMMU_CD0_TBI0  SMMU_BIT(38)
#define SMMU_CD0_TBI1  SMMU_BIT(39)
#define SMMU_CD0_PAN   SMMU_BIT(40)
#define SMMU_CD0_AA64  SMMU_BIT(41)
#define SMMU_CD0_HD    SMMU_BIT(42)
#define SMMU_CD0_HA    SMMU_BIT(43)
#define SMMU_CD0_S     SMMU_BIT(44)
#define SMMU_CD0_R     SMMU_BIT(45)
#define SMMU_CD0_A     SMMU_BIT(46)
#define SMMU_CD0_ASET  SMMU_BIT(47)
#define SMMU_CD0_ASID  SMMU_GENMASK(63, 48)
/* The TCR-like part of dword 0 the driver fills from io-pgtable. */
#define SMMU_CD0_TCR_TTB0 (SMMU_CD0_T0SZ | SMMU_CD0_TG0 | SMMU_CD0_IR0 | \
			   SMMU_CD0_OR0 | SMMU_CD0_SH0)
/* CD.TG0 and CD.TG1 encode granules differently. */
enum smmu_cd_tg0 { SMMU_TG0_4K = 0, SMMU_TG0_64K = 1, SMMU_TG0_16K = 2 };
enum smmu_cd_tg1 { SMMU_TG1_16K = 1, SMMU_TG1_4K = 2, SMMU_TG1_64K = 3 };

/* CD dword 1 / 2 */
#define SMMU_CD1_NSCFG0 SMMU_BIT(0)
#define SMMU_CD1_HAD0   SMMU_BIT(1)
#define SMMU_CD1_E0PD0  SMMU_BIT(2)
#define SMMU_CD1_HAFT   SMMU_BIT(3)
#define SMMU_CD1_TTB0   SMMU_GENMASK(55, 4) /* [51:4] unless VMSAv9-128 */
#define SMMU_CD1_PNCH   SMMU_BIT(58)
#define SMMU_CD1_EPAN   SMMU_BIT(59)
#define SMMU_CD1_HWU0   SMMU_GENMASK(63, 60) /* [63:62] are SKL0 with D128 */
#define SMMU_CD2_NSCFG1 SMMU_BIT(0)
#define SMMU_CD2_HAD1   SMMU_BIT(1)
#define SMMU_CD2_E0PD1  SMMU_BIT(2)
#define SMMU_CD2_AIE    SMMU_BIT(3)
#define SMMU_CD2_TTB1   SMMU_GENMASK(55, 4)
#define SMMU_CD2_DS     SMMU_BIT(58)
#define SMMU_CD2_PIE    SMMU_BIT(59)
#define SMMU_CD2_HWU1   SMMU_GENMASK(63, 60)
/* CD dword 3 = MAIR, dword 4 = AMAIR: whole words. */
#define SMMU_CD_MAIR_DWORD  3u
#define SMMU_CD_AMAIR_DWORD 4u
/* CD dwords 5..7 */
#define SMMU_CD5_IMPDEF SMMU_GENMASK(31, 0)
#define SMMU_CD5_PARTID SMMU_GENMASK(47, 32)
#define SMMU_CD5_PMG    SMMU_GENMASK(55, 48)
#define SMMU_CD6_PIIU   SMMU_GENMASK(47, 0) /* 16 x 3-bit unprivileged */
#define SMMU_CD7_PIIP   SMMU_GENMASK(47, 0) /* 16 x 3-bit privileged */

/* ------------------------------------------------------------------ */
/* Event records                                                       */
/* ------------------------------------------------------------------ */
enum smmu_event_id {
	SMMU_EVT_F_UUT              = 0x01,
	SMMU_EVT_C_BAD_STREAMID     = 0x02,
	SMMU_EVT_F_STE_FETCH        = 0x03,
	SMMU_EVT_C_BAD_STE          = 0x04,
	SMMU_EVT_F_BAD_ATS_TREQ     = 0x05,
	SMMU_EVT_F_STREAM_DISABLED  = 0x06,
	SMMU_EVT_F_TRANSL_FORBIDDEN = 0x07,
	SMMU_EVT_C_BAD_SUBSTREAMID  = 0x08,
	SMMU_EVT_F_CD_FETCH         = 0x09,
	SMMU_EVT_C_BAD_CD           = 0x0a,
	SMMU_EVT_F_WALK_EABT        = 0x0b,
	SMMU_EVT_F_TRANSLATION      = 0x10,
	SMMU_EVT_F_ADDR_SIZE        = 0x11,
	SMMU_EVT_F_ACCESS           = 0x12,
	SMMU_EVT_F_PERMISSION       = 0x13,
	SMMU_EVT_F_TLB_CONFLICT     = 0x20,
	SMMU_EVT_F_CFG_CONFLICT     = 0x21,
	SMMU_EVT_E_PAGE_REQUEST     = 0x24,
	SMMU_EVT_F_VMS_FETCH        = 0x25,
	SMMU_EVT_IMPDEF_FIRST       = 0xe0,
	SMMU_EVT_IMPDEF_LAST        = 0xef,
};

#define SMMU_EVT0_ID     SMMU_GENMASK(7, 0)
#define SMMU_EVT0_SSV    SMMU_BIT(11)
#define SMMU_EVT0_SSID   SMMU_GENMASK(31, 12)
#define SMMU_EVT0_SID    SMMU_GENMASK(63, 32)
#define SMMU_EVT1_STAG   SMMU_GENMASK(15, 0)
#define SMMU_EVT1_STALL  SMMU_BIT(31)
#define SMMU_EVT1_PNU    SMMU_BIT(33)
#define SMMU_EVT1_IND    SMMU_BIT(34)
#define SMMU_EVT1_RNW    SMMU_BIT(35)
#define SMMU_EVT1_NSIPA  SMMU_BIT(38)
#define SMMU_EVT1_S2     SMMU_BIT(39)
#define SMMU_EVT1_CLASS  SMMU_GENMASK(41, 40)
#define SMMU_EVT1_TTRNW  SMMU_BIT(44)
/* dword 2 is the whole input address */
#define SMMU_EVT3_FETCH_ADDR SMMU_GENMASK(55, 3)
#define SMMU_EVT3_IPA        SMMU_GENMASK(55, 12)
enum smmu_evt_class { SMMU_EVT_CLASS_CD = 0, SMMU_EVT_CLASS_TT = 1,
		      SMMU_EVT_CLASS_IN = 2 };

/* ------------------------------------------------------------------ */
/* PRI queue records (PCIe page requests)                              */
/* ------------------------------------------------------------------ */
#define SMMU_PRI0_SID   SMMU_GENMASK(31, 0)
#define SMMU_PRI0_SSID  SMMU_GENMASK(51, 32)
#define SMMU_PRI0_PRIV  SMMU_BIT(58)
#define SMMU_PRI0_EXEC  SMMU_BIT(59)
#define SMMU_PRI0_READ  SMMU_BIT(60)
#define SMMU_PRI0_WRITE SMMU_BIT(61)
#define SMMU_PRI0_LAST  SMMU_BIT(62)
#define SMMU_PRI0_SSV   SMMU_BIT(63)
#define SMMU_PRI1_GRPID SMMU_GENMASK(8, 0)
#define SMMU_PRI1_ADDR  SMMU_GENMASK(63, 12)

/* ------------------------------------------------------------------ */
/* AArch64 VMSA long-descriptor translation tables (stage 1 and 2)     */
/* ------------------------------------------------------------------ */
#define SMMU_PTE_VALID     SMMU_BIT(0)
#define SMMU_PTE_TYPE      SMMU_BIT(1)   /* 1: table (levels 0-2) or page (level 3) */
#define SMMU_PTE_ATTRINDX  SMMU_GENMASK(4, 2)   /* stage 1 */
#define SMMU_PTE_NS        SMMU_BIT(5)
#define SMMU_PTE_AP        SMMU_GENMASK(7, 6)   /* stage 1: AP[2:1] */
#define SMMU_PTE_AP_RDONLY SMMU_BIT(7)          /* AP[2] */
#define SMMU_PTE_AP_UNPRIV SMMU_BIT(6)          /* AP[1]: EL0 access */
#define SMMU_PTE_S2_MEMATTR SMMU_GENMASK(5, 2)  /* stage 2 */
#define SMMU_PTE_S2AP      SMMU_GENMASK(7, 6)   /* stage 2: bit 6 read, bit 7 write */
#define SMMU_PTE_S2AP_READ  SMMU_BIT(6)
#define SMMU_PTE_S2AP_WRITE SMMU_BIT(7)
#define SMMU_PTE_SH        SMMU_GENMASK(9, 8)
#define SMMU_PTE_AF        SMMU_BIT(10)
#define SMMU_PTE_NG        SMMU_BIT(11)
#define SMMU_PTE_OA        SMMU_GENMASK(47, 12) /* 48-bit output address */
#define SMMU_PTE_OA_52_HI  SMMU_GENMASK(15, 12) /* OA[51:48] with 64K granule */
#define SMMU_PTE_OA_52_HI_SHIFT 48u             /* where OA_52_HI lands in the OA */
#define SMMU_PTE_DBM       SMMU_BIT(51)
#define SMMU_PTE_CONT      SMMU_BIT(52)
#define SMMU_PTE_PXN       SMMU_BIT(53)
#define SMMU_PTE_UXN       SMMU_BIT(54)         /* XN at stage 1 EL2, UXN at EL1 */
#define SMMU_PTE_XN        SMMU_PTE_UXN         /* one-Exception-level regimes (EL2) */
#define SMMU_PTE_S2_XN     SMMU_GENMASK(54, 53)
/*
 * S2 XN[1:0]: 0b10 forbids execution with or without FEAT_XNX; with
 * IDR3.XNX, 0b01 forbids it at EL1 only and 0b11 at EL0 only.  Without
 * XNX, XN[0] is ignored.
 */
enum smmu_s2_xn { SMMU_S2_XN_EXEC = 0, SMMU_S2_XN_PXN = 1, SMMU_S2_XN_NEVER = 2,
		  SMMU_S2_XN_UXN = 3 };
#define SMMU_S2_XN_HI      0x2u /* XN[1], the bit that counts without XNX */
/* S2 MemAttr[3:0] encodings (without FWB) */
enum smmu_s2_memattr { SMMU_S2_MEMATTR_DEVICE_NGNRE = 0x1,
		       SMMU_S2_MEMATTR_NC = 0x5, SMMU_S2_MEMATTR_WB = 0xf };
/* Stage-2 MemAttr[3:2] == 0 is Device memory (S2PTW faults walks to it). */
#define SMMU_S2_MEMATTR_TYPE SMMU_GENMASK(3, 2)
/* Table descriptor attribute overrides (hierarchical permissions) */
#define SMMU_PTE_TBL_PXN   SMMU_BIT(59)
#define SMMU_PTE_TBL_UXN   SMMU_BIT(60)
#define SMMU_PTE_TBL_XN    SMMU_PTE_TBL_UXN     /* XNTable in one-EL regimes (EL2) */
#define SMMU_PTE_TBL_AP    SMMU_GENMASK(62, 61)
#define SMMU_PTE_TBL_NS    SMMU_BIT(63)
#define SMMU_PTE_TBL_ATTRS SMMU_GENMASK(63, 59) /* NSTable, APTable, XNTables */
#define SMMU_PTE_TBL_ADDR  SMMU_GENMASK(47, 12)
#define SMMU_PTE_TBL_AP_NO_UNPRIV SMMU_BIT(61) /* APTable[0]: no EL0 access below */
#define SMMU_PTE_TBL_AP_RDONLY    SMMU_BIT(62) /* APTable[1]: no write below */

/* Bits translated per level: granule log2 - 3 (each descriptor is 8 bytes). */
#define SMMU_PTE_SIZE_LOG2 3u
#define SMMU_GRANULE_4K_LOG2  12u
#define SMMU_GRANULE_16K_LOG2 14u
#define SMMU_GRANULE_64K_LOG2 16u
#define SMMU_MAX_LEVELS 4u /* levels 0..3 (level -1 with DS is not modelled) */
#define SMMU_LAST_LEVEL 3
/* A stage-2 walk may start with up to 16 concatenated tables. */
#define SMMU_S2_MAX_CONCAT_LOG2 4u
/*
 * VTCR.SL0 (STE.S2SL0) for a stage-2 walk starting at start_level: with a
 * 4 KiB granule 0/1/2 start at level 2/1/0; with 16 KiB and 64 KiB
 * granules 0/1/2 start at level 3/2/1.  -1 when the start level has no
 * encoding (level 3 with 4K, level 0 with 16K/64K).
 */
static inline int smmu_s2sl0_encode(unsigned granule_log2, unsigned start_level)
{
	unsigned deepest = granule_log2 == SMMU_GRANULE_4K_LOG2 ? 2u : 3u;

	if (start_level > deepest || deepest - start_level > 2u)
		return -1;
	return (int)(deepest - start_level);
}
/* The inverse: the start level S2SL0 selects, or -1 (SL0 = 3 needs DS). */
static inline int smmu_s2sl0_decode(unsigned granule_log2, unsigned sl0)
{
	unsigned deepest = granule_log2 == SMMU_GRANULE_4K_LOG2 ? 2u : 3u;

	return sl0 > 2u ? -1 : (int)(deepest - sl0);
}
/* Widest input address a VMSAv8-64 walk resolves (52-bit VA/IPA). */
#define SMMU_IA_BITS_MAX 52u
/* VA[55] selects TTB0/TTB1; with TBI the top byte VA[63:56] is ignored. */
#define SMMU_VA_SELECT_BIT  55u
#define SMMU_VA_TOP_BYTE_SHIFT 56u
/* A translation table is aligned to its size, and to at least 64 bytes. */
#define SMMU_TABLE_MIN_ALIGN 64u

/* MAIR attribute values the driver uses (AttrIndx slots) */
#define SMMU_MAIR_ATTR_DEVICE_NGNRE 0x04u
#define SMMU_MAIR_ATTR_NC           0x44u
#define SMMU_MAIR_ATTR_WBRWA        0xffu
#define SMMU_MAIR_ATTR_BITS         8u

#endif /* SMMU_ARCH_H */

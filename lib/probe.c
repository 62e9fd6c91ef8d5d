/*
 * Probe, reset and removal of one SMMU, and its global error handler.
 *
 * Concepts: probe reads IDR0/1/3/5 and IIDR into struct smmu_features and
 * refuses, with a log line naming the reason, an SMMU the driver cannot
 * drive (no AArch64 tables, no translation stage, an embedded
 * implementation with preset tables or queues, table endianness the host
 * cannot write, a command queue too small for a batch and its CMD_SYNC).
 * It then builds the queues and the stream table and runs the kernel's
 * reset order (linux-driver.md 5.5): every CR0 and IRQ_CTRL write waits
 * for its ACK register and a silent SMMU gives -ETIMEDOUT.  GERROR is
 * handled here because it belongs to the whole device: active errors are
 * GERROR ^ GERRORN, acknowledged by writing GERROR to GERRORN.
 */
#include <errno.h>
#include <stdlib.h>

#include "cmdq.h"
#include "dev.h"
#include "log.h"
#include "master.h"
#include "queue_rx.h"
#include "strtab.h"

#define SZ_4K   (UINT64_C(1) << 12)
#define SZ_16K  (UINT64_C(1) << 14)
#define SZ_64K  (UINT64_C(1) << 16)
#define SZ_2M   (UINT64_C(1) << 21)
#define SZ_32M  (UINT64_C(1) << 25)
#define SZ_512M (UINT64_C(1) << 29)
#define SZ_1G   (UINT64_C(1) << 30)
#define SMMU_IAS_VAX52 52u
#define SMMU_IAS_DEFAULT 48u
#define SMMU_VAX_52 1u
#define SMMU_BBML_2 2u
#define SMMU_BIT_WIDTH_8 8u
#define SMMU_BIT_WIDTH_16 16u

/* ---- ID registers ------------------------------------------------------ */

static bool host_tables_ok(unsigned ttendian)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return ttendian == SMMU_TTENDIAN_MIXED || ttendian == SMMU_TTENDIAN_LE;
#else
	return ttendian == SMMU_TTENDIAN_MIXED || ttendian == SMMU_TTENDIAN_BE;
#endif
}

static int probe_idr0(struct smmu_dev *dev, uint32_t idr0)
{
	struct smmu_features *f = &dev->feat;
	unsigned ttf = (unsigned)SMMU_FIELD_GET(SMMU_IDR0_TTF, idr0);
	unsigned httu = (unsigned)SMMU_FIELD_GET(SMMU_IDR0_HTTU, idr0);
	unsigned stall = (unsigned)SMMU_FIELD_GET(SMMU_IDR0_STALL_MODEL, idr0);
	unsigned endian = (unsigned)SMMU_FIELD_GET(SMMU_IDR0_TTENDIAN, idr0);

	f->trans_s1 = idr0 & SMMU_IDR0_S1P;
	f->trans_s2 = idr0 & SMMU_IDR0_S2P;
	if (!f->trans_s1 && !f->trans_s2) {
		smmu_err(dev, "IDR0 0x%08x: no translation stage supported", idr0);
		return -ENODEV;
	}
	if (ttf != SMMU_TTF_AARCH64 && ttf != SMMU_TTF_BOTH) {
		smmu_err(dev, "IDR0.TTF %u: AArch64 table format not supported", ttf);
		return -ENODEV;
	}
	if (!host_tables_ok(endian)) {
		smmu_err(dev, "IDR0.TTENDIAN %u: the SMMU cannot read the host's byte order",
			 endian);
		return -ENODEV;
	}
	f->nesting = f->trans_s1 && f->trans_s2;
	f->coherent = idr0 & SMMU_IDR0_COHACC;
	f->btm = idr0 & SMMU_IDR0_BTM;
	f->ha = httu == SMMU_HTTU_HA || httu == SMMU_HTTU_HA_HD;
	f->hd = httu == SMMU_HTTU_HA_HD;
	f->hyp = idr0 & SMMU_IDR0_HYP;
	f->ats = idr0 & SMMU_IDR0_ATS;
	f->asid_bits = idr0 & SMMU_IDR0_ASID16 ? SMMU_BIT_WIDTH_16 : SMMU_BIT_WIDTH_8;
	f->msi = idr0 & SMMU_IDR0_MSI;
	f->sev = idr0 & SMMU_IDR0_SEV;
	f->pri = idr0 & SMMU_IDR0_PRI;
	f->vmid_bits = idr0 & SMMU_IDR0_VMID16 ? SMMU_BIT_WIDTH_16 : SMMU_BIT_WIDTH_8;
	f->cd2l = idr0 & SMMU_IDR0_CD2L;
	f->stalls = stall == SMMU_STALL_MODEL_STALL_TERM ||
		    stall == SMMU_STALL_MODEL_STALL_FORCE;
	f->stall_force = stall == SMMU_STALL_MODEL_STALL_FORCE;
	f->st_2lvl = SMMU_FIELD_GET(SMMU_IDR0_ST_LEVEL, idr0) == SMMU_ST_LEVEL_2LVL;
	return 0;
}

static unsigned queue_log2(uint32_t idr1, uint64_t field)
{
	unsigned log2 = (unsigned)SMMU_FIELD_GET(field, idr1);

	return log2 < SMMU_QUEUE_LOG2_MAX ? log2 : SMMU_QUEUE_LOG2_MAX;
}

static int probe_idr1(struct smmu_dev *dev, uint32_t idr1)
{
	struct smmu_features *f = &dev->feat;

	if (idr1 & (SMMU_IDR1_REL | SMMU_IDR1_QUEUES_PRESET | SMMU_IDR1_TABLES_PRESET)) {
		smmu_err(dev, "IDR1 0x%08x: embedded implementation (REL/preset tables or queues) not supported",
			 idr1);
		return -ENODEV;
	}
	f->cmdq_log2 = queue_log2(idr1, SMMU_IDR1_CMDQS);
	if (f->cmdq_log2 <= smmu_ilog2(SMMU_CMDQ_BATCH_MAX)) {
		smmu_err(dev, "IDR1.CMDQS %u: a command queue of %u entries cannot hold a batch and its CMD_SYNC",
			 f->cmdq_log2, 1u << f->cmdq_log2);
		return -ENODEV;
	}
	f->evtq_log2 = queue_log2(idr1, SMMU_IDR1_EVENTQS);
	f->priq_log2 = queue_log2(idr1, SMMU_IDR1_PRIQS);
	f->sid_bits = (unsigned)SMMU_FIELD_GET(SMMU_IDR1_SIDSIZE, idr1);
	f->ssid_bits = (unsigned)SMMU_FIELD_GET(SMMU_IDR1_SSIDSIZE, idr1);
	if (f->sid_bits > SMMU_SIDSIZE_MAX || f->ssid_bits > SMMU_SSIDSIZE_MAX) {
		smmu_err(dev, "IDR1 0x%08x: SIDSIZE %u / SSIDSIZE %u out of range", idr1,
			 f->sid_bits, f->ssid_bits);
		return -ENODEV;
	}
	f->attr_types_ovr = idr1 & SMMU_IDR1_ATTR_TYPES_OVR;
	return 0;
}

static void probe_idr3(struct smmu_dev *dev, uint32_t idr3)
{
	dev->feat.fwb = idr3 & SMMU_IDR3_FWB;
	dev->feat.ril = idr3 & SMMU_IDR3_RIL;
	dev->feat.bbml2 = SMMU_FIELD_GET(SMMU_IDR3_BBML, idr3) == SMMU_BBML_2;
}

static int probe_idr5(struct smmu_dev *dev, uint32_t idr5)
{
	struct smmu_features *f = &dev->feat;
	unsigned oas = (unsigned)SMMU_FIELD_GET(SMMU_IDR5_OAS, idr5);

	f->pgsize_bitmap = 0;
	if (idr5 & SMMU_IDR5_GRAN4K)
		f->pgsize_bitmap |= SZ_4K | SZ_2M | SZ_1G;
	if (idr5 & SMMU_IDR5_GRAN16K)
		f->pgsize_bitmap |= SZ_16K | SZ_32M;
	if (idr5 & SMMU_IDR5_GRAN64K)
		f->pgsize_bitmap |= SZ_64K | SZ_512M;
	if (!f->pgsize_bitmap) {
		smmu_err(dev, "IDR5 0x%08x: no translation granule supported", idr5);
		return -ENODEV;
	}
	f->oas_bits = smmu_oas_bits(oas);
	if (!f->oas_bits || oas > SMMU_OAS_52) {
		smmu_warn(dev, "IDR5.OAS %u unknown: assuming 48 bits", oas);
		f->oas_bits = smmu_oas_bits(SMMU_OAS_48);
	}
	f->ias_bits = SMMU_FIELD_GET(SMMU_IDR5_VAX, idr5) == SMMU_VAX_52 ? SMMU_IAS_VAX52
									 : SMMU_IAS_DEFAULT;
	f->stall_max = (unsigned)SMMU_FIELD_GET(SMMU_IDR5_STALL_MAX, idr5);
	return 0;
}

static int smmu_hw_probe(struct smmu_dev *dev)
{
	int ret = probe_idr0(dev, smmu_read32(dev, SMMU_IDR0));

	if (!ret)
		ret = probe_idr1(dev, smmu_read32(dev, SMMU_IDR1));
	if (ret)
		return ret;
	probe_idr3(dev, smmu_read32(dev, SMMU_IDR3));
	ret = probe_idr5(dev, smmu_read32(dev, SMMU_IDR5));
	dev->feat.iidr = smmu_read32(dev, SMMU_IIDR);
	return ret;
}

/* ---- Register handshakes ----------------------------------------------- */

static int poll_reg(struct smmu_dev *dev, uint64_t off, uint32_t mask,
		    uint32_t want, const char *what)
{
	struct smmu_poll poll;

	smmu_poll_init(&poll, dev, false);
	while ((smmu_read32(dev, off) & mask) != want) {
		if (smmu_poll_wait(&poll)) {
			smmu_err(dev, "timeout waiting for %s (0x%x, want 0x%x)", what,
				 smmu_read32(dev, off), want);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

static int write_reg_sync(struct smmu_dev *dev, uint64_t off, uint64_t ack_off,
			  uint32_t val, const char *what)
{
	smmu_write32(dev, off, val);
	return poll_reg(dev, ack_off, UINT32_MAX, val, what);
}

static int write_cr0(struct smmu_dev *dev, uint32_t val)
{
	return write_reg_sync(dev, SMMU_CR0, SMMU_CR0ACK, val, "CR0ACK");
}

static int gbpa_update(struct smmu_dev *dev, uint32_t set, uint32_t clr)
{
	uint32_t gbpa;
	int ret = poll_reg(dev, SMMU_GBPA, (uint32_t)SMMU_GBPA_UPDATE, 0, "GBPA.UPDATE");

	if (ret)
		return ret;
	gbpa = (smmu_read32(dev, SMMU_GBPA) & ~clr) | set;
	smmu_write32(dev, SMMU_GBPA, gbpa | (uint32_t)SMMU_GBPA_UPDATE);
	return poll_reg(dev, SMMU_GBPA, (uint32_t)SMMU_GBPA_UPDATE, 0, "GBPA.UPDATE");
}

/* ---- Reset ------------------------------------------------------------- */

static int reset_tables_and_cmdq(struct smmu_dev *dev)
{
	smmu_write32(dev, SMMU_CR1,
		     (uint32_t)(SMMU_FIELD_PREP(SMMU_CR1_TABLE_SH, SMMU_SH_ISH) |
				SMMU_FIELD_PREP(SMMU_CR1_TABLE_OC, SMMU_CACHE_WB) |
				SMMU_FIELD_PREP(SMMU_CR1_TABLE_IC, SMMU_CACHE_WB) |
				SMMU_FIELD_PREP(SMMU_CR1_QUEUE_SH, SMMU_SH_ISH) |
				SMMU_FIELD_PREP(SMMU_CR1_QUEUE_OC, SMMU_CACHE_WB) |
				SMMU_FIELD_PREP(SMMU_CR1_QUEUE_IC, SMMU_CACHE_WB)));
	smmu_write32(dev, SMMU_CR2, (uint32_t)(SMMU_CR2_PTM | SMMU_CR2_RECINVSID |
					       (dev->feat.e2h ? SMMU_CR2_E2H : 0)));
	smmu_write64(dev, SMMU_STRTAB_BASE, smmu_strtab_base_reg(dev));
	smmu_write32(dev, SMMU_STRTAB_BASE_CFG, smmu_strtab_base_cfg(dev));
	smmu_write64(dev, SMMU_CMDQ_BASE, smmu_queue_base_reg(smmu_cmdq_queue(dev)));
	smmu_write32(dev, SMMU_CMDQ_PROD, 0);
	smmu_write32(dev, SMMU_CMDQ_CONS, 0);
	return write_cr0(dev, (uint32_t)SMMU_CR0_CMDQEN);
}

/* Whatever firmware or a previous user left cached goes, each with a SYNC. */
static int reset_invalidate_all(struct smmu_dev *dev)
{
	struct smmu_cmd cmd;
	int ret;

	smmu_cmd_cfgi_all(&cmd);
	ret = smmu_cmdq_issue(dev, &cmd, 1, true);
	if (!ret && dev->feat.hyp) {
		smmu_cmd_tlbi_tag(&cmd, SMMU_CMD_TLBI_EL2_ALL, 0, 0);
		ret = smmu_cmdq_issue(dev, &cmd, 1, true);
	}
	if (!ret) {
		smmu_cmd_tlbi_tag(&cmd, SMMU_CMD_TLBI_NSNH_ALL, 0, 0);
		ret = smmu_cmdq_issue(dev, &cmd, 1, true);
	}
	return ret;
}

/* Wired interrupts only: the MSI address registers are cleared. */
static int reset_irqs(struct smmu_dev *dev)
{
	uint32_t irqs = (uint32_t)(SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN);
	int ret = write_reg_sync(dev, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, 0, "IRQ_CTRLACK");

	if (ret)
		return ret;
	smmu_write64(dev, SMMU_GERROR_IRQ_CFG0, 0);
	smmu_write64(dev, SMMU_EVENTQ_IRQ_CFG0, 0);
	if (dev->feat.pri) {
		smmu_write64(dev, SMMU_PRIQ_IRQ_CFG0, 0);
		irqs |= (uint32_t)SMMU_IRQ_CTRL_PRIQ_IRQEN;
	}
	return write_reg_sync(dev, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, irqs, "IRQ_CTRLACK");
}

static int smmu_device_reset(struct smmu_dev *dev)
{
	uint32_t enables = (uint32_t)SMMU_CR0_CMDQEN;
	int ret = 0;

	if (smmu_read32(dev, SMMU_CR0) & SMMU_CR0_SMMUEN) {
		smmu_warn(dev, "SMMU already enabled: aborting incoming traffic during reset");
		ret = gbpa_update(dev, (uint32_t)SMMU_GBPA_ABORT, 0);
	}
	if (!ret)
		ret = write_cr0(dev, 0);
	if (!ret)
		ret = reset_tables_and_cmdq(dev);
	if (!ret)
		ret = reset_invalidate_all(dev);
	if (ret)
		return ret;
	smmu_evtq_reset(dev);
	enables |= (uint32_t)SMMU_CR0_EVENTQEN;
	ret = write_cr0(dev, enables);
	if (!ret && dev->feat.pri) {
		smmu_priq_reset(dev);
		enables |= (uint32_t)SMMU_CR0_PRIQEN;
		ret = write_cr0(dev, enables);
	}
	if (!ret && dev->feat.ats) {
		enables |= (uint32_t)SMMU_CR0_ATSCHK;
		ret = write_cr0(dev, enables);
	}
	if (!ret)
		ret = reset_irqs(dev);
	if (!ret)
		ret = write_cr0(dev, enables | (uint32_t)SMMU_CR0_SMMUEN);
	return ret;
}

/* ---- GERROR ------------------------------------------------------------ */

void smmu_dev_report(const struct smmu_dev *dev, const struct smmu_dev_error *err)
{
	if (dev->opts.error)
		dev->opts.error(dev->opts.opaque, err);
}

static uint32_t gerror_active(const struct smmu_dev *dev, uint32_t *gerror)
{
	*gerror = smmu_read32(dev, SMMU_GERROR);
	return (*gerror ^ smmu_read32(dev, SMMU_GERRORN)) & (uint32_t)SMMU_GERROR_ERR_MASK;
}

static unsigned gerror_handle(void *arg)
{
	struct smmu_dev *dev = arg;
	struct smmu_dev_error err = { .kind = SMMU_DEV_ERR_GERROR };
	uint32_t gerror, active = gerror_active(dev, &gerror);

	if (!active)
		return 0;
	err.value = active;
	smmu_warn(dev, "global error 0x%08x active", active);
	if (active & SMMU_GERROR_SFM_ERR) {
		smmu_err(dev, "the SMMU entered Service Failure Mode: disabling it");
		write_cr0(dev, 0);
	}
	if (active & (SMMU_GERROR_EVENTQ_ABT_ERR | SMMU_GERROR_PRIQ_ABT_ERR))
		smmu_err(dev, "event or PRI queue write aborted: records may be lost");
	if (active & (SMMU_GERROR_MSI_CMDQ_ABT_ERR | SMMU_GERROR_MSI_EVENTQ_ABT_ERR |
		      SMMU_GERROR_MSI_PRIQ_ABT_ERR | SMMU_GERROR_MSI_GERROR_ABT_ERR))
		smmu_warn(dev, "MSI write aborted (GERROR 0x%08x)", active);
	smmu_dev_report(dev, &err);
	if ((active & SMMU_GERROR_CMDQ_ERR) && dev->cmdq)
		smmu_cmdq_skip_err(dev);
	smmu_write32(dev, SMMU_GERRORN, gerror);
	return 1;
}

void smmu_dev_handle_gerror(struct smmu_dev *dev)
{
	uint32_t gerror;

	/* Cheap check first: waiters call this on every poll. */
	if (gerror_active(dev, &gerror))
		smmu_worker_run(&dev->gerror, gerror_handle, dev);
}

/* ---- Public entry points ----------------------------------------------- */

static bool platform_ok(const struct smmu_platform *plat)
{
	return plat && plat->read32 && plat->read64 && plat->write32 &&
	       plat->write64 && plat->dma_alloc && plat->dma_free;
}

static void dev_free_structures(struct smmu_dev *dev)
{
	smmu_attach_dev_fini(dev);
	smmu_strtab_free(dev);
	smmu_queue_rx_free(dev);
	smmu_cmdq_free(dev);
	smmu_worker_destroy(&dev->gerror);
	free(dev);
}

static int dev_init_structures(struct smmu_dev *dev)
{
	int ret = smmu_cmdq_init(dev);

	if (!ret)
		ret = smmu_evtq_init(dev);
	if (!ret && dev->feat.pri)
		ret = smmu_priq_init(dev);
	if (!ret)
		ret = smmu_strtab_init(dev);
	if (!ret)
		ret = smmu_attach_dev_init(dev);
	return ret;
}

int smmu_dev_probe(const struct smmu_platform *plat,
		   const struct smmu_dev_options *opts, struct smmu_dev **out)
{
	struct smmu_dev *dev;
	int ret;

	if (!out || !platform_ok(plat)) {
		smmu_err(NULL, "probe: %s", out ? "platform lacks an MMIO or DMA hook"
						: "no place for the device");
		return -EINVAL;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->plat = *plat;
	if (opts)
		dev->opts = *opts;
	smmu_worker_init(&dev->gerror);
	ret = smmu_hw_probe(dev);
	if (!ret)
		ret = dev_init_structures(dev);
	if (!ret)
		ret = smmu_device_reset(dev);
	if (ret) {
		dev_free_structures(dev);
		return ret;
	}
	*out = dev;
	return 0;
}

void smmu_dev_remove(struct smmu_dev *dev)
{
	if (!dev)
		return;
	/* Interrupts first, so the SMMU stops calling into a dying driver. */
	if (write_reg_sync(dev, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, 0, "IRQ_CTRLACK") ||
	    write_cr0(dev, 0))
		smmu_err(dev, "remove: the SMMU did not acknowledge being disabled");
	dev_free_structures(dev);
}

const struct smmu_features *smmu_dev_get_features(const struct smmu_dev *dev)
{
	return dev ? &dev->feat : NULL;
}

int smmu_dev_process_events(struct smmu_dev *dev)
{
	if (!dev)
		return -EINVAL;
	smmu_dev_handle_gerror(dev);
	return (int)(smmu_evtq_drain(dev) + smmu_priq_drain(dev));
}

int smmu_dev_handle_irq(struct smmu_dev *dev, enum smmu_dev_irq line)
{
	if (!dev)
		return -EINVAL;
	switch (line) {
	case SMMU_DEV_IRQ_EVENTQ:
		smmu_evtq_drain(dev);
		return 0;
	case SMMU_DEV_IRQ_PRIQ:
		smmu_priq_drain(dev);
		return 0;
	case SMMU_DEV_IRQ_CMD_SYNC:
		return 0; /* waiters poll their own CMD_SYNC */
	case SMMU_DEV_IRQ_GERROR:
		smmu_dev_handle_gerror(dev);
		return 0;
	default:
		smmu_warn(dev, "unknown interrupt line %d", (int)line);
		return -EINVAL;
	}
}

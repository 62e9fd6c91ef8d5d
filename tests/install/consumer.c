/*
 * A program outside the libsmmu tree, built by check-install.sh against
 * the installed headers and libraries only.
 *
 * Concepts: it exercises the model library's public memory API end to end
 * (simulated memory, aligned words, the DMA allocator and its host view)
 * and prints "ok"; any failure prints the failed step and exits 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <smmu/mem.h>

#define CHECK(cond)                                                   \
	do {                                                          \
		if (!(cond)) {                                        \
			fprintf(stderr, "consumer: failed: %s\n", #cond); \
			return 1;                                     \
		}                                                     \
	} while (0)

static int check_mem(struct smmu_mem *mem)
{
	uint64_t val = 0;

	CHECK(smmu_mem_write64(mem, 0xabc000, 0x0123456789abcdefull) == 0);
	CHECK(smmu_mem_read64(mem, 0xabc000, &val) == 0);
	CHECK(val == 0x0123456789abcdefull);
	CHECK(smmu_mem_read64(mem, SMMU_PA_LIMIT, &val) < 0);
	return 0;
}

static int check_dma(struct smmu_mem *mem)
{
	struct smmu_dma *dma = smmu_dma_new(mem, 0x100000, 0x100000);
	char seen[8] = { 0 };
	uint64_t bus;
	void *cpu;

	CHECK(dma != NULL);
	CHECK(smmu_dma_alloc(dma, 4096, 4096, &cpu, &bus) == 0);
	memcpy(cpu, "libsmmu", 8);
	CHECK(smmu_mem_read(mem, bus, seen, sizeof(seen)) == 0);
	CHECK(memcmp(seen, "libsmmu", 8) == 0);
	CHECK(smmu_mem_host_ptr(mem, bus, 8) == cpu);
	CHECK(smmu_dma_free(dma, bus) == 0);
	smmu_dma_free_all(dma);
	return 0;
}

int main(void)
{
	struct smmu_mem *mem = smmu_mem_new();
	int ret;

	CHECK(mem != NULL);
	ret = check_mem(mem) || check_dma(mem);
	smmu_mem_free(mem);
	if (!ret)
		puts("ok");
	return ret;
}

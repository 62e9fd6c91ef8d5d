/*
 * Unit tests for simulated physical memory and the DMA allocator.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <smmu/mem.h>

static void test_unwritten_reads_zero(void **state)
{
	struct smmu_mem *mem = smmu_mem_new();
	uint8_t buf[64];

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(smmu_mem_read(mem, 0x123456789000ull, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	smmu_mem_free(mem);
}

static void test_dma_visible_through_mem(void **state)
{
	struct smmu_mem *mem = smmu_mem_new();
	struct smmu_dma *dma = smmu_dma_new(mem, 0x40000000ull, 0x1000000ull);
	uint64_t bus, val;
	void *cpu;

	(void)state;
	assert_non_null(dma);
	assert_int_equal(smmu_dma_alloc(dma, 4096, 4096, &cpu, &bus), 0);
	((uint64_t *)cpu)[3] = 0x1122334455667788ull;
	assert_int_equal(smmu_mem_read64(mem, bus + 24, &val), 0);
	assert_int_equal(val, 0x1122334455667788ull);
	assert_ptr_equal(smmu_mem_host_ptr(mem, bus, 4096), cpu);
	assert_int_equal(smmu_dma_free(dma, bus), 0);
	smmu_dma_free_all(dma);
	smmu_mem_free(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unwritten_reads_zero),
		cmocka_unit_test(test_dma_visible_through_mem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#!/usr/bin/env python3
"""List every single-field mask of <smmu/arch.h> as a C table.

test_arch.c includes the output, so a field added to arch.h is tested
the moment it exists.  A mask is a #define whose value starts with
SMMU_BIT( or SMMU_GENMASK(; composites of several fields are skipped.
"""
import re
import sys

MASK = re.compile(r'^#define\s+(SMMU_\w+)\s+SMMU_(?:BIT|GENMASK)\(')


def main(src, dst):
    with open(src, encoding='utf-8') as f:
        names = [m.group(1) for m in map(MASK.match, f) if m]
    with open(dst, 'w', encoding='utf-8') as f:
        f.write('/* Generated from include/smmu/arch.h by gen_arch_masks.py. */\n')
        for name in names:
            f.write(f'\t{{ "{name}", {name} }},\n')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])

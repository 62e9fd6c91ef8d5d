/*
 * Symbol visibility for libsmmu's shared libraries.
 *
 * Both libraries build with -fvisibility=hidden and a linker version
 * script; SMMU_EXPORT marks the public entry points declared in the
 * installed headers.  Nothing else leaves a library.
 */
#ifndef SMMU_EXPORT_H
#define SMMU_EXPORT_H

#if defined(__GNUC__)
#define SMMU_EXPORT __attribute__((visibility("default")))
#else
#define SMMU_EXPORT
#endif

#endif /* SMMU_EXPORT_H */

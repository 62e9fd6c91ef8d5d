#!/bin/bash
# Install the build into a temporary destdir and use it as a user would.
#
# Concepts: run by `meson test --suite install` with the build and source
# directories (and the build's compiler and sanitizers).  It checks that
# the installed tree is complete and usable on its own: headers under
# <smmu/>, each compiling by itself; pkg-config files for libsmmu and
# libsmmu-model whose private requirements resolve; shared libraries with
# the right sonames that export only smmu_ names; and an out-of-tree
# program (consumer.c) that links both libraries and runs from the destdir.
# Exits 77 (skipped) only when a tool it needs is missing.
set -euo pipefail

build=${1:?usage: check-install.sh BUILD_DIR SOURCE_DIR [CC] [SANITIZE]}
src=${2:?usage: check-install.sh BUILD_DIR SOURCE_DIR [CC] [SANITIZE]}
read -r -a cc <<<"${3:-cc}"
sanitize=${4:-none}

for tool in meson pkg-config readelf nm "${cc[0]}"; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool not found"
		exit 77
	fi
done

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# output_has PATTERN COMMAND...: COMMAND's output matches PATTERN.  The
# output is captured first: grep -q closing a pipe early could SIGPIPE the
# command, and pipefail would count that as a failure.
output_has() {
	local pattern=$1 out
	shift
	out=$("$@") || return 1
	grep -q -- "$pattern" <<<"$out"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dest=$work/destdir

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet

# Where the build put things, under the destdir.
pc=$(find "$dest" -name libsmmu-model.pc -print -quit)
[ -n "$pc" ] || fail "libsmmu-model.pc not installed"
pcdir=$(dirname "$pc")
[ -f "$pcdir/libsmmu.pc" ] || fail "libsmmu.pc not installed next to libsmmu-model.pc"
prefix=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=prefix libsmmu-model)

# The .pc files name the real prefix; relocate copies into the destdir
# (PKG_CONFIG_SYSROOT_DIR would also relocate the system's libbsd/liburcu).
mkdir "$work/pkgconfig"
for f in "$pcdir"/libsmmu.pc "$pcdir"/libsmmu-model.pc; do
	sed "s|^prefix=.*|prefix=$dest$prefix|" "$f" >"$work/pkgconfig/$(basename "$f")"
done
export PKG_CONFIG_PATH=$work/pkgconfig
pkg-config --print-errors --exists libsmmu libsmmu-model ||
	fail "pkg-config cannot resolve libsmmu, libsmmu-model"
output_has -lurcu pkg-config --print-errors --static --libs libsmmu ||
	fail "libsmmu.pc lacks liburcu in its private requirements"
libdir=$(pkg-config --variable=libdir libsmmu-model)
includedir=$(pkg-config --variable=includedir libsmmu-model)

# Shared libraries: soname, and nothing exported but names the installed
# headers declare (internal smmu_ functions must stay hidden).
for lib in smmu smmu-model; do
	so=$libdir/lib$lib.so
	[ -e "$so" ] || fail "$so not installed"
	output_has "SONAME.*\[lib$lib\.so\.0\]" readelf -d "$so" ||
		fail "$so: soname is not lib$lib.so.0"
	for sym in $(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ { sub(/@.*/, "", $3); print $3 }'); do
		grep -qw -- "$sym" "$includedir"/smmu/*.h ||
			fail "$so exports $sym, which no installed header declares"
	done
done

# Each public header compiles on its own, strictly, in C11.
cflags=(-std=c11 -Wall -Wextra -Wpedantic -Werror)
if [ "$sanitize" != none ]; then
	cflags+=("-fsanitize=$sanitize")
fi
read -r -a pkg_cflags <<<"$(pkg-config --cflags libsmmu libsmmu-model)"
headers=("$includedir"/smmu/*.h)
[ -f "$includedir/smmu/mem.h" ] || fail "headers not installed as <smmu/*.h>"
for h in "${headers[@]}"; do
	# The typedef keeps a macro-only header from leaving the unit empty.
	printf '#include <smmu/%s>\ntypedef int header_check;\n' "$(basename "$h")" |
		"${cc[@]}" "${cflags[@]}" "${pkg_cflags[@]}" -fsyntax-only -x c - ||
		fail "<smmu/$(basename "$h")> does not compile by itself"
done

# An out-of-tree program linking both libraries (libsmmu kept as a
# dependency even before the program calls into it, so its loading is
# checked too), run against the destdir's libraries only.
cp "$src/tests/install/consumer.c" "$work/"
read -r -a pkg_libs <<<"$(pkg-config --libs libsmmu libsmmu-model)"
"${cc[@]}" "${cflags[@]}" "${pkg_cflags[@]}" -o "$work/consumer" "$work/consumer.c" \
	-Wl,--no-as-needed "${pkg_libs[@]}"
output_has 'NEEDED.*\[libsmmu\.so\.0\]' readelf -d "$work/consumer" ||
	fail "consumer does not depend on libsmmu.so.0"
export LD_LIBRARY_PATH=$libdir
for lib in libsmmu.so.0 libsmmu-model.so.0; do
	output_has "$lib => $libdir/" env LD_TRACE_LOADED_OBJECTS=1 "$work/consumer" ||
		fail "consumer does not load $lib from the destdir"
done
out=$("$work/consumer")
[ "$out" = ok ] || fail "consumer printed '$out', not 'ok'"
echo "installed tree under $dest$prefix works"

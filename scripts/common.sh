# Shared by scripts/demo, scripts/test and .ci/run (sourced, not run).
#
# Concepts: one list of the Debian 12 packages the project needs, one way
# to install the missing ones (directly as root, through sudo otherwise),
# and one way to configure a build directory so that running a script
# twice reuses the build instead of failing on an existing directory.

SMMU_PACKAGES=(meson ninja-build libcmocka-dev libbsd-dev liburcu-dev pkg-config gcc valgrind)
SMMU_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Run a command as root: directly when we are root, else through sudo.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		echo "error: '$*' needs root; rerun as root or install sudo" >&2
		return 1
	fi
}

# Print the packages of the arguments that dpkg does not list as installed.
missing_packages() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			echo "$p"
	done
}

# Install the project's packages that are missing (all of them with
# --all, as CI does on a fresh machine).  Off Debian, say what is needed.
install_packages() {
	local missing
	if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
		echo "note: not a Debian system; make sure these are installed: ${SMMU_PACKAGES[*]}" >&2
		return 0
	fi
	if [ "${1:-}" = --all ]; then
		missing=("${SMMU_PACKAGES[@]}")
	else
		mapfile -t missing < <(missing_packages "${SMMU_PACKAGES[@]}")
	fi
	[ "${#missing[@]}" -eq 0 ] && return 0
	echo "installing: ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

# setup_build DIR [MESON_OPTION...]: configure DIR, or reconfigure it with
# these options when it exists already.
setup_build() {
	local dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$@"
	else
		meson setup "$dir" "$@"
	fi
}

# Remove DIR's test logs so a summary counts only the runs that follow.
clear_test_logs() {
	rm -f "$1"/meson-logs/testlog*.json
}

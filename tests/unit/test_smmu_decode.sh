#!/bin/sh
# Runs the smmu-decode tool the way a person reading a log would: words on
# the command line, words piped on stdin (commas, 0x or not, several
# structures), a register by name, and bad input that must fail cleanly.
# Usage: test_smmu_decode.sh PATH-TO-smmu-decode
set -u
tool=$1
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect_out WANT CMD...: CMD exits 0 and prints exactly WANT.
expect_out() {
	want=$1
	shift
	got=$("$@" 2>&1) || fail "exit status $? from: $*"
	[ "$got" = "$want" ] || fail "$*: got '$got', want '$want'"
}

# expect_err STATUS CMD...: CMD exits with STATUS and says something on stderr.
expect_err() {
	want=$1
	shift
	err=$("$@" 2>&1 >/dev/null)
	status=$?
	[ "$status" -eq "$want" ] || fail "$*: status $status, want $want"
	[ -n "$err" ] || fail "$*: no message on stderr"
}

sync='CMD_SYNC CS=SIG_IRQ MSH=ISH MSIATTR=0xf MSIDATA=0xcafe MSIADDR=0x40001004'
expect_out "$sync" "$tool" cmd 0x0000cafe0fc01046 0x40001004
expect_out "$sync" sh -c "printf '0x0000cafe0fc01046, 40001004\n' | '$tool' cmd"
expect_out "CMD_CFGI_STE SSEC=0 SID=0x7 LEAF=1
CMD_TLBI_NSNH_ALL" sh -c "printf '0x0000000700000003\n0x1\n0x30 0x0\n' | '$tool' cmd"
expect_out "SMMU_CR0 SMMUEN=1 PRIQEN=0 EVENTQEN=1 CMDQEN=1 ATSCHK=0 VMW=0 DPT_WALK_EN=0" \
	"$tool" reg CR0 0xd
expect_out "SMMU_GERROR CMDQ_ERR=1 EVENTQ_ABT_ERR=0 PRIQ_ABT_ERR=0 MSI_CMDQ_ABT_ERR=0 MSI_EVENTQ_ABT_ERR=0 MSI_PRIQ_ABT_ERR=0 MSI_GERROR_ABT_ERR=0 SFM_ERR=0 CMDQP_ERR=0 DPT_ERR=0" \
	"$tool" reg 0x60 1
expect_out "C_BAD_STE SSV=0 SSID=0x0 SID=0x55 DW1=0x0 DW2=0x0 DW3=0x0" \
	"$tool" evt 0x0000005500000004 0 0 0
# One long line (a few KiB) must not have words split between reads.
lines=$(yes '0x46 0' | head -n 3000 | tr '\n' ' ' | "$tool" cmd | grep -c '^CMD_SYNC CS=SIG_NONE')
[ "$lines" = 3000 ] || fail "long stdin line: $lines of 3000 commands decoded"

expect_err 2 "$tool"
expect_err 2 "$tool" frobnicate 1 2
expect_err 2 "$tool" reg
expect_err 2 "$tool" reg NOT_A_REGISTER 1
expect_err 1 "$tool" cmd 0x46
expect_err 1 "$tool" cmd 0x46 0xzz
expect_err 1 "$tool" cmd 0x46 0x11112222333344445
expect_err 1 sh -c "printf 'garbage\n' | '$tool' ste"
expect_err 1 sh -c "'$tool' pri </dev/null"

[ "$failures" -eq 0 ] || exit 1
echo "smmu-decode: all checks passed"

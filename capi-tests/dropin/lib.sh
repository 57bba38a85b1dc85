# Shared helpers for the drop-in tests (sourced, not run).
# Every script here prints "dropin: PASS|FAIL: <name>: <why>" lines so that a
# run can be read at a glance; a part that cannot run here fails unless the
# caller opted out of it by name (not_run, capi-tests/skip.sh).
# (Pipelines end in `grep ... >/dev/null`, never `grep -q`: with pipefail an
# early-exiting grep -q can make the writer die of SIGPIPE and the test lie.)

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
lib="$top/build/lib"
# The file the dynamic linker really maps when it loads our liburing.so.2.
# shellcheck disable=SC2034
our_so_real=$(readlink -f "$lib/liburing.so.2" 2>/dev/null || true)
# shellcheck disable=SC2034 # used by the scripts that source this file
arch_triplet=$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)

pass() { echo "dropin: PASS: $*"; }
fail() { echo "dropin: FAIL: $*"; failures=$((${failures:-0} + 1)); }
# not_run NAME WHY: a part that cannot run here. It fails (counted in
# $failures) unless SKIP names NAME; then skip.sh prints and records the skip,
# and make test counts test-dropin as skipped.
not_run() {
	"$top/capi-tests/skip.sh" "$1" test-dropin "$2" || failures=$((${failures:-0} + 1))
}
die() { echo "dropin: FAIL: $*"; exit 1; }

# need_cmd COMMAND DEBIAN_PACKAGE: make sure COMMAND exists, installing the
# package when it is missing (capi-tests/lib/pkg.sh). Returns 1 (with a
# message) when it cannot be had, so that the caller can skip with the reason.
# shellcheck source=capi-tests/lib/pkg.sh
source "$top/capi-tests/lib/pkg.sh"
need_cmd() { pkg_need "$1" "$2"; }

need_built_lib() {
	[ -f "$our_so_real" ] || die "build/lib/liburing.so.2 is missing: run make first"
}

# A scratch directory on a real disk under target/ (O_DIRECT needs one; tmpfs
# refuses it), removed on exit unless DROPIN_KEEP=1.
make_work() {
	mkdir -p "$top/target/dropin"
	work=$(mktemp -d "$top/target/dropin/$1.XXXXXX")
	if [ "${DROPIN_KEEP:-0}" = 1 ]; then
		echo "dropin: keeping $work" >&2
	else
		trap 'rm -rf "$work"' EXIT
	fi
}

# strace_has_stacks: does this strace unwind stacks (-k)?
strace_has_stacks() {
	strace -k -e trace=none true >/dev/null 2>&1
}

# check_uring_stacks NAME TRACE_PREFIX SO_PATH [REQUIRE_FRAME]
# Reads the per-thread files TRACE_PREFIX.* that `strace -ff -k -o TRACE_PREFIX`
# wrote for io_uring_setup/io_uring_enter, and checks that
#  - at least one io_uring_setup and one io_uring_enter happened,
#  - every one of them was issued from code inside SO_PATH (a frame of its
#    stack is in that file), i.e. no io_uring system call bypassed it,
#  - when REQUIRE_FRAME is given, some io_uring_setup stack also has a frame
#    matching it (used to prove which part of the program built the ring).
check_uring_stacks() {
	local name=$1 prefix=$2 so=$3 want=${4:-}
	local report
	report=$(awk -v so="$so" -v want="$want" '
		function finish() {
			if (!inrec) return
			if (ours) ok[call]++
			else { bad++; if (bad <= 3) print "stray " call ": " head > "/dev/stderr" }
			if (call == "io_uring_setup" && want != "" && hit) wanted++
			inrec = 0
		}
		/^io_uring_(setup|enter)\(/ {
			finish()
			call = substr($0, 1, index($0, "(") - 1)
			head = substr($0, 1, 120)
			n[call]++; inrec = 1; ours = 0; hit = 0
			next
		}
		/^ > / {
			if (inrec && index($0, so)) ours = 1
			if (inrec && want != "" && $0 ~ want) hit = 1
			next
		}
		{ finish() }
		END {
			finish()
			printf "%d %d %d %d %d %d\n",
				n["io_uring_setup"], n["io_uring_enter"], ok["io_uring_setup"],
				ok["io_uring_enter"], bad, wanted
		}' "$prefix".*)
	local setup enter osetup oenter stray wanted
	read -r setup enter osetup oenter stray wanted <<<"$report"
	echo "dropin:   $name: io_uring_setup x$setup ($osetup from ${so##*/}), io_uring_enter x$enter ($oenter from ${so##*/})"
	[ "$setup" -ge 1 ] || { echo "dropin:   $name: no io_uring_setup seen"; return 1; }
	[ "$enter" -ge 1 ] || { echo "dropin:   $name: no io_uring_enter seen"; return 1; }
	[ "$stray" -eq 0 ] || { echo "dropin:   $name: $stray io_uring syscalls did not come from $so"; return 1; }
	if [ -n "$want" ] && [ "$wanted" -lt 1 ]; then
		echo "dropin:   $name: no io_uring_setup came from a frame matching /$want/"
		return 1
	fi
	return 0
}

# check_loaded_ours NAME LD_DEBUG_PREFIX BINARY SO_PATH
# From LD_DEBUG=libs,bindings output (LD_BIND_NOW=1, so every import is bound
# at start), checks that the only liburing initialised was SO_PATH and that
# every LIBURING_* symbol BINARY imports was bound to SO_PATH, at the version
# it asks for.
check_loaded_ours() {
	local name=$1 prefix=$2 bin=$3 so=$4
	local inits
	inits=$(grep -ho 'calling init: [^ ]*liburing[^ ]*' "$prefix".* | sed 's/calling init: //' | sort -u)
	if [ -z "$inits" ]; then
		echo "dropin:   $name: no liburing was loaded at all"
		return 1
	fi
	local f
	for f in $inits; do
		if [ "$(readlink -f "$f")" != "$so" ]; then
			echo "dropin:   $name: loaded $f, which is not ours ($so)"
			return 1
		fi
	done
	local imports missing=0 sym ver nimp=0
	imports=$(nm -D --undefined-only "$bin" | awk '$2 ~ /@LIBURING_/ {print $2}')
	for sym in $imports; do
		ver=${sym#*@}
		sym=${sym%@*}
		nimp=$((nimp + 1))
		if ! grep -hF "binding file $bin [0] to " "$prefix".* |
			grep -F ": normal symbol \`$sym' [$ver]" | grep -F " to $inits [0]" >/dev/null; then
			echo "dropin:   $name: $bin's import $sym@$ver was not bound to $inits"
			missing=$((missing + 1))
		fi
	done
	[ "$nimp" -ge 1 ] || { echo "dropin:   $name: $bin imports no LIBURING_ symbol?"; return 1; }
	[ "$missing" -eq 0 ] || return 1
	echo "dropin:   $name: loaded only $inits; all $nimp liburing imports of $(basename "$bin") bound to it"
	return 0
}

#!/usr/bin/env bash
# make test-man: the manual pages and api.json (issue 16).
#
#  1. coverage, names, return kinds, annotations, and the facts that can be
#     checked mechanically: every _word_ the text underlines is a parameter
#     of the synopsis or a declared @terms word, SEE ALSO holds pages that
#     exist, no sentence said twice in a page      manpages.py check
#  2. lint: mandoc -T lint -W warning, man -l        manpages.py lint
#  3. io_uring_peek_batch_cqe(3) says what the founding report needed
#  4. api.json against its JSON Schema (docs/api/api.schema.json), our header
#     and upstream 2.15's, and behaviour on both libraries (each return kind
#     by calls that succeed and fail: kinds.py)   check-api.py
#  5. docs/api/ (HTML copies, api.json) is what a fresh build gives
#  6. planted regressions: each check above must catch its own mistake
#
# Expects `make man api-json lib` to have run (mk/man.mk does that).
set -uo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
tool=docs/man/tools/manpages.py
say() { echo "test-man: $*"; }
die() { echo "test-man: FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1, 2
python3 "$tool" check || die "coverage/names/return kinds/facts (see above)"
python3 "$tool" lint || die "lint (see above)"

# 3
page=$(MANWIDTH=200 man -l build/man/man3/io_uring_peek_batch_cqe.3 2>&1) || die "man -l io_uring_peek_batch_cqe.3"
for want in "Return kind: count." "never gives a" "negative errno" "cqes is an array of count elements" \
    "n = io_uring_peek_batch_cqe(&ring, cqes, 16);" "io_uring_cq_advance(&ring, n);" \
    "unsigned int io_uring_peek_batch_cqe(struct io_uring *ring,"; do
    grep -qF -- "$want" <<<"$page" || die "io_uring_peek_batch_cqe(3) does not say: $want"
done
say "io_uring_peek_batch_cqe(3): returns a count (never -errno), cqes is an array of count, the loop is shown"

# 4: upstream's header and library, configured and built in target/ (never
# committed) by capi-tests/lib/upstream-build.sh, once for every user
cfg=$(capi-tests/lib/upstream-build.sh) || die "upstream liburing 2.15 could not be fetched, configured and built: the api.json comparison cannot run"
# every page name upstream ships (what liburing-dev installs) exists here too
up_man="$(capi-tests/fetch-upstream.sh)/man"
missing=$(comm -23 <(ls "$up_man" | sort) <(find build/man/man2 build/man/man3 build/man/man7 \( -type f -o -type l \) -printf "%f\n" | sort))
[ -z "$missing" ] || die "page names upstream 2.15 ships and we do not: $missing"
say "all $(ls "$up_man" | wc -l) page names of upstream 2.15's man/ exist in build/man ($(find build/man/man2 build/man/man3 build/man/man7 \( -type f -o -type l \) | wc -l) here)"

python3 docs/man/tools/check-api.py build/man/api.json include "$cfg/src/include" "$cfg/src/liburing-ffi.so.2.15" \
    || die "api.json check"

# 5
mkdir -p "$tmp/web"
python3 "$tool" web "$tmp/web" >/dev/null && cp build/man/api.json "$tmp/web/api.json"
# (api.schema.json is written by hand: no build makes it)
if ! diff -r -x api.schema.json "$tmp/web" docs/api >"$tmp/web.diff"; then
    head -40 "$tmp/web.diff"
    die "docs/api/ is stale: run 'make man-web' and commit it"
fi
say "docs/api/: $(ls docs/api | wc -l) files, identical to a fresh build"

# 6: planted regressions. expect_fail LABEL PATTERN CMD...: CMD must fail
# and say PATTERN.
expect_fail() {
    local label=$1 pattern=$2
    shift 2
    if "$@" >"$tmp/out" 2>&1; then
        cat "$tmp/out"
        die "planted regression not caught: $label"
    fi
    grep -qF -- "$pattern" "$tmp/out" || { cat "$tmp/out"; die "planted regression '$label' failed without saying: $pattern"; }
    say "planted: $label -> caught ($(grep -F -m1 -- "$pattern" "$tmp/out" | cut -c1-150))"
}

# a. a helper in the header with no page
cp -R include "$tmp/inc"
# (inserted among the other helpers: the header #undefs its macros at the end)
sed -i '/^IOURINGINLINE bool io_uring_cq_has_overflow(/i\
IOURINGINLINE int io_uring_planted_helper(struct io_uring *ring) LIBURING_NOEXCEPT\
LIBURING_BODY({ return ring != 0; })\
' "$tmp/inc/liburing.h"
grep -q io_uring_planted_helper "$tmp/inc/liburing.h" || die "could not plant the helper"
expect_fail "helper without a page" "io_uring_planted_helper (helper in include/liburing.h) has no page" \
    env MANPAGES_INCLUDE="$tmp/inc" python3 "$tool" check

# b. a page that names a function that does not exist
cp -R docs/man "$tmp/src"
printf '# NAME\n\nio_uring_prep_nopp - a misspelt name\n\n# SYNOPSIS\n\n@synopsis\n\n# DESCRIPTION\n\nx\n\n# RETURN VALUE\n\nReturn kind: *void*.\n\n# SEE ALSO\n\n*io_uring*(7)\n' \
    >"$tmp/src/man3/io_uring_prep_nopp.3.scd"
expect_fail "page naming a non-existent function" "names io_uring_prep_nopp, which include/liburing.h does not declare" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check
rm "$tmp/src/man3/io_uring_prep_nopp.3.scd"

# c. a reference to a page that does not exist
sed -i 's/^\*io_uring_peek_cqe\*(3), /*io_uring_peek_cqes*(3), /' "$tmp/src/man3/io_uring_peek_batch_cqe.3.scd"
expect_fail "reference to a missing page" "refers to io_uring_peek_cqes(3), which has no page" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check
cp docs/man/man3/io_uring_peek_batch_cqe.3.scd "$tmp/src/man3/"

# d. a RETURN VALUE without its return kind
sed -i '/^Return kind: \*count\*\.$/d' "$tmp/src/man3/io_uring_peek_batch_cqe.3.scd"
expect_fail "missing return kind" "io_uring_peek_batch_cqe needs exactly one 'Return kind" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check
cp docs/man/man3/io_uring_peek_batch_cqe.3.scd "$tmp/src/man3/"

# e. a return kind the C type cannot have
sed -i 's/^Return kind: \*count\*\.$/Return kind: *pointer-or-NULL*./' "$tmp/src/man3/io_uring_peek_batch_cqe.3.scd"
expect_fail "return kind against the C type" "io_uring_peek_batch_cqe returns unsigned int, which cannot be a pointer-or-NULL" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check

# f. a lint error in a generated page
cp -R build/man "$tmp/out-man"
printf '.TP\n.BOGUS macro\n' >>"$tmp/out-man/man3/io_uring_queue_exit.3"
expect_fail "lint error" "io_uring_queue_exit.3" env MANPAGES_OUT="$tmp/out-man" python3 "$tool" lint
# ... and a lint warning (counted: 2 messages), an alias as a .so include
# again, and a link to a page that is not there
rm -rf "$tmp/out-man" && cp -R build/man "$tmp/out-man"
printf '.PP\n.PP\n' >>"$tmp/out-man/man3/io_uring_queue_exit.3"
expect_fail "lint warning" "have warnings (2 mandoc messages)" env MANPAGES_OUT="$tmp/out-man" python3 "$tool" lint
rm -rf "$tmp/out-man" && cp -R build/man "$tmp/out-man"
rm "$tmp/out-man/man3/io_uring_wait_cqe_nr.3" && printf '.so man3/io_uring_wait_cqe.3\n' >"$tmp/out-man/man3/io_uring_wait_cqe_nr.3"
expect_fail "an alias as a .so include" "io_uring_wait_cqe_nr.3: a .so include" env MANPAGES_OUT="$tmp/out-man" python3 "$tool" lint
rm -rf "$tmp/out-man" && cp -R build/man "$tmp/out-man"
ln -sfn io_uring_wait_cqez.3 "$tmp/out-man/man3/io_uring_wait_cqe_nr.3"
expect_fail "a link to a missing page" "io_uring_wait_cqe_nr.3: a link must name a page file" \
    env MANPAGES_OUT="$tmp/out-man" python3 "$tool" lint

# g. api.json with the report's first mistake (peek_batch_cqe returning int)
sed 's/"unsigned int io_uring_peek_batch_cqe(/"int io_uring_peek_batch_cqe(/' build/man/api.json >"$tmp/api-bad.json"
expect_fail "api.json prototype against the header" "conflicting types for" \
    python3 docs/man/tools/check-api.py "$tmp/api-bad.json" include

# g2. api.json with one version node for both libraries (io_uring_get_sqe is
# LIBURING_2.0 in liburing.so.2 and LIBURING_2.4 in liburing-ffi.so.2)
python3 - build/man/api.json "$tmp/api-node.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["functions"]:
    if f["name"] == "io_uring_get_sqe":
        f["versions"]["liburing-ffi"] = f["versions"]["liburing"]
json.dump(d, open(sys.argv[2], "w"))
PY
expect_fail "api.json with one node for both libraries" "io_uring_get_sqe: versions" \
    python3 docs/man/tools/check-api.py "$tmp/api-node.json" include

# g3. api.json whose "returns" disagrees with the header (io_uring_sq_space_left
# returns unsigned), and one whose return kind its C type cannot have
python3 - build/man/api.json "$tmp/api-ret.json" "$tmp/api-kind.json" <<'PY'
import json, sys
for out, field, value in ((sys.argv[2], "returns", "int"), (sys.argv[3], "return_kind", "pointer-or-NULL")):
    d = json.load(open(sys.argv[1]))
    for f in d["functions"]:
        if f["name"] == "io_uring_sq_space_left":
            f[field] = value
    json.dump(d, open(out, "w"))
PY
expect_fail "api.json returns against the header" "static assertion failed: \"api.json returns/params of io_uring_sq_space_left\"" \
    python3 docs/man/tools/check-api.py "$tmp/api-ret.json" include
# g4. api.json without io_uring_register_files' array annotation
python3 - build/man/api.json "$tmp/api-arr.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["functions"]:
    if f["name"] == "io_uring_register_files":
        f["arrays"] = []
json.dump(d, open(sys.argv[2], "w"))
PY
expect_fail "api.json without an array annotation" "io_uring_register_files: const int * files is followed by unsigned int nr_files but is no array" \
    python3 docs/man/tools/check-api.py "$tmp/api-arr.json" include
expect_fail "api.json return kind against its C type" "io_uring_sq_space_left: returns unsigned, which cannot be a pointer-or-NULL" \
    python3 docs/man/tools/check-api.py "$tmp/api-kind.json" include

# g5. api.json that does not follow docs/api/api.schema.json: an unknown
# return kind, a missing field, a misspelt key (in a function, in a
# parameter, at the top), a version node not of the form LIBURING_2.N, a
# void function with a return kind other than void; and (check-api.py's,
# past a schema) an array annotation naming no parameter of its function
python3 - build/man/api.json "$tmp" <<'PY'
import json, sys
src, out = sys.argv[1], sys.argv[2]
def plant(tag, mutate):
    d = json.load(open(src))
    mutate(d, {f["name"]: f for f in d["functions"]})
    json.dump(d, open("%s/api-schema-%s.json" % (out, tag), "w"))
plant("kind", lambda d, fs: fs["io_uring_peek_batch_cqe"].update(return_kind="errno-or-count"))
plant("missing", lambda d, fs: fs["io_uring_submit"].pop("page"))
plant("key", lambda d, fs: fs["io_uring_register_files"].update(array=fs["io_uring_register_files"].pop("arrays")))
plant("param", lambda d, fs: fs["io_uring_queue_exit"]["params"][0].update(
    typ=fs["io_uring_queue_exit"]["params"][0].pop("type")))
plant("top", lambda d, fs: d.update(return_kind=d.pop("return_kinds")))
plant("node", lambda d, fs: fs["io_uring_get_sqe"]["versions"].update({"liburing-ffi": "LIBURING_2.4.1"}))
plant("version", lambda d, fs: fs["io_uring_get_sqe"].update(version="LIBURING_3"))
plant("void", lambda d, fs: fs["io_uring_queue_exit"].update(return_kind="value"))
plant("noparam", lambda d, fs: fs["io_uring_register_files"]["arrays"][0].update(param="file"))
PY
for plant in "kind|an unknown return kind|].return_kind (io_uring_peek_batch_cqe): 'errno-or-count' is not one of" \
    "missing|a missing field|] (io_uring_submit): 'page' is a required property" \
    "key|a misspelt key|] (io_uring_register_files): Additional properties are not allowed ('array' was unexpected)" \
    "param|a misspelt key in a parameter|].params[0] (io_uring_queue_exit): Additional properties are not allowed ('typ'" \
    "top|a misspelt top-level key|\$: Additional properties are not allowed ('return_kind' was unexpected)" \
    "node|a version node not LIBURING_2.N|].versions.liburing-ffi (io_uring_get_sqe): 'LIBURING_2.4.1' does not match" \
    "version|a version not LIBURING_2.N|].version (io_uring_get_sqe): 'LIBURING_3' does not match" \
    "void|a void function whose kind is not void|].return_kind (io_uring_queue_exit): 'void' was expected" \
    "noparam|an array annotation naming no parameter|the array annotation names file, which is no parameter of io_uring_register_files"; do
    IFS='|' read -r tag label pattern <<<"$plant"
    expect_fail "api.json schema: $label" "$pattern" python3 docs/man/tools/check-api.py "$tmp/api-schema-$tag.json" include
done

# g6. api.json against the header as libclang parses it, where the compiler
# check passes: io_uring_peek_batch_cqe's count given as __u32 (the same
# type under a typedef), io_uring_sq_space_left's ring renamed (prototype
# and params changed alike), and a prototype that its params do not spell
python3 - build/man/api.json "$tmp" <<'PY'
import json, sys
src, out = sys.argv[1], sys.argv[2]
def plant(tag, name, old, new, params):
    d = json.load(open(src))
    f = next(f for f in d["functions"] if f["name"] == name)
    f["prototype"] = f["prototype"].replace(old, new)
    params(f["params"])
    json.dump(d, open("%s/api-clang-%s.json" % (out, tag), "w"))
plant("type", "io_uring_peek_batch_cqe", "unsigned int count", "__u32 count", lambda ps: ps[2].update(type="__u32"))
plant("name", "io_uring_sq_space_left", "*ring", "*r", lambda ps: ps[0].update(name="r"))
plant("proto", "io_uring_queue_exit", "*ring", "*rng", lambda ps: None)
PY
for plant in "type|a parameter type changed to a typedef of it|io_uring_peek_batch_cqe: parameter 3 is __u32 count, the header says unsigned int count" \
    "name|a parameter renamed|io_uring_sq_space_left: parameter 1 is const struct io_uring *r, the header says const struct io_uring *ring" \
    "proto|a prototype its params do not spell|io_uring_queue_exit: prototype 'void io_uring_queue_exit(struct io_uring *rng);' is not"; do
    IFS='|' read -r tag label pattern <<<"$plant"
    expect_fail "api.json against libclang: $label" "$pattern" python3 docs/man/tools/check-api.py "$tmp/api-clang-$tag.json" include
done

# g7. each return kind by behaviour: a library with one function wrong for
# its kind, one per kind (count, negative errno, pointer-or-NULL, boolean,
# value), must fail kinds.py's checks naming that function
python3 docs/man/tools/kinds.py --planted build/man/api.json build/lib/liburing-ffi.so.2 \
    || die "return kinds by behaviour: a planted regression was not caught"

# h. the text names a parameter the synopsis does not have (issue 24's
# _min_wait_usec_ in io_uring_submit(3), whose synopsis says min_wait)
rm -rf "$tmp/src" && cp -R docs/man "$tmp/src"
sed -i 's/adds _min_wait_, in/adds _min_wait_usec_, in/' "$tmp/src/man3/io_uring_submit.3.scd"
expect_fail "a parameter name the synopsis does not have" "says _min_wait_usec_, which is no parameter of io_uring_submit" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check

# i. the same in io_uring_wait_cqe(3) (synopsis: min_ts_usec); then a
# declared term the text no longer uses
rm -rf "$tmp/src" && cp -R docs/man "$tmp/src"
sed -i 's/also takes _min_ts_usec_:/also takes _min_wait_usec_:/' "$tmp/src/man3/io_uring_wait_cqe.3.scd"
expect_fail "a parameter name the synopsis does not have (2)" "says _min_wait_usec_, which is no parameter of io_uring_wait_cqe" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check
cp docs/man/man3/io_uring_wait_cqe.3.scd "$tmp/src/man3/"
sed -i 's/^@terms features res$/@terms features res sq_entries/' "$tmp/src/man3/io_uring_wait_cqe.3.scd"
expect_fail "a declared term the text does not use" "@terms lists sq_entries, which the text does not use" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check

# j. SEE ALSO naming a system page that does not exist, and holding prose
rm -rf "$tmp/src" && cp -R docs/man "$tmp/src"
sed -i 's/^\*io_uring_peek_cqe\*(3), /*mmapp*(2), /' "$tmp/src/man3/io_uring_peek_batch_cqe.3.scd"
expect_fail "SEE ALSO naming a missing page" "SEE ALSO names mmapp(2), which man -w does not find" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check
cp docs/man/man3/io_uring_peek_batch_cqe.3.scd "$tmp/src/man3/"
sed -i 's/^\*io_uring_peek_cqe\*(3), /io_uring_peek_cqe, /' "$tmp/src/man3/io_uring_peek_batch_cqe.3.scd"
expect_fail "SEE ALSO holding a bare name" "which is not a *page*(N) reference" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check

# k. a sentence said twice, and a generated sentence split per function again
rm -rf "$tmp/src" && cp -R docs/man "$tmp/src"
sed -i 's/^named forms\.$/named forms. Both are public for binary compatibility; prefer the named forms./' \
    "$tmp/src/man3/io_uring_wait_cqe.3.scd"
expect_fail "a sentence said twice" "says 2 times: Both are public for binary compatibility" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check
cp docs/man/man3/io_uring_wait_cqe.3.scd "$tmp/src/man3/"
sed -i 's/^@out io_uring_peek_cqe cqe_ptr$/\n&\n/' "$tmp/src/man3/io_uring_wait_cqe.3.scd"
expect_fail "one generated sentence per function" "sentences of one pattern" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check

# l. the text names a function that does not exist
rm -rf "$tmp/src" && cp -R docs/man "$tmp/src"
sed -i 's/\*io_uring_get_events\*() does only/*io_uring_get_event*() does only/' "$tmp/src/man3/io_uring_submit.3.scd"
expect_fail "a function named in the text that does not exist" "names io_uring_get_event(), which include/liburing.h does not declare" \
    env MANPAGES_SRC="$tmp/src" python3 "$tool" check

# m. io_uring.h gains a name no page names (constants.py --planted, run by
# make test-man, catches the same name as not explained)
rm -rf "$tmp/inc" && cp -R include "$tmp/inc"
sed -i 's|^#define IORING_SETUP_IOPOLL\b.*|&\n#define IORING_SETUP_PLANTED\t(1U << 30)|' "$tmp/inc/liburing/io_uring.h"
grep -q IORING_SETUP_PLANTED "$tmp/inc/liburing/io_uring.h" || die "could not plant the io_uring.h name"
expect_fail "an io_uring.h name no page names" "defines IORING_SETUP_PLANTED, which no page names" \
    env MANPAGES_INCLUDE="$tmp/inc" python3 "$tool" check

say "PASS"

#!/usr/bin/env python3
"""Runs the programs run.sh built and checks what checked mode says.

usage: check.py BUILD_DIR LIBDIR TOP

1. Each misuse scenario of misuse.c, in each form, in a child process:
   - LIBURING_CHECK=1: killed by SIGABRT, and stderr has exactly one line
     from the library, naming the expected function and problem;
   - LIBURING_CHECK=warn: the same line, and the program runs to its end;
   - where a form cannot see the misuse (inline helpers of the plain
     header), LIBURING_CHECK=1 must stay silent and the program finish.
2. Correct programs under LIBURING_CHECK=1: not one line, exit 0. clean.c
   (both forms), our capi-tests nops in the checked FFI form, the NOP
   benchmark (both forms, three reaping styles), and our capi-tests programs
   as built by make capi-build (plain form) where present.
3. A set-user-ID program run by another user ignores LIBURING_CHECK
   (setuid_ignores_env), with a control and a planted regression.
"""

import os
import re
import signal
import subprocess
import sys

LINE = re.compile(r"^liburing check: (\S+): ring (?:NULL|0x[0-9a-f]+ \(fd -?\d+\)): (.*)$")

# scenario: {form: (function, message regex) or None (not visible in
# that form) or "skip"}, warn_survives
NEVER_SET_UP = r"ring was never set up by io_uring_queue_init\* \(or its set-up failed\)"
SCENARIOS = {
    "advance_too_far": ({"ffi": ("io_uring_cq_advance", r"advancing the CQ by 3 but the kernel has posted only 2 "
                                 r"unconsumed CQE slots \(head 0, tail 2\)"),
                         "plain": None}, True),
    "seen_copy": ({"ffi": ("io_uring_cqe_seen", r"CQE pointer 0x[0-9a-f]+ is not inside this ring's CQ array"),
                   "plain": None}, True),
    "seen_misaligned_cqe32": ({"ffi": ("io_uring_cqe_seen", r"is not at the start of a CQ slot \(32-byte CQEs"),
                               "plain": None}, True),
    "peek_batch_null": ({"ffi": ("io_uring_peek_batch_cqe", r"cqes is NULL but count is 8"),
                         "plain": ("io_uring_peek_batch_cqe", r"cqes is NULL but count is 8")}, True),
    "unprepared_sqe": ({"ffi": ("io_uring_submit", r"submitting 1 SQE\(s\) taken with io_uring_get_sqe but never "
                                r"prepared \(first in slot 0"),
                        "plain": None}, True),
    "unprepared_sqe_submit_and_wait": ({"ffi": ("io_uring_submit_and_wait", r"submitting 1 SQE\(s\) .* \(first in "
                                                r"slot 1"),
                                        "plain": None}, True),
    "use_after_exit": ({"ffi": ("io_uring_register_files", r"ring used after io_uring_queue_exit"),
                        "plain": ("io_uring_register_files", r"ring used after io_uring_queue_exit")}, True),
    "wait_after_exit": ({"ffi": ("io_uring_wait_cqe", r"ring used after io_uring_queue_exit"),
                         "plain": "skip"}, False),
    "exit_twice": ({"ffi": ("io_uring_queue_exit", r"io_uring_queue_exit called twice"),
                    "plain": ("io_uring_queue_exit", r"io_uring_queue_exit called twice")}, True),
    "never_initialised": ({"ffi": ("io_uring_get_events", NEVER_SET_UP + r"; library-private marker 0x0"),
                           "plain": ("io_uring_get_events", NEVER_SET_UP)}, True),
    "garbage_ring": ({"ffi": ("io_uring_peek_batch_cqe", NEVER_SET_UP + r"; library-private marker 0xa5a5a5a5"),
                      "plain": ("io_uring_peek_batch_cqe", NEVER_SET_UP + r"; library-private marker 0xa5a5a5a5")},
                     False),
    "failed_setup": ({"ffi": ("io_uring_get_events", NEVER_SET_UP),
                      "plain": ("io_uring_get_events", NEVER_SET_UP)}, True),
    "two_completers": ({"ffi": ("io_uring_peek_batch_cqe", r"thread \d+ consumes completions while 1 other "
                                r"thread\(s\) wait for completions on the same ring"),
                        "plain": ("io_uring_peek_batch_cqe", r"thread \d+ consumes completions while 1 other "
                                  r"thread\(s\) wait for completions on the same ring")}, True),
}

failures = []
passes = 0


def ok(what):
    global passes
    passes += 1
    print("PASS " + what)


def fail(what, detail):
    failures.append(what)
    print("FAIL %s: %s" % (what, detail))


def run(cmd, mode, extra_env=None, timeout=300):
    env = dict(os.environ)
    env.pop("LIBURING_CHECK", None)
    if mode is not None:
        env["LIBURING_CHECK"] = mode
    env.update(extra_env or {})
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)


def lib_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith("liburing check:")]


def check_line(what, stderr, func, pattern):
    lines = lib_lines(stderr)
    if len(lines) != 1:
        fail(what, "expected one line from the library, got %d; stderr:\n%s" % (len(lines), stderr))
        return False
    m = LINE.match(lines[0])
    if not m:
        fail(what, "malformed line %r" % lines[0])
        return False
    if m.group(1) != func or not re.search(pattern, m.group(2)):
        fail(what, "line %r: want function %s and /%s/" % (lines[0], func, pattern))
        return False
    return True


def misuse(build):
    listed = run([os.path.join(build, "misuse-ffi"), "--list"], None).stdout.split()
    if sorted(listed) != sorted(SCENARIOS):
        fail("scenario list", "misuse.c has %s, check.py knows %s" % (sorted(listed), sorted(SCENARIOS)))
    for name, (forms, warn_survives) in SCENARIOS.items():
        # The statically linked program sees what the plain form sees.
        for form, want in list(forms.items()) + [("static", forms["plain"])]:
            prog = os.path.join(build, "misuse-" + form)
            what = "%s (%s form)" % (name, form)
            if want == "skip":
                continue
            if want is None:
                p = run([prog, name], "1")
                if p.returncode == 0 and "continued" in p.stdout and not lib_lines(p.stderr):
                    ok(what + ": not visible to the library in this form, runs on silently")
                else:
                    fail(what, "expected a silent run, rc %d, stderr:\n%s" % (p.returncode, p.stderr))
                continue
            func, pattern = want
            p = run([prog, name], "1")
            if p.returncode != -signal.SIGABRT:
                fail(what + ", LIBURING_CHECK=1", "rc %d, stderr:\n%s" % (p.returncode, p.stderr))
            elif "continued" in p.stdout:
                fail(what + ", LIBURING_CHECK=1", "went on after the misuse")
            elif check_line(what, p.stderr, func, pattern):
                ok(what + ", LIBURING_CHECK=1: SIGABRT, " + func)
            if warn_survives:
                p = run([prog, name], "warn")
                if p.returncode != 0 or "continued" not in p.stdout:
                    fail(what + ", LIBURING_CHECK=warn", "rc %d, stdout %r, stderr:\n%s" %
                         (p.returncode, p.stdout, p.stderr))
                elif check_line(what + ", warn", p.stderr, func, pattern):
                    ok(what + ", LIBURING_CHECK=warn: line printed, program finished")
            p = run([prog, name], None) if warn_survives else None
            if p is not None and lib_lines(p.stderr):
                fail(what + ", LIBURING_CHECK unset", "the library printed %s" % lib_lines(p.stderr))
    # The unprepared SQE reaches the kernel in warn mode and is refused there.
    p = run([os.path.join(build, "misuse-ffi"), "unprepared_sqe"], "warn")
    if "unprepared SQE completed with res -22" in p.stdout:
        ok("unprepared_sqe (ffi form), warn: the kernel refused the poison opcode (-EINVAL)")
    else:
        fail("unprepared_sqe (ffi form), warn", "stdout %r" % p.stdout)


def clean(what, cmd, extra_env=None, allow=None):
    p = run(cmd, "1", extra_env)
    lines = lib_lines(p.stderr)
    if allow:
        lines = [line for line in lines if not re.search(allow, line)]
    if p.returncode != 0 or lines:
        fail(what + " under LIBURING_CHECK=1", "rc %d, lines %s, stderr tail:\n%s" %
             (p.returncode, lines, p.stderr[-2000:]))
    else:
        ok(what + " under LIBURING_CHECK=1: clean")


def correct_programs(build, libdir, top):
    for form in ("ffi", "plain"):
        clean("clean.c (%s form)" % form, [os.path.join(build, "clean-" + form)])
        for reap in ("peek", "wait", "foreach"):
            clean("benches/nop.c %s (%s form)" % (reap, form),
                  [os.path.join(build, "bench-nop-" + form), reap, "32", "300000"])
    clean("capi-tests/capi/nops.c (checked FFI form)", [os.path.join(build, "capi-nops-ffi")],
          {"CAPI_NOPS": "2000000", "CAPI_LIBDIR": libdir})
    # Our C ABI tests as make capi-build builds them (plain form). misc.c and
    # submit.c call functions on an all-zero struct io_uring on purpose (to
    # compare with upstream's behaviour there); checked mode rightly reports
    # those, and only those, in warn mode.
    # make capi-build builds them in build/capi-tests/ours (plain form) and
    # make test-capi-ffi in build/capi-tests/ffi (FFI form).
    for form in ("ours", "ffi"):
        capi = os.path.join(top, "build", "capi-tests", form)
        for prog in ("setup", "register", "buffers", "nops"):
            path = os.path.join(capi, prog)
            if os.path.exists(path):
                clean("capi-tests/capi/%s.c (%s)" % (prog, form), [path], {"CAPI_NOPS": "1000000", "CAPI_LIBDIR": libdir})
        for prog in ("misc", "submit"):
            path = os.path.join(capi, prog)
            if not os.path.exists(path):
                continue
            p = run([path], "warn", {"CAPI_LIBDIR": libdir})
            lines = lib_lines(p.stderr)
            others = [line for line in lines if not re.search(NEVER_SET_UP + r"; library-private marker 0x0", line)]
            if p.returncode != 0 or others or not lines:
                fail("capi-tests/capi/%s.c (%s) under LIBURING_CHECK=warn" % (prog, form),
                     "rc %d, %d lines, unexpected: %s" % (p.returncode, len(lines), others))
            else:
                ok("capi-tests/capi/%s.c (%s) under LIBURING_CHECK=warn: passes; the %d lines are all its deliberate "
                   "calls on an all-zero struct io_uring" % (prog, form, len(lines)))


def setuid_ignores_env(libdir, top):
    """LIBURING_CHECK must be ignored by a set-user-ID program run by another
    user (secure_getenv), as glibc ignores its own debugging variables there.
    misuse.c's advance_too_far (FFI form) is built in a private directory
    holding a copy of liburing-ffi.so.2 (a set-user-ID program does not
    follow LD_LIBRARY_PATH, and the run-path must be reachable by the user),
    made set-user-ID root, and run as nobody with LIBURING_CHECK=1:
      - set-user-ID: no line from the library, the program finishes;
      - the same program without the set-user-ID bit: SIGABRT (the variable
        still works for ordinary programs);
      - planted: a set-user-ID copy built with -DMISUSE_PLANT_INSECURE_ENV
        (secure_getenv interposed by getenv): SIGABRT, which the check above
        would report."""
    import shutil
    import tempfile
    what = "set-user-ID program: LIBURING_CHECK ignored"
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        p = subprocess.run([os.path.join(top, "capi-tests", "skip.sh"), "root", "test-checked",
                            "the set-user-ID case needs root and setpriv (chown root, run as nobody)"],
                           capture_output=True, text=True)
        print(p.stdout.strip())
        if p.returncode:
            failures.append(what)
        return
    d = tempfile.mkdtemp(prefix="liburing-suid-")
    try:
        os.chmod(d, 0o755)
        real = os.path.realpath(os.path.join(libdir, "liburing-ffi.so.2"))
        shutil.copy(real, os.path.join(d, "liburing-ffi.so.2"))
        os.chmod(os.path.join(d, "liburing-ffi.so.2"), 0o755)
        os.symlink("liburing-ffi.so.2", os.path.join(d, "liburing-ffi.so"))
        cc = os.environ.get("CC", "cc")
        progs = {"suid": [], "plain": [], "planted": ["-DMISUSE_PLANT_INSECURE_ENV"]}
        for name, extra in progs.items():
            out = os.path.join(d, "misuse-" + name)
            cmd = [cc, "-O2", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter", "-DLIBURING_CHECKED", *extra,
                   "-I", os.path.join(top, "build", "include"), "-o", out,
                   os.path.join(top, "capi-tests", "checked", "misuse.c"), "-L", d, "-luring-ffi",
                   "-Wl,-rpath," + d, "-lpthread"]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode:
                fail(what, "cannot build %s: %s" % (out, r.stderr.strip()[:300]))
                return
            os.chown(out, 0, 0)
            os.chmod(out, 0o4755 if name != "plain" else 0o755)

        def as_nobody(name):
            cmd = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                   os.path.join(d, "misuse-" + name), "advance_too_far"]
            return run(cmd, "1")

        p = as_nobody("suid")
        if p.returncode == 0 and "continued" in p.stdout and not lib_lines(p.stderr):
            ok(what + ": a set-user-ID root program run by nobody with LIBURING_CHECK=1 finishes without a report")
        else:
            fail(what, "set-user-ID run: rc %d, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr))
        p = as_nobody("plain")
        if p.returncode == -signal.SIGABRT and len(lib_lines(p.stderr)) == 1:
            ok(what + ": the same program without the set-user-ID bit is stopped (SIGABRT, one line)")
        else:
            fail(what, "control without the bit: rc %d, stderr %r" % (p.returncode, p.stderr))
        p = as_nobody("planted")
        if p.returncode == -signal.SIGABRT:
            ok(what + ": planted (secure_getenv interposed by getenv): the set-user-ID run is stopped, "
               "so the check above catches a library that reads the variable with getenv")
        else:
            fail(what, "plant not caught: rc %d, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr))
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    build, libdir, top = sys.argv[1:4]
    misuse(build)
    correct_programs(build, libdir, top)
    setuid_ignores_env(libdir, top)
    print("test-checked: %d passed, %d failed" % (passes, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

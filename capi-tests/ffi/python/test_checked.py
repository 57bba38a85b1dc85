"""Checked mode seen from Python (LIBURING_CHECK in the child's environment).

Each misuse of misuse.py runs in a child process:
- LIBURING_CHECK=1: the child dies of SIGABRT, and stderr has exactly one
  line from the library naming the function and the problem;
- LIBURING_CHECK=warn: the same line, and the child runs to its end;
- LIBURING_CHECK unset: no line (what the program does then is up to it).
Then correct programs under LIBURING_CHECK=1 must run clean: the workflow
tests (scaled down) and the submitter/completer thread split.
"""

import os
import re
import signal
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))

# scenario: (function named in the message, what the message must say)
EXPECTED = {
    "seen_a_copy": ("io_uring_cqe_seen", r"CQE pointer 0x[0-9a-f]+ is not inside this ring's CQ array"),
    "seen_misaligned": ("io_uring_cqe_seen", r"is not at the start of a CQ slot \(16-byte CQEs"),
    "advance_too_far": ("io_uring_cq_advance",
                        r"advancing the CQ by 3 but the kernel has posted only 2 unconsumed CQE slots"),
    "peek_batch_null": ("io_uring_peek_batch_cqe", r"cqes is NULL but count is 8"),
    "unprepared_sqe": ("io_uring_submit", r"submitting 1 SQE\(s\) taken with io_uring_get_sqe but never prepared"),
    "use_after_exit": ("io_uring_get_events", r"ring used after io_uring_queue_exit"),
    "exit_twice": ("io_uring_queue_exit", r"io_uring_queue_exit called twice"),
    "never_initialised": ("io_uring_get_events", r"ring was never set up by io_uring_queue_init"),
    "two_completers": ("io_uring_peek_cqe",
                       r"thread \d+ consumes completions while 1 other thread\(s\) wait for completions on the same ring"),
}

LINE = re.compile(r"^liburing check: (\S+): ring 0x[0-9a-f]+ \(fd -?\d+\): (.*)$")


def run(args, mode, extra_env=None):
    env = dict(os.environ)
    env.pop("LIBURING_CHECK", None)
    if mode is not None:
        env["LIBURING_CHECK"] = mode
    env.update(extra_env or {})
    return subprocess.run([sys.executable] + args, cwd=HERE, env=env, capture_output=True, text=True, timeout=120)


def library_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith("liburing check:")]


class Misuse(unittest.TestCase):
    def check_line(self, name, stderr):
        func, pattern = EXPECTED[name]
        lines = library_lines(stderr)
        self.assertEqual(len(lines), 1, "%s: expected one line from the library, stderr:\n%s" % (name, stderr))
        m = LINE.match(lines[0])
        self.assertIsNotNone(m, "%s: malformed line %r" % (name, lines[0]))
        self.assertEqual(m.group(1), func, name)
        self.assertRegex(m.group(2), pattern, name)

    def test_each_misuse_aborts_with_one_line(self):
        for name in EXPECTED:
            with self.subTest(name):
                p = run(["misuse.py", name], "1")
                self.assertEqual(p.returncode, -signal.SIGABRT, "%s: rc %d, stderr:\n%s" %
                                 (name, p.returncode, p.stderr))
                self.assertNotIn("continued", p.stdout, name)
                self.check_line(name, p.stderr)

    def test_each_misuse_warns_and_goes_on(self):
        for name in EXPECTED:
            with self.subTest(name):
                p = run(["misuse.py", name], "warn")
                self.assertEqual(p.returncode, 0, "%s: rc %d, stderr:\n%s" % (name, p.returncode, p.stderr))
                self.assertIn("continued", p.stdout, name)
                self.check_line(name, p.stderr)

    def test_unprepared_sqe_reaches_the_kernel_as_poison_in_warn_mode(self):
        p = run(["misuse.py", "unprepared_sqe"], "warn")
        self.assertIn("unprepared SQE completed with res -22", p.stdout)

    def test_no_check_no_line(self):
        # Scenarios that do not crash on their own without checks.
        for name in ("peek_batch_null", "use_after_exit", "never_initialised", "two_completers", "exit_twice"):
            with self.subTest(name):
                p = run(["misuse.py", name], None)
                self.assertEqual(library_lines(p.stderr), [], name)
                self.assertEqual(p.returncode, 0, "%s: rc %d, stderr:\n%s" % (name, p.returncode, p.stderr))
                p = run(["misuse.py", name], "0")
                self.assertEqual(library_lines(p.stderr), [], name)


class CorrectProgramsRunClean(unittest.TestCase):
    def test_workflow_under_checked_mode(self):
        p = run(["-m", "unittest", "test_workflow", "test_return_types", "test_threads"], "1",
                {"FFI_TEST_SCALE": os.environ.get("FFI_CHECKED_SCALE", "0.2")})
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        self.assertEqual(library_lines(p.stderr), [])


if __name__ == "__main__":
    unittest.main()

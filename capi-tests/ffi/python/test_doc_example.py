"""docs/FFI.md's Python example, extracted from the document and run, so that
the guide cannot drift from what works. Also run under LIBURING_CHECK=1,
where it must stay silent."""

import os
import subprocess
import sys
import unittest

import uring_ctypes as u

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "..", "..", "..", "docs", "FFI.md")
MARKER = "<!-- capi-tests/ffi/python/test_doc_example.py extracts the next python block and runs it -->"


def extract_example():
    with open(DOC) as f:
        text = f.read()
    at = text.index(MARKER)
    start = text.index("```python\n", at) + len("```python\n")
    end = text.index("\n```", start)
    return text[start:end] + "\n"


class DocExample(unittest.TestCase):
    def run_example(self, check_mode):
        env = dict(os.environ, LIBURING_FFI_LIB=os.path.abspath(u.lib_path()))
        env.pop("LIBURING_CHECK", None)
        if check_mode:
            env["LIBURING_CHECK"] = check_mode
        return subprocess.run([sys.executable, "-c", extract_example()], env=env, capture_output=True, text=True,
                              timeout=60)

    def test_example_is_complete_and_runs(self):
        code = extract_example()
        self.assertIn("io_uring_peek_batch_cqe", code)
        p = self.run_example(None)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), "800 NOPs, each user_data seen exactly once")

    def test_example_is_clean_under_checked_mode(self):
        p = self.run_example("1")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("liburing check:", p.stderr)


if __name__ == "__main__":
    unittest.main()

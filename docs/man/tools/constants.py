#!/usr/bin/env python3
"""Which names of include/liburing/io_uring.h our pages explain (issue 24, part 1).

Usage: constants.py [--pages DIR] [--header FILE] [--planted]

The names: every `#define NAME` of the header (the include guard aside) and
every member of each of its enums; comments are ignored.

When a page explains a name (a mechanical rule, read from the .scd sources of
man2/, man3/ and man7/):

  * term rule: the name is written in bold (`*NAME*`) on the term line of a
    definition list (a line at column 0 followed by lines indented with a
    tab), that term line names at most 3 header names, and the indented
    description under it has at least 4 words;
  * sentence rule: the name appears in a sentence (text up to `. `, `: ` or
    the end of a paragraph, outside literal blocks and term lines) of at
    least 6 words that names at most 3 header names.

A name only listed (a term line of many names, a comma-separated run in a
sentence) does not count.

It prints "N of M names explained" and the figures per family (opcodes,
IOSQE_*, IORING_ENTER_*, register opcodes), and fails naming every name of
the header that no page explains: a name added to io_uring.h needs a page
that explains it in the same commit.

--planted: also run the check on copies of the pages or of the header, and
fail unless each check fails naming the name concerned: the entry of
IORING_OP_FTRUNCATE removed from io_uring_enter.2, that of
IORING_REGISTER_PBUF_STATUS removed from io_uring_register.2, that of
IORING_FEAT_LINKED_FILE removed from io_uring_setup.2, and a name
(IORING_SETUP_PLANTED) added to a copy of the header that no page explains.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import OrderedDict

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
PLANTS = [("IORING_OP_FTRUNCATE", "man2/io_uring_enter.2.scd"),
          ("IORING_REGISTER_PBUF_STATUS", "man2/io_uring_register.2.scd"),
          ("IORING_FEAT_LINKED_FILE", "man2/io_uring_setup.2.scd")]
HEADER_PLANT = "IORING_SETUP_PLANTED"


def header_names(path):
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    names = OrderedDict()
    for m in re.finditer(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)", text, re.M):
        names[m.group(1)] = "define"
    for m in re.finditer(r"\benum\b\s*([A-Za-z_0-9]*)\s*\{(.*?)\}", text, re.S):
        for item in m.group(2).split(","):
            mm = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", item)
            if mm:
                names[mm.group(1)] = "enum " + (m.group(1) or "(anonymous)")
    names.pop("LINUX_IO_URING_H", None)
    return names


def required(names):
    """Every name of the header must be explained (issue 24, part 1)."""
    return list(names)


def pages(pagedir):
    for sec in ("man2", "man3", "man7"):
        d = os.path.join(pagedir, sec)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith(".scd"):
                yield os.path.join(sec, f), open(os.path.join(d, f)).read()


def explained_in(text, names_re):
    """The header names a page explains, by the two rules of the docstring."""
    found = set()
    text = text.replace("\\_", "_")  # scdoc's escaped underscore (\_\_name)
    lines = text.split("\n")
    # drop literal blocks (``` fences)
    keep, lit = [], False
    for ln in lines:
        if ln.strip().startswith("```"):
            lit = not lit
            keep.append("")
            continue
        keep.append("" if lit else ln)
    lines = keep
    prose = []  # paragraphs of text outside term lines
    para = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        is_term = ln and not ln.startswith("\t") and not ln.startswith("#") and nxt.startswith("\t")
        if is_term:
            desc = []
            j = i + 1
            while j < len(lines) and lines[j].startswith("\t"):
                desc.append(lines[j].strip())
                j += 1
            term_names = set(re.findall(r"\*(" + names_re + r")\*", ln))
            all_term = set(re.findall(r"\b(" + names_re + r")\b", ln))
            dtext = " ".join(desc)
            if len(all_term) <= 3 and len(dtext.split()) >= 4:
                found |= term_names
            if para:
                prose.append(" ".join(para))
                para = []
            prose.append(dtext)
            i = j
            continue
        if not ln.strip() or ln.startswith("#"):
            if para:
                prose.append(" ".join(para))
                para = []
        else:
            para.append(ln.strip())
        i += 1
    if para:
        prose.append(" ".join(para))
    for p in prose:
        for sent in re.split(r"(?<=[.:;])\s+", p):
            ns = set(re.findall(r"\b(" + names_re + r")\b", sent))
            if ns and len(ns) <= 3 and len(sent.split()) >= 6:
                found |= ns
    return found


def prefix(n):
    parts = n.lstrip("_").split("_")
    return "_".join(parts[:2]) if len(parts) > 2 else parts[0]


def check(pagedir, header):
    names = header_names(header)
    names_re = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    found = set()
    for _, text in pages(pagedir):
        found |= explained_in(text, names_re)
    found &= set(names)
    req = required(names)
    print(f"constants: {len(found)} of {len(names)} names explained")
    groups = [("opcodes (IORING_OP_*)", lambda n: names[n] == "enum io_uring_op"),
              ("IOSQE_*", lambda n: n.startswith("IOSQE_")),
              ("IORING_ENTER_*", lambda n: n.startswith("IORING_ENTER_")),
              ("register opcodes", lambda n: names[n] == "enum io_uring_register_op")]
    for label, pred in groups:
        g = [n for n in names if pred(n)]
        print(f"constants: {label}: {sum(n in found for n in g)} of {len(g)} explained")
    missing = [n for n in req if n not in found]
    if missing:
        rest = OrderedDict()
        for n in missing:
            rest.setdefault(prefix(n), []).append(n)
        print(f"constants: not explained ({len(missing)}):")
        for p, ns in rest.items():
            print(f"  {p}_* ({len(ns)}): {' '.join(ns)}")
        for n in missing:
            print(f"constants: FAIL: {n} ({names[n]}) is not explained by any page", file=sys.stderr)
        return 1
    return 0


def planted(pagedir, header, PLANT_NAME, PLANT_PAGE):
    tmp = tempfile.mkdtemp()
    try:
        copy = os.path.join(tmp, "man")
        shutil.copytree(pagedir, copy)
        path = os.path.join(copy, PLANT_PAGE)
        lines = open(path).read().split("\n")
        out, i, removed = [], 0, False
        while i < len(lines):
            if not lines[i].startswith("\t") and re.search(r"\*" + PLANT_NAME + r"\*", lines[i]) \
                    and i + 1 < len(lines) and lines[i + 1].startswith("\t"):
                i += 1
                while i < len(lines) and lines[i].startswith("\t"):
                    i += 1
                removed = True
                continue
            out.append(lines[i])
            i += 1
        if not removed:
            print(f"constants: FAIL: planted: no entry of {PLANT_NAME} in {PLANT_PAGE}", file=sys.stderr)
            return 1
        open(path, "w").write("\n".join(out))
        r = subprocess.run([sys.executable, os.path.abspath(__file__), "--pages", copy, "--header", header],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        said = [ln for ln in r.stdout.splitlines() if "FAIL" in ln and PLANT_NAME in ln]
        if r.returncode == 0 or not said:
            print(r.stdout)
            print(f"constants: FAIL: planted regression not caught: {PLANT_NAME}'s entry removed", file=sys.stderr)
            return 1
        print(f"constants: planted: {PLANT_NAME}'s entry removed from {PLANT_PAGE} -> caught ({said[0].strip()})")
        return 0
    finally:
        shutil.rmtree(tmp)


def planted_header(pagedir, header):
    """A copy of the header with one more setup flag, which no page explains."""
    tmp = tempfile.mkdtemp()
    try:
        text = open(header).read()
        anchor = re.search(r"^#define IORING_SETUP_IOPOLL\b.*$", text, re.M)
        if not anchor:
            print("constants: FAIL: planted: no IORING_SETUP_IOPOLL line to plant after", file=sys.stderr)
            return 1
        copy = os.path.join(tmp, "io_uring.h")
        open(copy, "w").write(text[:anchor.end()] + f"\n#define {HEADER_PLANT}\t(1U << 30)" + text[anchor.end():])
        r = subprocess.run([sys.executable, os.path.abspath(__file__), "--pages", pagedir, "--header", copy],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        said = [ln for ln in r.stdout.splitlines() if "FAIL" in ln and HEADER_PLANT in ln]
        if r.returncode == 0 or not said:
            print(r.stdout)
            print(f"constants: FAIL: planted regression not caught: {HEADER_PLANT} added to io_uring.h",
                  file=sys.stderr)
            return 1
        print(f"constants: planted: {HEADER_PLANT} added to io_uring.h without a page -> caught ({said[0].strip()})")
        return 0
    finally:
        shutil.rmtree(tmp)


def main(argv):
    pagedir = os.path.join(TOP, "docs", "man")
    header = os.path.join(TOP, "include", "liburing", "io_uring.h")
    plant = False
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--pages":
            pagedir = args.pop(0)
        elif a == "--header":
            header = args.pop(0)
        elif a == "--planted":
            plant = True
        else:
            print(__doc__, file=sys.stderr)
            return 2
    rc = check(pagedir, header)
    if rc == 0 and plant:
        for name, page in PLANTS:
            rc = rc or planted(pagedir, header, name, page)
        rc = rc or planted_header(pagedir, header)
        if rc == 0:
            print(f"constants: planted regressions caught: {len(PLANTS) + 1} of {len(PLANTS) + 1}")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Layout check of the public structs: upstream liburing 2.15's headers vs ours.

1. Upstream's liburing.h is run through the C preprocessor; every struct or
   union *defined* in a file under upstream's include directory is parsed
   (members of anonymous unions/structs are flattened, as C lets a program
   name them directly; named nested aggregates give "outer.inner" paths).
2. From that list a C program is generated that prints sizeof and alignof of
   every aggregate and offsetof and sizeof of every member.
3. The program is compiled and run once against upstream's headers and once
   against ours; the two outputs are compared line by line. When our header
   lacks a struct or member the program does not compile: the check then
   falls back to one program per struct and, for a failing struct, to one per
   member, and reports exactly what is missing.

The parsed struct list is cross-checked against the project's pahole layout
facts (liburing-2.15.layout) when present: every struct there must be found
here with the same size, so a parsing mistake cannot shrink the check.

With OBJCOPY set in the environment (CC then being a cross compiler whose
programs cannot run here), the values are read back from a data section of
an object file instead of printed by a program (capi-tests/arches/).

Usage: layout.py --upstream-inc DIR --our-inc DIR [--facts FILE [--facts-names-only]] [--work DIR]
Exit status: 0 all equal, 1 differences (or our header missing), 2 tool error.
"""
import argparse
import os
import re
import subprocess
import sys

CC = os.environ.get("CC", "cc")
CFLAGS = ["-D_GNU_SOURCE", "-std=gnu11", "-w"]


def preprocess(inc):
    src = '#include <liburing.h>\n'
    r = subprocess.run([CC, "-E", *CFLAGS, "-I", inc, "-x", "c", "-"], input=src,
                       capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError("preprocessing liburing.h failed:\n" + r.stderr)
    return r.stdout


def strip_attributes(s):
    # __attribute__((...)) with nested parentheses, and __extension__.
    out, i = [], 0
    while True:
        j = s.find("__attribute__", i)
        if j < 0:
            out.append(s[i:])
            break
        out.append(s[i:j])
        k = s.index("(", j)
        depth = 0
        while True:
            if s[k] == "(":
                depth += 1
            elif s[k] == ")":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        i = k + 1
    return re.sub(r"\b__extension__\b", " ", "".join(out))


def matching_brace(s, i):
    depth = 0
    for k in range(i, len(s)):
        if s[k] == "{":
            depth += 1
        elif s[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    raise ValueError("unbalanced braces")


def split_top(body, sep):
    parts, depth, cur = [], 0, []
    for ch in body:
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def declarator_name(d):
    """(name, is_flexible_array, is_bitfield) of one declarator, or None."""
    d = d.strip()
    if not d:
        return None
    bit = False
    if re.search(r":\s*\w+\s*$", d) and "::" not in d:
        bit = True
        d = re.sub(r":\s*\w+\s*$", "", d)
    m = re.search(r"\(\s*\*\s*(\w+)\s*\)", d)  # function pointer
    if m:
        return m.group(1), False, bit
    flex = bool(re.search(r"\[\s*\]\s*$", d))
    d = re.sub(r"(\[[^\]]*\]\s*)+$", "", d).strip()
    m = re.search(r"(\w+)\s*$", d)
    return (m.group(1), flex, bit) if m else None


def parse_members(body, prefix, out):
    """Append (path, flexible, bitfield) for every member of a struct body."""
    for decl in split_top(body, ";"):
        decl = decl.strip()
        if not decl:
            continue
        if "{" in decl:
            a = decl.index("{")
            b = matching_brace(decl, a)
            inner, after = decl[a + 1:b], decl[b + 1:]
            names = [declarator_name(x) for x in split_top(after, ",")]
            names = [n for n in names if n]
            if not names:  # anonymous struct/union: members belong to the parent
                parse_members(inner, prefix, out)
            for name, flex, bit in names:
                out.append((prefix + name, flex, bit))
                if "[" not in after:
                    parse_members(inner, prefix + name + ".", out)
            continue
        # "type a, b[4], *c" -> the type is everything before the first name.
        parts = split_top(decl, ",")
        first = declarator_name(parts[0])
        if first:
            out.append((prefix + first[0], first[1], first[2]))
        for p in parts[1:]:
            n = declarator_name(p)
            if n:
                out.append((prefix + n[0], n[1], n[2]))


def public_aggregates(pre, inc, also=()):
    """[(kind, name, members)] defined in files under `inc`, in order, then
    the (kind, name) pairs of `also` wherever they are defined (a system
    header: struct __kernel_timespec comes from <linux/time_types.h>)."""
    inc = os.path.realpath(inc)
    ours, other, cur_file = [], [], None
    for line in pre.splitlines():
        m = re.match(r'#\s+\d+\s+"([^"]+)"', line)
        if m:
            cur_file = m.group(1)
            continue
        if cur_file and os.path.realpath(cur_file).startswith(inc + os.sep):
            ours.append(line)
        else:
            other.append(line)
    found, seen = [], set()
    scan(strip_attributes("\n".join(ours)), None, found, seen)
    scan(strip_attributes("\n".join(other)), set(also) - seen, found, seen)
    return found


def scan(text, wanted, found, seen):
    for m in re.finditer(r"\b(struct|union)\s+(\w+)\s*\{", text):
        kind, name = m.group(1), m.group(2)
        if (kind, name) in seen or (wanted is not None and (kind, name) not in wanted):
            continue
        # Skip definitions nested inside another aggregate (named nested tags).
        if text.count("{", 0, m.start()) != text.count("}", 0, m.start()):
            continue
        a = text.index("{", m.start())
        b = matching_brace(text, a)
        members = []
        parse_members(text[a + 1:b], "", members)
        found.append((kind, name, members))
        seen.add((kind, name))


def layout_items(aggs):
    """[(line template, [C expressions])]: one output line per item, each {}
    of the template filled with the value of one expression."""
    items = []
    for kind, name, members in aggs:
        t = f"{kind} {name}"
        items.append((f"{t} size {{}} align {{}}", [f"sizeof({t})", f"_Alignof({t})"]))
        for path, flex, bit in members:
            if bit:
                items.append((f"{t}.{path} bitfield", []))
                continue
            size = "0" if flex else f"sizeof((({t} *)0)->{path})"
            what = "flexible array " if flex else ""
            items.append((f"{t}.{path} {what}offset {{}} size {{}}", [f"offsetof({t}, {path})", size]))
    return items


def c_program(aggs):
    lines = ["#include <stddef.h>", "#include <stdio.h>", "#include <liburing.h>", "",
             "int main(void)", "{"]
    for template, exprs in layout_items(aggs):
        fmt = template.replace("{}", "%zu")
        args = "".join(f", (size_t)({e})" for e in exprs)
        lines.append(f'\tprintf("{fmt}\\n"{args});')
    lines += ["\treturn 0;", "}", ""]
    return "\n".join(lines)


# With OBJCOPY set (a cross compiler whose programs cannot run here), the
# values are not printed by a program but compiled into a data section of an
# object file, after a marker that tells the byte order, and read back.
MARK = 0x0102030405060708
SECTION = ".layout_values"


def c_values(aggs):
    exprs = [e for _, es in layout_items(aggs) for e in es]
    body = ",\n".join(f"\t(unsigned long long)({e})" for e in [hex(MARK) + "ULL", *exprs])
    return "\n".join(["#include <stddef.h>", "#include <liburing.h>", "",
                      f'__attribute__((used, section("{SECTION}")))',
                      "const unsigned long long layout_values[] = {", body, "};", ""])


def read_values(aggs, blob):
    import struct
    n = len(blob) // 8
    for order in "<>":
        vals = struct.unpack(f"{order}{n}Q", blob[:n * 8])
        if vals and vals[0] == MARK:
            break
    else:
        raise RuntimeError(f"no byte-order marker at the start of {SECTION}")
    vals, out = list(vals[1:]), []
    for template, exprs in layout_items(aggs):
        out.append(template.format(*vals[:len(exprs)]))
        del vals[:len(exprs)]
    return out


def compile_run(aggs, inc, work, tag):
    c = os.path.join(work, tag + ".c")
    exe = os.path.join(work, tag)
    objcopy = os.environ.get("OBJCOPY")
    with open(c, "w") as f:
        f.write(c_values(aggs) if objcopy else c_program(aggs))
    r = subprocess.run([CC, *CFLAGS, "-I", inc, *(["-c"] if objcopy else []), "-o", exe, c],
                       capture_output=True, text=True)
    if r.returncode:
        return None, r.stderr
    if objcopy:
        r = subprocess.run([objcopy, "-O", "binary", f"--only-section={SECTION}", exe, exe + ".bin"],
                           capture_output=True, text=True)
        if r.returncode:
            return None, f"{objcopy} failed: {r.stderr}"
        with open(exe + ".bin", "rb") as f:
            return read_values(aggs, f.read()), ""
    r = subprocess.run([exe], capture_output=True, text=True)
    if r.returncode:
        return None, f"{exe} exited with {r.returncode}"
    return r.stdout.splitlines(), ""


def first_error(err):
    for line in err.splitlines():
        if "error" in line:
            return re.sub(r"^.*?error: ", "", line)
    return err.strip().splitlines()[-1] if err.strip() else "does not compile"


def our_layout(aggs, inc, work):
    """Our header's lines, falling back to smaller programs on compile errors."""
    lines, err = compile_run(aggs, inc, work, "ours-all")
    if lines is not None:
        return lines, []
    out, problems = [], []
    for i, agg in enumerate(aggs):
        kind, name, members = agg
        lines, err = compile_run([agg], inc, work, f"ours-{i}")
        if lines is not None:
            out += lines
            continue
        # Does the type exist at all?
        lines, err = compile_run([(kind, name, [])], inc, work, f"ours-{i}-t")
        if lines is None:
            problems.append(f"{kind} {name}: not usable in our header ({first_error(err)})")
            continue
        out += lines
        for j, m in enumerate(members):
            lines, err = compile_run([(kind, name, [m])], inc, work, f"ours-{i}-{j}")
            if lines is None:
                problems.append(f"{kind} {name}.{m[0]}: missing in our header ({first_error(err)})")
            else:
                out += lines[1:]
    return out, problems


def facts_sizes(facts):
    sizes = {}
    if facts and os.path.exists(facts):
        text = open(facts).read()
        for m in re.finditer(r"^(struct|union) (\w+) \{(.*?)^\};", text, flags=re.S | re.M):
            s = re.search(r"/\* size: (\d+),", m.group(3))
            sizes[(m.group(1), m.group(2))] = int(s.group(1)) if s else None
    return sizes


def facts_check(aggs, facts):
    """Every struct of the pahole facts must be in our parsed list, same size."""
    problems = []
    sizes = facts_sizes(facts)
    names = {(k, n) for k, n, _ in aggs}
    for key in sizes:
        if key not in names:
            problems.append(f"{key[0]} {key[1]} is in {facts} but was not found in upstream's header")
    return sizes, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream-inc", required=True)
    ap.add_argument("--our-inc", required=True)
    ap.add_argument("--facts")
    ap.add_argument("--facts-names-only", action="store_true",
                    help="use the facts for the struct list only (their sizes are x86_64's, "
                    "not those of a 32-bit target)")
    ap.add_argument("--work", default="target/layout-check")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)

    try:
        aggs = public_aggregates(preprocess(args.upstream_inc), args.upstream_inc,
                                 facts_sizes(args.facts).keys())
    except (RuntimeError, ValueError) as e:
        print(f"layout: cannot parse upstream's header: {e}")
        return 2
    nfields = sum(len(m) for _, _, m in aggs)
    status = 0

    up_lines, err = compile_run(aggs, args.upstream_inc, args.work, "upstream")
    if up_lines is None:
        print("layout: the generated program does not compile against upstream's header:")
        print(err)
        return 2

    if args.facts and os.path.exists(args.facts):
        sizes, problems = facts_check(aggs, args.facts)
        for line in up_lines:
            m = re.match(r"(struct|union) (\w+) size (\d+) ", line)
            if args.facts_names_only:
                break
            if m and sizes.get((m.group(1), m.group(2))) not in (None, int(m.group(3))):
                problems.append(f"{line}: the facts say {sizes[(m.group(1), m.group(2))]}")
        if problems:
            print("layout: upstream's header and the layout facts disagree:")
            for p in problems:
                print("  " + p)
            status = 1

    if not os.path.exists(os.path.join(args.our_inc, "liburing.h")):
        print(f"layout: {len(aggs)} structs, {nfields} fields read from upstream; "
              f"OUR HEADER IS MISSING ({args.our_inc}/liburing.h): nothing compared")
        return 1

    our_lines, problems = our_layout(aggs, args.our_inc, args.work)
    ours = {l.split(" size ")[0].split(" offset ")[0].split(" flexible")[0]: l for l in our_lines}
    diffs = []
    for line in up_lines:
        key = line.split(" size ")[0].split(" offset ")[0].split(" flexible")[0]
        if line.endswith(" bitfield"):
            key = line[:-len(" bitfield")]
        o = ours.get(key)
        if o is None:
            continue  # reported in problems
        if o != line:
            diffs.append(f"upstream: {line}\n      ours: {o}")
    if problems or diffs:
        print(f"layout: {len(aggs)} structs, {nfields} fields: "
              f"{len(problems)} missing, {len(diffs)} different")
        for p in problems:
            print("  " + p)
        for d in diffs:
            print("  " + d)
        return 1
    print(f"layout: {len(aggs)} structs, {nfields} fields, all equal")
    return status


if __name__ == "__main__":
    sys.exit(main())

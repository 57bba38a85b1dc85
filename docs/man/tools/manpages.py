#!/usr/bin/env python3
"""Build, check and describe liburing-rs's manual pages.

Sources: docs/man/man{2,3,7}/<page>.<section>.scd (scdoc syntax plus a few
directives expanded here, see docs/man/README.md). The header
(include/liburing.h and include/liburing/*.h) supplies every synopsis.

  manpages.py build    scd -> build/man/man{2,3,7}/*.{2,3,7} (+ symbolic links for the other names)
  manpages.py check    coverage, names, return kinds, annotations
  manpages.py lint     mandoc -T lint -W warning and man -l on every page
  manpages.py api OUT  write api.json
  manpages.py list     the page paths (man3/name.3) the sources produce
  manpages.py web DIR  write HTML copies of the pages (and an index) into DIR
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "capi-tests", "lib"))
from csplit import split_top_level  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
# The planted-regression tests point these at altered copies.
SRC = os.environ.get("MANPAGES_SRC") or os.path.join(TOP, "docs", "man")
OUT = os.environ.get("MANPAGES_OUT") or os.path.join(TOP, "build", "man")
INCLUDE = os.environ.get("MANPAGES_INCLUDE") or os.path.join(TOP, "include")
VERSION = "2.15"
# A fixed date keeps the generated pages byte-identical from run to run.
PAGE_DATE_EPOCH = "1764374400"  # 2025-11-29
KINDS = ("count", "negative errno", "pointer-or-NULL", "boolean", "void", "value")


def die(msg):
    print("manpages: " + msg, file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------- header


def header_decls(include=None):
    """Function declarations of the public header, as the FFI build sees them.

    Returns {name: {"ret": str, "params": [(type, name)], "proto": str,
    "inline": bool}} for every io_uring function, and the macros.
    """
    include = include or INCLUDE
    cc = os.environ.get("CC", "cc")
    pre = subprocess.run(
        [cc, "-E", "-P", "-DLIBURING_FFI", "-D_GNU_SOURCE", "-I" + include, "-x", "c", "-"],
        input="#include <liburing.h>\n", capture_output=True, text=True)
    if pre.returncode != 0:
        die("preprocessing liburing.h failed:\n" + pre.stderr)
    text = pre.stdout
    # Statements at brace depth 0: a declaration ends at ';', a definition
    # at its body (kept as a declaration, marked local).
    decls = []
    cur = []
    depth = 0
    i = 0
    while i < len(text):
        c = text[i]
        if depth == 0:
            if c == ";":
                decls.append(("".join(cur), False))
                cur = []
            elif c == "{":
                decls.append(("".join(cur), True))
                cur = []
                depth = 1
            else:
                cur.append(c)
        else:
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    # a definition is not followed by ';', but a struct is
                    pass
        i += 1
    funcs = {}
    for d, has_body in decls:
        d = " ".join(d.split())
        d = re.sub(r"__attribute__\s*\(\(.*?\)\)", "", d).strip()
        m = re.match(r"^(?:extern\s+)?(?:static\s+)?(?:inline\s+)?(.*?)\b((?:__?)?io_uring_\w*)\s*\((.*)\)$", d)
        if not m:
            continue
        ret, name, args = m.group(1).strip(), m.group(2), m.group(3).strip()
        if "(" in ret or "struct io_uring_sqe *" == ret and False:
            continue
        params = []
        if args and args != "void":
            for a in split_top_level(args):
                pm = re.match(r"^(.*?)(\w+)((?:\[[^\]]*\])*)$", a.strip())
                if not pm:
                    die("cannot parse parameter %r of %s" % (a, name))
                ptype = (pm.group(1).strip() + (" *" if pm.group(3) else "")).replace("* *", "**")
                params.append((norm_type(ptype), pm.group(2)))
        funcs[name] = {
            "ret": norm_type(ret),
            "params": params,
            "local": has_body,
        }
    # Which helpers are IOURINGINLINE (exported by liburing-ffi) and which
    # _LOCAL_INLINE (private), from the unprocessed header.
    raw = open(os.path.join(include, "liburing.h")).read()
    inline = set(re.findall(r"IOURINGINLINE\b[^(;{]*?\b(\w+)\s*\(", raw))
    local = set(re.findall(r"_LOCAL_INLINE\b[^(;{]*?\b(\w+)\s*\(", raw))
    for name, f in funcs.items():
        f["inline"] = name in inline
        f["private"] = name in local
        f["proto"] = format_proto(name, f)
    macros = {}
    for m in re.finditer(r"^#define\s+(io_uring_\w+)\(([^)]*)\)", raw, re.M):
        macros[m.group(1)] = "#define %s(%s)" % (m.group(1), m.group(2))
    # The version macros (upstream documents them too).
    ver = open(os.path.join(include, "liburing", "io_uring_version.h")).read()
    for m in re.finditer(r"^#define\s+(IO_URING_\w+)(\([^)]*\))?[ \t]*([^\\\n]*)", ver, re.M):
        if m.group(2):
            macros[m.group(1)] = "#define %s%s" % (m.group(1), m.group(2))
        else:
            macros[m.group(1)] = "#define %s %s" % (m.group(1), m.group(3).strip())
    return funcs, macros


def header_structs(include=None):
    """{name: definition} of the io_uring structs of the uapi header that a
    page may document (as upstream's io_uring_recvmsg_out(3))."""
    include = include or INCLUDE
    raw = open(os.path.join(include, "liburing", "io_uring.h")).read()
    return {m.group(1): m.group(0) for m in re.finditer(r"^struct (io_uring_\w+) \{.*?^\};", raw, re.M | re.S)}


def norm_type(t):
    t = " ".join(t.replace("_Bool", "bool").split())
    t = re.sub(r"\s*\*\s*", " *", t).replace("* *", "**")
    t = re.sub(r"\*\s+\*", "**", t)
    return t.strip()


def format_proto(name, f):
    ret = f["ret"]
    sep = "" if ret.endswith("*") else " "
    head = "%s%s%s(" % (ret, sep, name)
    if not f["params"]:
        return head + "void);"
    parts = []
    for t, n in f["params"]:
        parts.append("%s%s%s" % (t, "" if t.endswith("*") else " ", n))
    one = head + ", ".join(parts) + ");"
    if len(one) <= 72:
        return one
    pad = " " * len(head)
    return head + (",\n" + pad).join(parts) + ");"


# ---------------------------------------------------------------- symbols and maps


def version_nodes(path):
    nodes = {}
    node = None
    for line in open(path):
        line = line.split("#")[0].strip()
        m = re.match(r"^(LIBURING_[\d.]+)\s*\{", line)
        if m:
            node = m.group(1)
            continue
        m = re.match(r"^(\w+);$", line)
        if m and node and m.group(1) not in ("local",):
            nodes[m.group(1)] = node
    return nodes


def dynamic_symbols(lib):
    path = os.path.join(TOP, "build", "lib", lib)
    if not os.path.exists(path):
        die("%s is missing: run 'make lib' first" % path)
    out = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True, check=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TtWi" and "io_uring" in parts[2]:
            syms.add(parts[2].split("@")[0])
    return syms


# ---------------------------------------------------------------- page sources


class Page:
    def __init__(self, path):
        self.path = path
        base = os.path.basename(path)
        m = re.match(r"^(.+)\.([237])\.scd$", base)
        if not m:
            die("%s: a page source is named <page>.<section>.scd" % path)
        self.main, self.section = m.group(1), m.group(2)
        self.text = open(path).read()
        self.sections = {}
        cur = None
        for line in self.text.splitlines():
            hm = re.match(r"^# (.+)$", line)
            if hm:
                cur = hm.group(1).strip()
                self.sections[cur] = []
            elif cur:
                self.sections[cur].append(line)
        if "NAME" not in self.sections:
            die("%s: no NAME section" % path)
        name_par = " ".join(l.strip() for l in self.sections["NAME"] if l.strip()).replace("\\_", "_")
        if " - " not in name_par:
            die("%s: the NAME paragraph is 'name, name - what they do'" % path)
        names, self.summary = name_par.split(" - ", 1)
        self.names = [n.strip() for n in names.split(",") if n.strip()]
        if self.names[0] != self.main:
            die("%s: the first name in NAME must be the file's name %s" % (path, self.main))
        self.kinds = {}
        self.arrays = []
        self.outs = []
        self.inouts = []
        self.terms = set()
        for line in self.text.splitlines():
            m = re.match(r"^@array\s+(\w+)\s+(\w+)\s+(\w+)\s*$", line)
            if m:
                self.arrays.append(m.groups())
            m = re.match(r"^@(out|inout)\s+(\w+)\s+(\w+)\s*$", line)
            if m:
                # api.json lists both as out_params: the call writes there.
                self.outs.append(m.groups()[1:])
                if m.group(1) == "inout":
                    self.inouts.append(m.groups()[1:])
            if line.startswith("@terms "):
                self.terms.update(w.replace("\\_", "_") for w in line.split()[1:])
        rv = self.sections.get("RETURN VALUE", [])
        for line in rv:
            m = re.match(r"^Return kind(?: of ([\w, ]+))?: \*([\w -]+)\*\.", line.replace("\\_", "_"))
            if m:
                who = [n.strip() for n in m.group(1).split(",")] if m.group(1) else list(self.names)
                for n in who:
                    self.kinds.setdefault(n, []).append(m.group(2))

    def render_scd(self, funcs, macros):
        out = ['%s(%s) "liburing-rs %s" "liburing-rs Manual"' % (self.main, self.section, VERSION), ""]
        run = []  # consecutive @array/@out/@inout lines: one paragraph
        for line in self.text.splitlines() + [""]:
            if re.match(r"^@(array|out|inout) ", line):
                run.append(line.split())
                continue
            if run:
                out += render_annotations(run, funcs)
                run = []
            if line.startswith("@terms "):
                continue
            if line.strip() == "@synopsis":
                out += synopsis(self, funcs, macros)
            else:
                out.append(line)
        return "\n".join(out[:-1]) + "\n"


def fn_list(names):
    """*a*(), *b*() and *c*()"""
    return word_list(["*%s*()" % n for n in names])


def render_annotations(run, funcs):
    """The sentences for a run of @array/@out/@inout lines, one per kind, so
    that a page with several annotated functions does not say the same
    sentence once per function. An @array whose parameter is a void * (or
    char *) is a buffer, its length a number of bytes."""
    arrays, buffers, outs, prep_outs, inouts = {}, {}, {}, {}, {}
    for w in run:
        f = w[1].replace("\\_", "_")
        types = {pn: pt for pt, pn in funcs[f]["params"]} if f in funcs else {}
        if w[0] == "@array" and re.sub(r"\bconst\b", "", types.get(w[2], "")).split() in (["void", "*"], ["char", "*"]):
            buffers.setdefault((w[2], w[3]), []).append(w[1])
        elif w[0] == "@array":
            arrays.setdefault((w[2], w[3]), []).append(w[1])
        elif w[0] == "@inout":
            inouts.setdefault(w[2], []).append(w[1])
        elif w[1].startswith("io_uring_prep_"):
            prep_outs.setdefault(w[2], []).append(w[1])
        else:
            outs.setdefault(w[2], []).append(w[1])
    text = []
    if len(arrays) == 1:
        (p, n), fs = next(iter(arrays.items()))
        text.append("In %s, _%s_ is an array; _%s_ gives the number of its elements." % (fn_list(fs), p, n))
    elif arrays:
        text.append("These parameters are arrays, each followed here by the parameter that gives its number of "
                    "elements: %s." % "; ".join("_%s_ of %s (_%s_)" % (p, fn_list(fs), n)
                                                for (p, n), fs in arrays.items()))
    if len(buffers) == 1:
        (p, n), fs = next(iter(buffers.items()))
        text.append("In %s, _%s_ is a buffer of _%s_ bytes." % (fn_list(fs), p, n))
    elif buffers:
        text.append("These parameters are buffers, each followed here by the parameter that gives its size in "
                    "bytes: %s." % "; ".join("_%s_ of %s (_%s_)" % (p, fn_list(fs), n)
                                             for (p, n), fs in buffers.items()))
    for group, one, many in (
            (outs, "In %s, _%s_ is an out-parameter: the call stores its result there.",
             "Out-parameters, where the call stores its result: %s."),
            (prep_outs, "In %s, _%s_ is an out-parameter: the kernel stores a result there when the request runs, "
                        "so it must stay valid until the completion.",
             "Out-parameters, where the kernel stores a result when the request runs (each must stay valid until "
             "the completion): %s."),
            (inouts, "In %s, _%s_ is read and written: the call takes its settings from it and stores its "
                     "results back there.",
             "Read and written (settings in, results out): %s.")):
        # parameters that belong to the same functions go together
        by_fns = {}
        for p, fs in group.items():
            by_fns.setdefault(tuple(fs), []).append(p)
        if len(group) == 1:
            p, fs = next(iter(group.items()))
            text.append(one % (fn_list(fs), p))
        elif group:
            text.append(many % "; ".join("%s of %s" % (word_list(["_%s_" % p for p in ps]), fn_list(fs))
                                         for fs, ps in by_fns.items()))
    return [" ".join(text)]


def word_list(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def synopsis(page, funcs, macros):
    structs = header_structs()
    lines = ["*#include <liburing.h>*", "", "```"]
    first = True
    for n in page.names:
        if not first:
            lines.append("")
        first = False
        if n in funcs:
            lines += funcs[n]["proto"].splitlines()
        elif n in macros:
            lines.append(macros[n])
        elif n in structs:
            lines += structs[n].replace("\t", "        ").splitlines()
        else:
            die("%s: %s is named in NAME but is not declared in include/liburing.h" % (page.path, n))
    lines.append("```")
    return lines


def load_pages():
    pages = []
    for sec in ("2", "3", "7"):
        d = os.path.join(SRC, "man" + sec)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith(".scd"):
                pages.append(Page(os.path.join(d, f)))
    return pages


# ---------------------------------------------------------------- build


def clean_roff(roff):
    """Drop the paragraph macros scdoc emits where they have no effect
    (mandoc -T lint reports each one) and blank lines."""
    lines = []
    nofill = False
    for l in roff.splitlines():
        if l == ".nf":
            nofill = True
        elif l == ".fi":
            nofill = False
        if l.strip() == "" and not nofill:
            continue
        # a blank line in a literal block: an empty line would be a lint warning
        lines.append(l if l.strip() or not nofill else ".sp")
    out = []
    for i, l in enumerate(lines):
        if l == ".P":
            prev = out[-1] if out else ""
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if prev.startswith((".SH", ".SS", ".TH", ".P")) or nxt.startswith((".SH", ".SS", ".P", ".RS", ".RE")) \
                    or nxt == "":
                continue
        out.append(l)
        if l.startswith(".TH "):
            out.append(".nh")
            out.append(".ad l")
    return "\n".join(out) + "\n"


def cmd_build():
    funcs, macros = header_decls()
    pages = load_pages()
    env = dict(os.environ, SOURCE_DATE_EPOCH=PAGE_DATE_EPOCH)
    seen = {}
    for sec in ("2", "3", "7"):
        d = os.path.join(OUT, "man" + sec)
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            os.unlink(os.path.join(d, f))
    for p in pages:
        scd = p.render_scd(funcs, macros)
        r = subprocess.run(["scdoc"], input=scd, capture_output=True, text=True, env=env)
        if r.returncode != 0:
            die("scdoc failed on %s: %s" % (p.path, r.stderr.strip()))
        roff = clean_roff(r.stdout)
        d = os.path.join(OUT, "man" + p.section)
        with open(os.path.join(d, "%s.%s" % (p.main, p.section)), "w") as fh:
            fh.write(roff)
        for n in p.names:
            if n in seen:
                die("%s is named by both %s and %s" % (n, seen[n], p.path))
            seen[n] = p.path
            if n != p.main:
                # Another name of the page: a symbolic link to it in the same
                # directory, as Debian installs liburing-dev's (mandoc calls a
                # .so include fragile, and man-db follows links as well).
                os.symlink("%s.%s" % (p.main, p.section), os.path.join(d, "%s.%s" % (n, p.section)))
    print("manpages: built %d page sources into %s" % (len(pages), os.path.relpath(OUT, TOP)))


# ---------------------------------------------------------------- check


def kind_fits(kind, ret):
    ptr = ret.endswith("*")
    if kind == "void":
        return ret == "void"
    if kind == "pointer-or-NULL":
        return ptr
    if kind == "boolean":
        return ret in ("bool", "int", "_Bool")
    if kind == "count":
        return ret in ("unsigned", "unsigned int", "int", "size_t", "ssize_t", "__u32", "uint32_t", "__u16",
                       "uint16_t")
    if kind == "negative errno":
        return ret in ("int", "ssize_t", "long", "__s32")
    if kind == "value":
        return ret != "void"
    return False


STATS = {k: 0 for k in ("pages_words", "words", "terms", "pages_sentences", "sentences", "see_ours",
                        "see_system", "named")}


def uapi_header_names():
    """Every #define and enum constant of liburing/io_uring.h (without its
    include guard)."""
    text = re.sub(r"/\*.*?\*/", " ", open(os.path.join(INCLUDE, "liburing", "io_uring.h")).read(), flags=re.S)
    names = set(re.findall(r"^\s*#\s*define\s+([A-Za-z_]\w*)", text, flags=re.M))
    for m in re.finditer(r"\benum\b[^{;]*\{(.*?)\}", text, flags=re.S):
        for item in m.group(1).split(","):
            w = re.match(r"\s*([A-Za-z_]\w*)", item)
            if w:
                names.add(w.group(1))
    names.discard("LINUX_IO_URING_H")
    return names


def check_uapi_names(pages):
    """Each name of io_uring.h is named by at least one page (issue 24, part 1;
    constants.py checks that a page also explains it). Returns (errors,
    summary)."""
    names = uapi_header_names()
    text = " ".join(p.text for p in pages).replace("\\_", "_")
    named = {n for n in names if re.search(r"(?<![\w])" + re.escape(n) + r"(?![\w])", text)}
    errors = []
    for n in sorted(names - named):
        errors.append("liburing/io_uring.h defines %s, which no page names: explain it in a page" % n)
    summary = ("io_uring.h: %d of %d names (#define and enum constants) named by at least one page"
               % (len(named), len(names)))
    return errors, summary


def system_page(name, sec):
    """Whether man-db finds NAME(SEC) on this machine (manpages, manpages-dev)."""
    return subprocess.run(["man", "-w", sec, name], capture_output=True).returncode == 0


def prose(text):
    """The page text a reader reads as sentences: no directives, no code."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    return "\n".join(line for line in text.splitlines() if not line.startswith("@"))


def check_param_names(p, funcs):
    """Every underlined word of the text (_word_) is a parameter of one of the
    page's functions as the synopsis names it, or one of the page's @terms
    (struct fields and other names that are not parameters, declared on
    purpose). A term may not repeat a parameter, and must be used."""
    errors = []
    params = {pn for n in p.names if n in funcs for _, pn in funcs[n]["params"]}
    used = set()
    STATS["pages_words"] += 1
    for m in re.finditer(r"(?<![\w\\])_((?:[A-Za-z0-9]|\\_)(?:[A-Za-z0-9]|\\_|_(?=[A-Za-z0-9]))*)_(?!\w)",
                         prose(p.text)):
        used.add(m.group(1).replace("\\_", "_"))
    STATS["words"] += len(used)
    STATS["terms"] += len(p.terms)
    for w in sorted(used):
        if w not in params and w not in p.terms:
            errors.append("%s: says _%s_, which is no parameter of %s (the synopsis' names: %s); a field or other "
                          "name goes into the page's @terms line" % (p.path, w, ", ".join(p.names),
                                                                    ", ".join(sorted(params)) or "none"))
    for w in sorted(p.terms):
        if w in params:
            errors.append("%s: @terms lists %s, a parameter of the page" % (p.path, w))
        elif w not in used:
            errors.append("%s: @terms lists %s, which the text does not use" % (p.path, w))
    return errors


def page_sentences(p, funcs, macros):
    """The sentences of the rendered page outside NAME, SYNOPSIS, SEE ALSO
    and code, markup removed."""
    cur, body = None, []
    for line in prose(p.render_scd(funcs, macros)).splitlines():
        h = re.match(r"^# (.+)$", line)
        if h:
            cur = h.group(1).strip()
            body.append("\n")
        elif cur not in (None, "NAME", "SYNOPSIS", "SEE ALSO") and not line.startswith("Return kind"):
            body.append(line.strip() or "\n")
    text = " ".join(body).replace("\\_", "_").replace("\\*", "*")
    out = []
    for par in text.split("\n"):
        for sent in re.split(r"(?<=[.!?:])\s+(?=[A-Z*_(-])", par):
            sent = " ".join(sent.split())
            if sent:
                out.append(sent)
    return out


def check_repeats(p, funcs, macros):
    """No sentence twice in a page, neither word for word nor as the same
    template filled with other names (*f*() and _param_ replaced)."""
    errors, seen, shapes = [], {}, {}
    STATS["pages_sentences"] += 1
    for sent in page_sentences(p, funcs, macros):
        STATS["sentences"] += 1
        words = len(sent.split())
        if words >= 4:
            seen[sent] = seen.get(sent, 0) + 1
        if words >= 6:
            shape = re.sub(r"(?<!\w)_\w+?_(?!\w)", "_P_", re.sub(r"\*[\w.]+\*\(\d?\)", "*F*()", sent))
            shape = re.sub(r"\*F\*\(\)(?:(?:, | and )\*F\*\(\))+", "*F*()", shape)
            shapes.setdefault(shape, set()).add(sent)
    for sent, n in seen.items():
        if n > 1:
            errors.append("%s: says %d times: %s" % (p.path, n, sent[:100]))
    for shape, sents in shapes.items():
        if len(sents) > 1:
            errors.append("%s: %d sentences of one pattern (say it once, for all): %s"
                          % (p.path, len(sents), shape[:100]))
    return errors


def cmd_check():
    funcs, macros = header_decls()
    structs = header_structs()
    pages = load_pages()
    errors = []
    core = dynamic_symbols("liburing.so.2")
    ffi = dynamic_symbols("liburing-ffi.so.2")
    public_helpers = {n for n, f in funcs.items() if f["inline"]}
    lib_macros = {n for n in macros if n.startswith("io_uring_")}
    wanted = core | ffi | public_helpers | lib_macros
    documented = {}
    for p in pages:
        for n in p.names:
            documented[n] = p
    # 1. every symbol and helper has a page (or a link to one)
    for n in sorted(wanted):
        if n not in documented:
            what = "helper in include/liburing.h" if n in public_helpers or n in lib_macros else "exported symbol"
            errors.append("%s (%s) has no page: add it to a page's NAME in docs/man/" % (n, what))
    known_pages = set(documented)
    for p in pages:
        known_pages.add(p.main)
    for p in pages:
        if p.section in "23":
            # 2. every name a function page documents exists
            for n in p.names:
                if n in structs:
                    continue
                if n not in funcs and n not in macros:
                    errors.append("%s: names %s, which include/liburing.h does not declare" % (p.path, n))
                elif n not in wanted and not n.startswith("IO_URING_") and n not in ("io_uring_setup", "io_uring_enter", "io_uring_enter2",
                                                    "io_uring_register"):
                    errors.append("%s: names %s, which neither library exports" % (p.path, n))
            # 3. return kinds
            if "RETURN VALUE" not in p.sections:
                errors.append("%s: no RETURN VALUE section" % p.path)
            for n in p.names:
                if n in structs:
                    continue
                ks = p.kinds.get(n, [])
                if len(ks) != 1:
                    errors.append("%s: %s needs exactly one 'Return kind: *KIND*.' line in RETURN VALUE, has %d"
                                  % (p.path, n, len(ks)))
                    continue
                k = ks[0]
                if k not in KINDS:
                    errors.append("%s: %s: return kind %r is not one of %s" % (p.path, n, k, ", ".join(KINDS)))
                elif n in funcs and not kind_fits(k, funcs[n]["ret"]):
                    errors.append("%s: %s returns %s, which cannot be a %s" % (p.path, n, funcs[n]["ret"], k))
            for n in p.kinds:
                if n not in p.names:
                    errors.append("%s: return kind given for %s, which the page does not name" % (p.path, n))
            for key in ("DESCRIPTION", "SEE ALSO"):
                if key not in p.sections:
                    errors.append("%s: no %s section" % (p.path, key))
            body = sum(len(" ".join(p.sections.get("DESCRIPTION", [])).split()) for _ in [0])
            if body < 25 * max(1, min(len(p.names), 4)) ** 0.5:
                errors.append("%s: DESCRIPTION has %d words: too thin to be a page" % (p.path, body))
            # 4. annotations name real parameters
            for f, prm, ln in p.arrays:
                if f not in p.names or f not in funcs:
                    errors.append("%s: @array names %s, not a function of this page" % (p.path, f))
                    continue
                pn = [x[1] for x in funcs[f]["params"]]
                if prm not in pn or ln not in pn:
                    errors.append("%s: @array %s %s %s: %s has parameters %s" % (p.path, f, prm, ln, f, pn))
                elif not dict((b, a) for a, b in funcs[f]["params"])[prm].endswith("*"):
                    errors.append("%s: @array %s %s: not a pointer" % (p.path, f, prm))
            for f, prm in p.outs:
                if f not in p.names or f not in funcs:
                    errors.append("%s: @out names %s, not a function of this page" % (p.path, f))
                    continue
                types = dict((b, a) for a, b in funcs[f]["params"])
                if prm not in types or not types[prm].endswith("*"):
                    errors.append("%s: @out %s %s: no such pointer parameter" % (p.path, f, prm))
        if p.section in "23":
            # 7. the parameter names the text uses are the synopsis' names
            errors += check_param_names(p, funcs)
            # 8. no sentence said twice (generated or not); the page must
            # render, so only when every name is declared (2. says otherwise)
            if all(n in funcs or n in macros or n in structs for n in p.names):
                errors += check_repeats(p, funcs, macros)
        # 10. every io_uring function the text names, *f*(), exists
        for m in re.finditer(r"\*((?:\\_)*[A-Za-z_][\w\\]*)\*\(\)", prose(p.text)):
            name = m.group(1).replace("\\_", "_")
            STATS["named"] += 1
            if name.startswith(("io_uring", "__io_uring")) and name not in funcs and name not in macros:
                errors.append("%s: names %s(), which include/liburing.h does not declare" % (p.path, name))
        # 9. SEE ALSO holds only page references, and each page exists:
        # ours (below), or the system's (man -w)
        see = " ".join(p.sections.get("SEE ALSO", []))
        rest = re.sub(r"\*([a-z_0-9\\-]+)\*\(([237])\)", "", see).replace(",", "").strip()
        if rest:
            errors.append("%s: SEE ALSO holds %r, which is not a *page*(N) reference" % (p.path, rest))
        for m in re.finditer(r"\*([a-z_0-9\\-]+)\*\(([237])\)", see):
            ref, sec = m.group(1).replace("\\_", "_"), m.group(2)
            ours = ref.startswith(("io_uring", "__io_uring", "liburing"))
            STATS["see_ours" if ours else "see_system"] += 1
            if not ours and not system_page(ref, sec):
                errors.append("%s: SEE ALSO names %s(%s), which man -w does not find" % (p.path, ref, sec))
        # 5. every page reference points at a page that exists
        for m in re.finditer(r"\*([a-z_0-9\\-]+)\*\(([237])\)", p.text):
            ref, sec = m.group(1).replace("\\_", "_"), m.group(2)
            if ref.startswith("io_uring") or ref.startswith("__io_uring") or ref.startswith("liburing"):
                if ref not in known_pages:
                    errors.append("%s: refers to %s(%s), which has no page" % (p.path, ref, sec))
    # 11. io_uring.h's names: in a page, or on the list of the work left
    uapi_errors, uapi_summary = check_uapi_names(pages)
    errors += uapi_errors
    # 6. private helpers stay private: no IOURINGINLINE name is missing from
    # liburing-ffi, and no _LOCAL_INLINE one is exported.
    for n in public_helpers:
        if n not in ffi:
            errors.append("%s is IOURINGINLINE in the header but liburing-ffi.so.2 does not export it" % n)
    for n, f in funcs.items():
        if f["private"] and (n in ffi or n in core):
            errors.append("%s is _LOCAL_INLINE but exported" % n)
    if errors:
        for e in errors:
            print("manpages check: " + e, file=sys.stderr)
        die("%d problem(s)" % len(errors))
    npages = {s: sum(1 for p in pages if p.section == s) for s in "237"}
    nnames = {s: sum(len(p.names) for p in pages if p.section == s) for s in "237"}
    print("manpages check: %d symbols of liburing.so.2, %d of liburing-ffi.so.2, %d header helpers, %d macros: "
          "all documented" % (len(core), len(ffi), len(public_helpers), len(lib_macros)))
    print("manpages check: sources %s; names (pages + links) %s"
          % (", ".join("man%s %d" % (s, npages[s]) for s in "237"),
             ", ".join("man%s %d" % (s, nnames[s]) for s in "237")))
    print("manpages check: " + uapi_summary)
    print("manpages check: facts: %(words)d underlined words (distinct within each page) in %(pages_words)d function pages, each a "
          "parameter of the synopsis or one of %(terms)d declared terms; %(sentences)d sentences in "
          "%(pages_sentences)d pages, none said twice, no pattern twice; SEE ALSO: %(see_ours)d references to "
          "our pages and %(see_system)d to system pages, all found; %(named)d functions named *f*() in the text, "
          "every io_uring one declared" % STATS)


# ---------------------------------------------------------------- lint


def cmd_lint():
    """mandoc -T lint -W warning on every file make install installs, the
    pages and their links alike (a link is linted through it), every
    message counted; and man -l renders each."""
    bad = 0
    n = links = warnings = 0
    for sec in ("2", "3", "7"):
        d = os.path.join(OUT, "man" + sec)
        for f in sorted(os.listdir(d)):
            path = os.path.join(d, f)
            n += 1
            if os.path.islink(path):
                links += 1
                target = os.readlink(path)
                if "/" in target or os.path.islink(os.path.join(d, target)) or \
                        not os.path.isfile(os.path.join(d, target)):
                    print("%s: a link must name a page file of the same directory, not %s" % (path, target),
                          file=sys.stderr)
                    bad += 1
                    continue
            elif open(path).readline().startswith(".so "):
                print("%s: a .so include; another name of a page is a symbolic link" % path, file=sys.stderr)
                bad += 1
                continue
            r = subprocess.run(["mandoc", "-T", "lint", "-W", "warning", path], capture_output=True,
                               text=True, cwd=OUT)
            msgs = (r.stdout + r.stderr).strip()
            warnings += len(msgs.splitlines()) if msgs else 0
            if r.returncode != 0 or msgs:
                print(msgs or "%s: mandoc exit %d" % (path, r.returncode), file=sys.stderr)
                bad += 1
                continue
            r = subprocess.run(["man", "--warnings", "-l", path], capture_output=True, text=True, cwd=OUT,
                               env=dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="0"))
            if r.returncode != 0 or not r.stdout.strip() or r.stderr.strip():
                print("%s: man -l failed (%d): %s" % (path, r.returncode, r.stderr.strip()), file=sys.stderr)
                bad += 1
    if bad:
        die("lint: %d of %d files have warnings (%d mandoc messages) or do not render" % (bad, n, warnings))
    print("manpages lint: %d files (%d pages, %d symbolic links to them): mandoc -T lint -W warning "
          "printed %d messages; all render with man -l" % (n, n - links, links, warnings))


# ---------------------------------------------------------------- api.json


def api_entries():
    funcs, macros = header_decls()
    pages = load_pages()
    core_nodes = version_nodes(os.path.join(TOP, "liburing.map"))
    ffi_nodes = version_nodes(os.path.join(TOP, "liburing-ffi.map"))
    entries = []
    for p in pages:
        if p.section not in "23":
            continue
        for n in p.names:
            if n not in funcs:
                continue
            f = funcs[n]
            arrays = [{"param": prm, "length": ln} for fn, prm, ln in p.arrays if fn == n]
            outs = [prm for fn, prm in p.outs if fn == n]
            libs = []
            if n in core_nodes:
                libs.append("liburing")
            if n in ffi_nodes:
                libs.append("liburing-ffi")
            entries.append({
                "name": n,
                "prototype": " ".join(f["proto"].split()),
                "returns": f["ret"],
                "return_kind": p.kinds[n][0],
                "params": [{"name": pn, "type": pt} for pt, pn in f["params"]],
                "arrays": arrays,
                "out_params": outs,
                "version": core_nodes.get(n) or ffi_nodes.get(n),
                "versions": {lib: nodes[n] for lib, nodes in (("liburing", core_nodes), ("liburing-ffi", ffi_nodes))
                             if n in nodes},
                "libraries": libs,
                "header_inline": f["inline"],
                "page": "%s(%s)" % (p.main, p.section),
            })
    entries.sort(key=lambda e: e["name"])
    return entries


def cmd_api(out):
    doc = {
        "library": "liburing-rs",
        "version": VERSION,
        "return_kinds": {
            "count": "a number of items (never negative, never an errno)",
            "negative errno": "0 or a non-negative result on success, -errno on failure",
            "pointer-or-NULL": "a pointer on success, NULL on failure",
            "boolean": "true (non-zero) or false (zero)",
            "void": "nothing",
            "value": "a plain value that cannot fail",
        },
        "functions": api_entries(),
    }
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as fh:
        json.dump(doc, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print("manpages: wrote %s (%d functions)" % (out, len(doc["functions"])))


# ---------------------------------------------------------------- web copies


def cmd_web(outdir):
    pages = load_pages()
    os.makedirs(outdir, exist_ok=True)
    for f in os.listdir(outdir):
        if f.endswith(".html") or f == "README.md":
            os.unlink(os.path.join(outdir, f))
    index = ["# liburing-rs manual pages", "",
             "HTML copies of the manual pages, generated from docs/man/ by `make man-web` (mandoc -T html); "
             "do not edit. `make test-man` fails when they differ from a fresh build. Each page also answers "
             "to the names listed after it. `api.json` is the machine-readable API description (see "
             "liburing-rs(7)); `api.schema.json`, written by hand, is its JSON Schema.", ""]
    for sec in ("2", "3", "7"):
        index += ["## Section %s" % sec, ""]
        for p in pages:
            if p.section != sec:
                continue
            src = os.path.join(OUT, "man" + sec, "%s.%s" % (p.main, sec))
            r = subprocess.run(["mandoc", "-T", "html", "-O", "fragment", src], capture_output=True, text=True,
                               check=True)
            with open(os.path.join(outdir, "%s.%s.html" % (p.main, sec)), "w") as fh:
                fh.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s(%s)</title></head>\n"
                         "<body>\n%s</body></html>\n" % (p.main, sec, r.stdout))
            others = [n for n in p.names if n != p.main]
            index.append("- [%s(%s)](%s.%s.html)%s: %s" % (p.main, sec, p.main, sec,
                                                       " (also " + ", ".join(others) + ")" if others else "",
                                                       p.summary))
        index.append("")
    with open(os.path.join(outdir, "README.md"), "w") as fh:
        fh.write("\n".join(index))
    print("manpages: wrote %d HTML pages and README.md into %s" % (len(pages), outdir))


def main():
    if len(sys.argv) < 2:
        die(__doc__)
    cmd = sys.argv[1]
    if cmd == "build":
        cmd_build()
    elif cmd == "check":
        cmd_check()
    elif cmd == "lint":
        cmd_lint()
    elif cmd == "api":
        cmd_api(sys.argv[2])
    elif cmd == "web":
        cmd_web(sys.argv[2])
    elif cmd == "list":
        # every installed page path, man<S>/<name>.<S> (pages and links), from the sources
        for p in load_pages():
            for n in p.names:
                print("man%s/%s.%s" % (p.section, n, p.section))
    elif cmd == "decls":
        funcs, macros = header_decls()
        for n in sorted(funcs):
            print("%s%s" % ("[inline] " if funcs[n]["inline"] else "[local] " if funcs[n]["private"] else "",
                            funcs[n]["proto"].replace("\n", " ")))
    else:
        die("unknown command " + cmd)


if __name__ == "__main__":
    main()

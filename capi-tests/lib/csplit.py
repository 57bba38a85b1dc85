"""Splitting C text at its top-level commas, for the harness's parsers.

split_top_level("int a, void (*f)(int, int)") -> ["int a", " void (*f)(int, int)"]
split_top_level(["a", "[", "2", ",", "3", "]", ",", "b"], "[", "]") -> [[...], ["b"]]

A string gives strings; a list of tokens gives lists of tokens. Nesting is
counted with OPEN and CLOSE only (parentheses by default)."""


def split_top_level(items, open_="(", close=")", sep=","):
    parts, cur, depth = [], [], 0
    for x in items:
        if x == open_:
            depth += 1
        elif x == close:
            depth -= 1
        if x == sep and depth == 0:
            parts.append(cur)
            cur = []
        else:
            cur.append(x)
    parts.append(cur)
    if isinstance(items, str):
        return ["".join(p) for p in parts]
    return parts

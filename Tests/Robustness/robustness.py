#!/usr/bin/env python3
"""Runs herald on hostile, pathological and broken inputs and writes docs/robustness.md: for
each case, the command, what Herald did (exit status and its first diagnostic) and the time it
took on this machine. `make robustness` runs it with the release build.

Usage: robustness.py HERALD OUTPUT.md
"""

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

HERALD = os.path.abspath(sys.argv[1])
OUTPUT = sys.argv[2]
FRONT = "---\ntitle: Case\ndate: 2026-10-01\n---\n\n"


def post(body, front=FRONT):
    return (front + body).encode("utf-8") if isinstance(body, str) else front.encode("utf-8") + body


def nested_list(depth):
    return "".join("  " * i + "- level %d\n" % i for i in range(depth))


# Each case: (group, name, files {name: bytes} or None for the damaged stub, arguments after `herald`).
CASES = [
    # Hostile: inputs made to hurt.
    ("hostile", "10,000 nested block quotes", {"post.md": post("> " * 10000 + "deep\n")}, ["render", "post.md"]),
    ("hostile", "30,000 nested quotes as the AST's JSON", {"post.md": post("> " * 30000 + "deep\n")}, ["render", "post.md", "--to", "ast"]),
    ("hostile", "100,000 opening brackets", {"post.md": post("[" * 100000 + "\n")}, ["render", "post.md"]),
    ("hostile", "a list 1,000 levels deep, as email text", {"post.md": post(nested_list(1000))}, ["render", "post.md", "--to", "text"]),
    ("hostile", "one 10 MB paragraph, as email text", {"post.md": post(("word " * 2_000_000) + "\n")}, ["render", "post.md", "--to", "text"]),
    ("hostile", "120,000 <b> tags, then 中", {"post.md": post("<b>" * 120000 + "中\n")}, ["check", "post.md"]),
    ("hostile", "script, event handlers, javascript: links, an iframe",
     {"post.md": post('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n[a](javascript:alert(1)) <a href="jav&#x09;ascript:alert(1)">b</a>\n\n<svg onload=alert(1)></svg><iframe src="https://evil.example"></iframe>\n')},
     ["render", "post.md"]),
    ("hostile", "XML entities that expand a billion times (raw HTML, EPUB)",
     {"post.md": post('<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n\n<p>&b;&b;&b;</p>\n')},
     ["epub", "post.md", "-o", "post.epub"]),
    ("hostile", "an image outside the post's folder (../)", {"posts/post.md": post("![secret](../../../../etc/passwd)\n")},
     ["build", "posts", "--out", "out", "--formats", "epub"]),
    ("hostile", "a header injection in the title",
     {"post.md": post("Body.\n", front="---\ntitle: \"News\\r\\nBcc: evil@example.org\"\ndate: 2026-10-01\n---\n\n")},
     ["email", "post.md", "--from", "news@example.org", "--to", "list@example.org", "-o", "post.eml"]),
    ("hostile", "control characters (backspace, escape) in prose", {"post.md": post("中文\x08内容 and \x1b[31mred\n")},
     ["build", "post.md", "--out", "out"]),
    ("hostile", "stray table and list tags in raw HTML", {"post.md": post("<td\n\n<table><table>\n\n<i><li>x</li></i>\n")},
     ["render", "post.md"]),
    ("hostile", "a bare address followed by Chinese", {"post.md": post("见 https://example.org/a中文说明\n")},
     ["render", "post.md"]),
    ("pathological", "a table of 2,000 columns",
     {"post.md": post("|" + "|".join("c%d" % i for i in range(2000)) + "|\n|" + "|".join("-" for _ in range(2000)) + "|\n|" + "|".join(str(i) for i in range(2000)) + "|\n")},
     ["render", "post.md", "--to", "text"]),
    ("pathological", "10,000 footnotes", {"post.md": post("".join("Note[^%d].\n" % i for i in range(10000)) + "\n" + "".join("[^%d]: Footnote %d.\n" % (i, i) for i in range(10000)))},
     ["epub", "post.md", "-o", "post.epub"]),
    ("pathological", "10,000 links on one line and 10,000 near-miss labels",
     {"post.md": post(" ".join("[l%d][]" % i for i in range(10000)) + "\n\n" + "".join("[l%d ]: https://example.org/%d\n" % (i, i) for i in range(10000)))},
     ["check", "post.md"]),
    ("pathological", "30,000 lines of one code block", {"post.md": post("```\n" + "let x = 1\n" * 30000 + "```\n")},
     ["build", "post.md", "--out", "out"]),
    # Broken: mistakes real files have.
    ("broken", "an empty file", {"post.md": b""}, ["render", "post.md"]),
    ("broken", "a PNG named .md", {"post.md": bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D])}, ["build", "post.md", "--out", "out"]),
    ("broken", "invalid UTF-8", {"post.md": post(b"\xe4\xb8\xad\xff tail\n")}, ["build", "post.md", "--out", "out"]),
    ("broken", "UTF-16", {"post.md": b"\xff\xfe" + "---".encode("utf-16-le")}, ["build", "post.md", "--out", "out"]),
    ("broken", "a byte order mark", {"post.md": b"\xef\xbb\xbf" + post("Body.\n")}, ["build", "post.md", "--out", "out"]),
    ("broken", "front matter YAML that does not parse", {"post.md": b"---\ntitle: \"unclosed\ndate: 2020-01-01\n---\n\nBody.\n"}, ["build", "post.md", "--out", "out"]),
    ("broken", "front matter never closed", {"post.md": b"---\ntitle: Never closed\n\nBody.\n"}, ["build", "post.md", "--out", "out"]),
    ("broken", "a date that does not exist", {"post.md": b"---\ntitle: T\ndate: 2019-13-45\n---\n\nBody.\n"}, ["build", "post.md", "--out", "out"]),
    ("broken", "no title", {"post.md": b"---\ndate: 2020-01-01\n---\n\nBody.\n"}, ["build", "post.md", "--out", "out"]),
    ("broken", "one bad post among good ones", {"posts/a.md": post("Good.\n"), "posts/b.md": b"---\ntitle: [\n---\n", "posts/c.md": post("Good too.\n")},
     ["build", "posts", "--out", "out"]),
    ("broken", "a folder with no posts", {"posts/notes.txt": b"not a post\n"}, ["build", "posts", "--out", "out"]),
    ("broken", "a stub whose end marker was deleted", None, ["translate", "news.md", "--to", "zh"]),
    ("broken", "a source with a line that reads as a stub's marker", {"news.md": post("<!-- /herald -->\n")}, ["translate", "news.md", "--to", "zh"]),
    ("broken", "a PO file that names no language", {"news.md": post("Body.\n"), "news.po": b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'},
     ["translate", "import", "news.po", "--source", "news.md"]),
    ("broken", "send of a Markdown file", {"post.md": post("Body.\n")}, ["send", "post.md", "--sendmail", "cat > /dev/null"]),
    ("broken", "output to a full disk", {"post.md": post("Body.\n")}, ["render", "post.md"]),
    ("broken", "herald.yml with a misspelt key", {"herald.yml": b"site:\n  titel: News\n", "posts/a.md": post("Body.\n")},
     ["build", "posts", "--out", "out"]),
]


def files_under(folder):
    return [os.path.join(root, name) for root, _, names in os.walk(folder) for name in names]


def contents(folder, relative):
    try:
        return open(os.path.join(folder, relative), "rb").read()
    except OSError:
        return b""


def any_output_contains(folder, needle):
    """Whether a file under out/ (or a file inside a book there) holds `needle`."""
    for path in files_under(os.path.join(folder, "out")):
        if path.endswith(".epub"):
            with zipfile.ZipFile(path) as book:
                if any(needle in book.read(name) for name in book.namelist()):
                    return True
        elif needle in open(path, "rb").read():
            return True
    return False


# What came out, checked for the cases whose point is what the output does not hold.
CHECKS = {
    "script, event handlers, javascript: links, an iframe": lambda folder, out: "no script, handler, javascript: link or iframe"
    if not any(bad in out.lower() for bad in [b"<script", b"onerror", b"onload", b"javascript:", b"<iframe"]) else "LEAKED",
    "a header injection in the title": lambda folder, out: "%d Subject line, no Bcc header" % contents(folder, "post.eml").count(b"\r\nSubject:")
    if b"\r\nBcc:" not in contents(folder, "post.eml") else "INJECTED",
    "XML entities that expand a billion times (raw HTML, EPUB)": lambda folder, out: "book of %d bytes" % len(contents(folder, "post.epub")),
    "an image outside the post's folder (../)": lambda folder, out: "nothing outside copied"
    if not any("passwd" in path for path in files_under(os.path.join(folder, "out"))) else "COPIED",
    "control characters (backspace, escape) in prose": lambda folder, out: "no output holds them"
    if not any_output_contains(folder, b"\x08") and not any_output_contains(folder, b"\x1b") else "KEPT",
    "a bare address followed by Chinese": lambda folder, out: "link ends before 中" if b'href="https://example.org/a"' in out else "WRONG",
    "one bad post among good ones": lambda folder, out: "%d pages written" % len([p for p in files_under(os.path.join(folder, "out")) if p.endswith("index.html") and "/site/" in p]),
    "a stub whose end marker was deleted": lambda folder, out: "stub left as it was" if b"<!-- /herald -->" in contents(folder, "news.zh.md") and contents(folder, "news.zh.md").count(b"<!-- /herald -->") == 1 else "CHANGED",
}


def outcome(name, folder, stdout):
    if name in CHECKS:
        return CHECKS[name](folder, stdout or b"")
    written = files_under(os.path.join(folder, "out"))
    if written:
        return "%d files written" % len(written)
    made = [p for p in files_under(folder) if p.endswith((".epub", ".eml", ".zh.md"))]
    if made:
        return ", ".join("%s (%d bytes)" % (os.path.basename(p), os.path.getsize(p)) for p in made)
    return "%d bytes of output" % len(stdout) if stdout else "nothing written"


def stub_case(folder):
    """A stub made by herald, then damaged as a careless edit would."""
    with open(os.path.join(folder, "news.md"), "wb") as f:
        f.write(post("First paragraph.\n\nSecond paragraph.\n"))
    subprocess.run([HERALD, "translate", "news.md", "--to", "zh"], cwd=folder, capture_output=True)
    path = os.path.join(folder, "news.zh.md")
    text = open(path, encoding="utf-8").read().replace("<!-- /herald -->", "", 1)
    open(path, "w", encoding="utf-8").write(text)


def run(case):
    group, name, files, arguments = case
    folder = tempfile.mkdtemp(prefix="herald-robustness-")
    try:
        if files is None:
            stub_case(folder)
        else:
            for relative, data in files.items():
                path = os.path.join(folder, relative)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(data)
        stdout = open("/dev/full", "wb") if name == "output to a full disk" else subprocess.PIPE
        start = time.monotonic()
        try:
            done = subprocess.run([HERALD] + arguments, cwd=folder, stdout=stdout, stderr=subprocess.PIPE, timeout=120)
            elapsed = time.monotonic() - start
            status = str(done.returncode)
            lines = done.stderr.decode("utf-8", "replace").replace(folder + "/", "").splitlines()
            made = outcome(name, folder, done.stdout if stdout is subprocess.PIPE else None)
        except subprocess.TimeoutExpired:
            elapsed, status, lines, made = 120.0, "timeout", [], ""
        # The first error, else the first warning, else the first line that is not a note.
        said = next((l for l in lines if ": error:" in l), None) or next((l for l in lines if ": warning:" in l), None) \
            or next((l for l in lines if "note:" not in l), "")
        if len(said) > 150:
            said = said[:147] + "…"
        return group, name, "`herald " + " ".join(a if len(a) < 30 else a[:27] + "…" for a in arguments) + "`", status, said, made, elapsed
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def main():
    rows = [run(case) for case in CASES]
    version = subprocess.run([HERALD, "--version"], capture_output=True, text=True).stdout.strip()
    out = [
        "# Robustness",
        "",
        "What Herald does with hostile, pathological and broken input: each row is one case, the",
        "command run on it, the exit status, the first diagnostic Herald printed (an error, else a",
        "warning) and the wall time. Written by `make robustness` (`Tests/Robustness/robustness.py`",
        "with the release build); run it again after a change and review the difference.",
        "",
        "Measured with herald %s on %s, %d cores." % (version, platform.machine(), os.cpu_count() or 1),
        "",
        "| | Case | Command | Exit | What Herald said | What came out | Seconds |",
        "|---|---|---|---:|---|---|---:|",
    ]
    for group, name, command, status, said, made, elapsed in rows:
        out.append("| %s | %s | %s | %s | %s | %s | %.2f |" % (group, cell(name), cell(command), status, cell(("`" + said + "`") if said else "(nothing)"), cell(made), elapsed))
    out.append("")
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    # A crash (a signal, an exit status above 1), a case over 10 seconds, or an output that
    # holds what it must not, is worth a look.
    slow = [r for r in rows if r[6] > 10 or r[3] == "timeout" or not r[3].isdigit() or int(r[3]) > 1 or r[5].isupper() or any(w.isupper() and len(w) > 3 for w in r[5].split())]
    for r in slow:
        print("robustness: look at '%s': exit %s after %.1f s: %s" % (r[1], r[3], r[6], r[5]), file=sys.stderr)
    print("robustness: %d cases into %s" % (len(rows), OUTPUT))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())

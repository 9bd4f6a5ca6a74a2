#!/usr/bin/env python3
"""Herald filter: turns @user mentions in a post's text into links to https://github.com/user.

As Herald's external filter, its command is `python3 examples/filters/github-mentions.py`; by
hand, try `herald render --to ast post.md | python3 examples/filters/github-mentions.py`.

How a Herald filter works (as pandoc's JSON filters): Herald writes the post's document as JSON
on standard input and reads the changed document, in the same form, from standard output. A
filter that exits with a status other than 0 fails the post; what it writes on standard error
is quoted in Herald's message.

The form (docs/filters/document.schema.json describes it in full):

    {"herald_ast_version": 1,              # refuse versions you do not know
     "metadata": {"title": ..., "date": ..., "tags": [...], "extra": {...}},
     "slug": ..., "lang": ..., "source_path": ...,     # read-only facts about the post
     "link_definitions": [...],
     "root": {"type": "document", "children": [
         {"type": "paragraph", "range": "3:1-3:20", "children": [
             {"type": "text", "literal": "Thanks "},
             {"type": "link", "destination": "https://...", "form": "inline",
              "children": [{"type": "text", "literal": "..."}]}]}]}}

Every node has a "type"; "range" (line:column in the post's file) is optional, so nodes a filter
makes simply have none. Nodes that hold others (document, paragraph, heading, emph, link, ...)
always have "children"; text, code and the like have a "literal" instead. Documents can be
nested deeply, so this filter walks the tree with a loop, not recursion.

Mentions inside links, images and code are left alone, and so is the @ of an address
(team@example.org).
"""

import json
import re
import sys

VERSION = 1
# A GitHub user name: letters, digits and single hyphens inside, at most 39 characters,
# after an @ that does not follow a letter, digit or dot (as in an email address).
MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})\b(?!-)")
# Nodes whose text is not prose: mentions inside them stay as they are.
SKIP = {"link", "image", "code", "code_block", "html_inline", "html_block"}


def split_mentions(node):
    """The nodes that replace a text node: text, a link for each mention, text."""
    text = node["literal"]
    pieces, last = [], 0
    for match in MENTION.finditer(text):
        if match.start() > last:
            pieces.append({"type": "text", "literal": text[last:match.start()]})
        pieces.append({
            "type": "link", "destination": "https://github.com/" + match.group(1), "form": "inline",
            "children": [{"type": "text", "literal": match.group(0)}],
        })
        last = match.end()
    if not pieces:
        return [node]
    if last < len(text):
        pieces.append({"type": "text", "literal": text[last:]})
    return pieces


def main():
    document = json.load(sys.stdin)
    if document.get("herald_ast_version") != VERSION:
        sys.exit(f"github-mentions: cannot read document version {document.get('herald_ast_version')!r}")
    stack = [document["root"]]
    while stack:
        node = stack.pop()
        children = node.get("children")
        if children is None or node["type"] in SKIP:
            continue
        changed = []
        for child in children:
            changed.extend(split_mentions(child) if child["type"] == "text" else [child])
        node["children"] = changed
        stack.extend(child for child in changed if child["type"] not in SKIP)
    json.dump(document, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()

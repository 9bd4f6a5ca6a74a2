// The rules of `herald check`: a stable id, a severity and a one-line explanation each.

public import HeraldCore

/// One lint rule.
public struct CheckRule: Sendable, Hashable {
    public var id: String
    public var severity: Diagnostic.Severity
    public var explanation: String
}

public enum CheckRules {
    public static let all: [CheckRule] = [
        CheckRule(id: "missing-title", severity: .warning, explanation: "The front matter has no title: pages, feeds, mail subjects and books need one."),
        CheckRule(id: "missing-date", severity: .warning, explanation: "The front matter has no date: the post cannot be ordered in the index, feed or book."),
        CheckRule(id: "invalid-date", severity: .error, explanation: "The date cannot be read or does not exist (use YYYY-MM-DD or an RFC 3339 date-time)."),
        CheckRule(id: "unknown-lang", severity: .warning, explanation: "The lang is not a language tag Herald knows (en, zh, zh-CN, …); readers would get a wrong language."),
        CheckRule(id: "empty-tags", severity: .warning, explanation: "The tags list is empty or holds an empty tag."),
        CheckRule(id: "reference-undefined", severity: .warning, explanation: "A reference link ([text][label] or [label]) names a label no definition has: it renders as literal brackets."),
        CheckRule(id: "reference-duplicate", severity: .warning, explanation: "A link label is defined twice (labels match without regard to case): only the first definition counts."),
        CheckRule(id: "reference-unused", severity: .warning, explanation: "A link definition no link uses: often a misspelt label."),
        CheckRule(id: "url-malformed", severity: .warning, explanation: "A web address that cannot be followed, such as one with an empty host (https://.example.org)."),
        CheckRule(id: "url-unreachable", severity: .warning, explanation: "With --online: an external address that answers with an error or cannot be reached."),
        CheckRule(id: "url-javascript", severity: .error, explanation: "A javascript: link: it runs code instead of going somewhere, and every output removes it."),
        CheckRule(id: "link-missing-file", severity: .warning, explanation: "A relative link to a file that does not exist beside the post."),
        CheckRule(id: "link-missing-anchor", severity: .warning, explanation: "A link to #fragment where the post has no heading or element with that id."),
        CheckRule(id: "link-number-mismatch", severity: .warning, explanation: "The link text names issue or pull request #N but the address points at another number."),
        CheckRule(id: "link-repo-mismatch", severity: .warning, explanation: "The link text names owner/repo#N but the address points into another repository."),
        CheckRule(id: "mention-mismatch", severity: .warning, explanation: "A mention link [@name] whose address points at another user's profile."),
        CheckRule(id: "link-glued", severity: .warning, explanation: "Text runs straight on after a link ([@name]has): a space is missing."),
        CheckRule(id: "heading-skip", severity: .warning, explanation: "A heading skips a level (## then ####): outlines, tables of contents and screen readers lose the structure."),
        CheckRule(id: "heading-empty", severity: .warning, explanation: "A heading with no text."),
        CheckRule(id: "heading-duplicate-id", severity: .warning, explanation: "Two headings give the same id, so links to the second one land on the first."),
        CheckRule(id: "image-missing", severity: .warning, explanation: "A local image file that does not exist (or lies outside the post's folder)."),
        CheckRule(id: "image-alt", severity: .warning, explanation: "An image without alt text: readers of mail, e-books and screen readers get nothing."),
        CheckRule(id: "control-character", severity: .warning, explanation: "A control character (backspace, escape, …) or a noncharacter in the text: HTML and XML do not allow it, so every output shows U+FFFD in its place. Delete it."),
        CheckRule(id: "translation-untranslated", severity: .warning, explanation: "A translation stub has segments nobody translated yet; they are published in the source language."),
        CheckRule(id: "translation-stale", severity: .warning, explanation: "A translated segment whose source changed since: check the translation, then remove 'stale' and the previous source."),
    ]

    public static func rule(_ id: String) -> CheckRule? { all.first { $0.id == id } }
}

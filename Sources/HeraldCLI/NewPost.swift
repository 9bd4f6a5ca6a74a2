// What `herald new` writes: a template from `templates/new/` (the project's, else the built-in
// one), chosen by name and by the post's language, rendered with the post's values, under front
// matter Herald fills in, quoted as YAML so that any title reads back as it was typed.

import Foundation
import HeraldCore
import HeraldMarkdown
import HeraldTemplates
import Yams

/// A post about to be written, and the text it starts with.
struct NewPost {
    /// The folder of `herald new`'s templates under a template folder.
    static let folder = "new"
    /// What the post's templates end in.
    static let fileExtension = "md"

    var title: String
    var date: PostDate
    var authors: [String]
    /// The post's language: the one given or the site's default, else the one of its title.
    var lang: String
    /// Whether the front matter says the language: when it was given or is the site's, and
    /// the post's folder does not say it.
    var writesLang: Bool
    var slug: String
    var siteTitle: String?

    /// The names of the templates `herald new` offers (`default`, `monthly`): the built-in
    /// ones and the project's, without their language versions (`monthly.zh`).
    static func templateNames(in source: TemplateSource) -> [String] {
        source.names(in: folder, extension: fileExtension).filter { languageSuffix(of: $0) == nil }
    }

    /// The path of template `name` for a post in `lang`, the most specific there is:
    /// `new/monthly.zh-CN.md`, then `new/monthly.zh.md`, then `new/monthly.md`.
    static func templatePath(_ name: String, lang: String, in source: TemplateSource) -> String {
        let available = Set(source.names(in: folder, extension: fileExtension))
        let parts = lang.split(separator: "-")
        let candidates = stride(from: parts.count, to: 0, by: -1).map { name + "." + parts.prefix($0).joined(separator: "-") }
        let chosen = candidates.first { available.contains($0) } ?? name
        return "\(folder)/\(chosen).\(fileExtension)"
    }

    /// The language tag that ends a template's name (`zh` in `monthly.zh`), if it has one.
    private static func languageSuffix(of name: String) -> String? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        let suffix = String(name[name.index(after: dot)...])
        return LanguageTags.isWellFormed(suffix) ? suffix : nil
    }

    /// What the template sees.
    var values: [String: TemplateValue] {
        var values: [String: TemplateValue] = [
            "title": .text(title), "date": .text(date.isoDate), "year": .number(date.year), "month": .number(date.month), "day": .number(date.day),
            "monthName": .text(DateText.monthName(date.month)), "dateDisplay": .text(DateText.display(date, lang: lang)),
            "author": .text(DateText.joinNames(authors, lang: lang)), "authors": .texts(authors), "lang": .text(lang), "slug": .text(slug),
        ]
        if let siteTitle { values["siteTitle"] = .text(siteTitle) }
        return values
    }

    /// The post: the template at `path` (its text `template`) rendered, with Herald's keys
    /// first in its front matter and the template's own keys (`tags:`) after them.
    func text(template: String, path: String, source: TemplateSource) throws(DiagnosticError) -> String {
        let parsedTemplate: Template
        do {
            parsedTemplate = try Template(template)
        } catch {
            throw DiagnosticError(source.parseError(error, path: path))
        }
        let file = source.userFile(path)?.relativePath ?? path
        let rendered: String
        do {
            // Plain text: a title with `&` or `<` is written as it is.
            rendered = try parsedTemplate.render(values, escaping: .none)
        } catch {
            throw DiagnosticError(.error(.templateRender, file: file, error.message))
        }
        let written = SourceText(rendered, path: file)
        let split: FrontMatterSplit
        do {
            split = try FrontMatter.split(written)
        } catch {
            throw DiagnosticError(error)
        }
        if split.format == .toml {
            throw DiagnosticError(.error(
                .templateInvalid, file: file, at: SourceLocation(line: 1, column: 1),
                "a template of herald new has YAML front matter (between --- lines), not TOML"))
        }
        // What the template's front matter says, to leave its keys to it.
        let parsed = FrontMatter.parse(written)
        let errors = parsed.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw DiagnosticError(errors) }
        let given = Set(parsed.metadata.keyLocations.keys)

        var pairs: [(Yams.Node, Yams.Node)] = []
        func add(_ key: String, _ value: Yams.Node) {
            if !given.contains(key) { pairs.append((Yams.Node(key), value)) }
        }
        add("title", .scalar(title.represented()))
        add("date", Yams.Node(date.isoDate))
        if authors.count == 1 && given.isDisjoint(with: ["author", "authors"]) {
            add("author", .scalar(authors[0].represented()))
        } else if authors.count > 1 && given.isDisjoint(with: ["author", "authors"]) {
            add("author", Yams.Node(authors.map { .scalar($0.represented()) }, .implicit, .flow))
        }
        if writesLang { add("lang", .scalar(lang.represented())) }
        var frontMatter = ""
        if !pairs.isEmpty {
            do {
                frontMatter = try Yams.serialize(node: Yams.Node(pairs), width: -1, allowUnicode: true)
            } catch {
                throw DiagnosticError(.error(.templateInvalid, file: file, "cannot write the front matter: \(error)"))
            }
        }
        frontMatter += split.frontMatter
        if !frontMatter.isEmpty && !frontMatter.hasSuffix("\n") { frontMatter += "\n" }
        var body = split.body
        while body.first?.isNewline == true { body.removeFirst() }
        while body.last?.isWhitespace == true { body.removeLast() }
        return "---\n" + frontMatter + "---\n" + (body.isEmpty ? "" : "\n" + body + "\n")
    }
}

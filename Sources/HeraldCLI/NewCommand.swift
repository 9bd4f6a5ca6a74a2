// `herald new "Title"`: a new post from a template, in the folder of its language, dated today
// in the site's time zone. It never replaces a file.

import ArgumentParser
import Foundation
import HeraldCore

struct NewCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a new post from a template and print its path.",
        discussion: """
            Writes <slug>.md, the slug made from the title, into the folder of the post's \
            language (--lang, else the site's default language in herald.yml), else into the \
            first posts: folder, else into posts/ beside herald.yml. The front matter gets the \
            title, today's date in the site's time zone (site.timezone) and the site's author \
            (site.author). The body comes from templates/new/NAME.md (--template; a version per \
            language such as monthly.zh.md is used for posts in that language); a project's \
            templates folder (--templates, or templates: in herald.yml) may replace them or add \
            its own. An existing file is never replaced.
            """)

    @Argument(help: "The post's title.")
    var title: String

    @Option(help: "The post's language: one of the site's languages in herald.yml, which puts the post in that language's folder (default: the first); without languages in herald.yml it is written as lang: in the front matter.")
    var lang: String?

    @Option(help: "The template in templates/new/ to start from: default, monthly, or one of the project's.")
    var template: String = "default"

    @Option(help: "The post's date, YYYY-MM-DD (default: today in the site's time zone, herald.yml: site.timezone).")
    var date: String?

    @Option(help: "The configuration file (default: the nearest herald.yml in the current folder or above).", completion: .file())
    var config: String?

    @Option(help: "A folder of templates whose new/NAME.md files replace or add to the built-in ones (herald.yml: templates).", completion: .directory)
    var templates: String?

    func validate() throws {
        guard !Self.oneLine(title).isEmpty else { throw ValidationError("the title is empty") }
        if let date, Self.day(date) == nil {
            throw ValidationError("--date must be a day of the calendar written YYYY-MM-DD, such as 2026-10-05; '\(date)' is not")
        }
    }

    func execute(_ console: Console) throws -> Int32 {
        guard let settings = Project.load(Flags(config: config, templates: templates), console: console) else { return 1 }
        let config = settings.config
        let title = Self.oneLine(self.title)
        let date = self.date.flatMap(Self.day) ?? Self.today(in: config.timeZone)

        let (language, lang) = try Self.language(self.lang, in: config)
        let folder = Self.folder(for: language, in: config)

        let names = NewPost.templateNames(in: settings.templates)
        guard names.contains(template) else {
            console.report([.error(
                .optionInvalid,
                "no template '\(template)' for new posts\(Suggestions.didYouMean(template, among: names)) (templates: \(names.joined(separator: ", ")))")])
            return 1
        }

        let slug = Slug.fromTitle(title) ?? "post-\(date.isoDate)"
        let path = SourcePaths.shown((folder as NSString).appendingPathComponent(slug + ".md"))
        guard !FileManager.default.fileExists(atPath: path) else {
            console.report([Self.exists(path)])
            return 1
        }
        let post = NewPost(
            title: title, date: date, authors: config.siteAuthors ?? [], lang: lang ?? LanguageDetector.detect(title),
            writesLang: lang != nil && (language?.folder == nil || language?.tag != lang), slug: slug,
            siteTitle: language?.title ?? config.siteTitle)
        let templatePath = NewPost.templatePath(template, lang: post.lang, in: settings.templates)
        let templateText: String
        do {
            templateText = try settings.templates.text(templatePath) ?? ""
        } catch {
            let file = settings.templates.userFile(templatePath)?.relativePath ?? templatePath
            console.report([.error(.templateInvalid, file: file, "cannot read the template: \(FileError.reason(of: error))")])
            return 1
        }
        let text = try post.text(template: templateText, path: templatePath, source: settings.templates)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // Created, never replaced: a post written since the check above stays as it is.
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch CocoaError.fileWriteFileExists {
            console.report([Self.exists(path)])
            return 1
        } catch {
            console.report([.error(.writeFailed, file: path, "cannot write: \(FileError.reason(of: error))")])
            return 1
        }
        console.out(path + "\n")
        return 0
    }

    /// The language `wanted` names (`--lang`), else the site's default: the site language whose
    /// folder the post goes into, and the post's tag. Without languages in herald.yml any tag
    /// Herald knows will do.
    static func language(_ wanted: String?, in config: Config) throws(DiagnosticError) -> (site: Config.LanguageSettings?, tag: String?) {
        guard let wanted else { return (config.languages.first, config.languages.first?.tag) }
        if config.languages.isEmpty { return (nil, try LanguageTags.parse(wanted)) }
        let tag = LanguageTags.canonical(wanted) ?? wanted
        // The same tag, else the same language (`zh-CN` for a site's `zh`).
        guard let site = config.languages.first(where: { $0.tag == tag }) ?? config.languages.first(where: { LanguageTags.matches(tag, $0.tag) }) else {
            let tags = config.languages.map(\.tag)
            throw DiagnosticError(.error(
                .optionInvalid,
                "--lang \(wanted): not one of the site's languages in \(config.file ?? "herald.yml")\(Suggestions.didYouMean(wanted, among: tags)) (languages: \(tags.joined(separator: ", ")))"))
        }
        return (site, tag)
    }

    /// Where a post in `language` goes: its folder, else the first folder of `posts:`, else
    /// `posts/` beside herald.yml (or in the current folder without one).
    static func folder(for language: Config.LanguageSettings?, in config: Config) -> String {
        if let folder = language?.folder { return folder }
        // `posts:` may name single posts too.
        let posts = config.posts?.first { path in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return !path.hasSuffix(".md") }
            return isFolder.boolValue
        }
        if let posts { return posts }
        let base = config.file == nil ? URL(fileURLWithPath: FileManager.default.currentDirectoryPath) : config.folder
        return base.appendingPathComponent("posts").standardizedFileURL.path
    }

    static func exists(_ path: String) -> Diagnostic {
        .error("post-exists", file: path, "already exists; herald new never replaces a post (give another title, or edit this one)")
    }

    /// The title on one line, as front matter and file names want it.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `2026-10-05` as a date, nil for anything else.
    static func day(_ text: String) -> PostDate? {
        guard let date = PostDate(parsing: text), !date.hasTime, text.count == 10 else { return nil }
        return date
    }

    /// Today in the time zone `identifier` (IANA; herald.yml checked it), else the machine's.
    static func today(in identifier: String?) -> PostDate {
        PostDate.now(in: identifier.flatMap(TimeZone.init(identifier:)) ?? .current).calendarDay
    }
}

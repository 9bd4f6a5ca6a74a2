// Options shared by the commands that render HTML.

import ArgumentParser
import Foundation
import HeraldHTML
import HeraldTemplates

extension HTMLFlavor: ExpressibleByArgument {}
extension RawHTMLPolicy: ExpressibleByArgument {}

struct HTMLOptionGroup: ParsableArguments {
    @Option(help: "HTML rules: commonmark, gfm (exactly as their specs say) or herald (GFM plus heading ids and CJK line joining).")
    var flavor: HTMLFlavor = .herald

    @Option(name: .customLong("raw-html"), help: "HTML written in posts: escape, sanitize or keep.")
    var rawHTML: RawHTMLPolicy = .sanitize

    @Flag(name: .customLong("toc"), help: "Add a table of contents to pages.")
    var tableOfContents = false

    @Option(name: .customLong("templates"), help: "A folder of templates (html/page.mustache, …) used instead of the built-in ones.", completion: .directory)
    var templatesFolder: String?

    var options: HTMLOptions {
        HTMLOptions(flavor: flavor, rawHTML: rawHTML, tableOfContents: tableOfContents)
    }

    var templates: TemplateSource {
        TemplateSource(userFolder: templatesFolder.map { URL(fileURLWithPath: $0) })
    }

    func validate() throws {
        if let templatesFolder {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: templatesFolder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("templates folder '\(templatesFolder)' does not exist")
            }
        }
    }
}

// The one place where backends and transforms are registered: a new backend or transform is
// one more line here.

import Foundation
import HeraldCore
import HeraldEmail
import HeraldEPUB
import HeraldHTML
import HeraldJSONFeed
import HeraldTemplates
import HeraldTranslate

enum Registry {
    /// Every backend a build can run, configured from the settings, in the order they run.
    static func backends(html: HTMLOptions, email: EmailOptions, templates: TemplateSource) -> BackendRegistry {
        BackendRegistry([
            HTMLBackend(options: html, templates: templates),
            EmailBackend(options: email, templates: templates),
            EPUBBackend(templates: templates),
            JSONFeedBackend(options: html),
        ])
    }

    /// The transforms every command runs, in order: translation stubs become the posts they
    /// translate, links to other posts' files point at their pages, then the project's filters.
    static func transforms(minTranslated: Double?, filters: [String], folder: URL, filterTimeout: Double?) -> [any Transform] {
        [StubResolution(minTranslated: minTranslated), PostLinks()]
            + filters.map { ExternalFilter(command: $0, workingDirectory: folder.path, timeout: .milliseconds(Int((filterTimeout ?? 30) * 1000))) }
    }
}

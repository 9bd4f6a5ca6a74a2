// The one place where backends are registered: a new backend is one more line here.

import HeraldCore
import HeraldEmail
import HeraldEPUB
import HeraldHTML
import HeraldTemplates

enum Backends {
    /// Every backend a build runs, configured from the command line.
    static func registry(html: HTMLOptions, email: EmailOptions, templates: TemplateSource) -> BackendRegistry {
        BackendRegistry([
            HTMLBackend(options: html, templates: templates),
            EmailBackend(options: email, templates: templates),
            EPUBBackend(templates: templates),
        ])
    }
}

// A user's template, as arbitrary text: Herald's Mustache either refuses it with an error at a
// place inside it, or renders it, the same way every time, and a value written with `{{name}}`
// in an HTML template never comes out as markup. The fuzzer of Fuzz/ (`HERALD_FUZZ=template`)
// calls ``TemplateFuzzer/problems(_:)``.

import HeraldCore
import HeraldTemplates

public enum TemplateFuzzer {
    /// Values of every kind, one of them markup that must always be escaped.
    static let values: [String: TemplateValue] = [
        "title": "<script>x</script>", "yes": true, "no": false, "empty": .list([]),
        "tags": .texts(["a", "<script>"]),
        "posts": .list([.map(["title": "<script>", "url": "a/"]), .map(["title": "t", "tags": .texts(["b"])])]),
        "site": .map(["title": "<script>", "owner": .map(["name": "n"])]),
    ]

    /// What went wrong; empty when all is well.
    public static func problems(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        var problems: [String] = []
        var library = TemplateLibrary()
        // Small limits: a template that multiplies its work reaches them in milliseconds, even
        // with AddressSanitizer, and is refused the same way as with the standard ones.
        library.limits = TemplateLimits(steps: 20_000, output: 1 << 20)
        do {
            // The template is also its own partial, to recurse through.
            try library.register(text, named: "t")
            try library.register(text, named: "p")
        } catch {
            let lines = text.utf8.count { $0 == 0x0A } + 1
            if error.line < 1 || error.line > lines || error.column < 1 || error.message.isEmpty {
                problems.append("the error is outside the template: \(error.line):\(error.column) \(error.message)")
            }
            return problems
        }
        // A rendering that would not end is refused, the same way each time, at the template.
        func outcome() -> (text: String?, errors: [Diagnostic]) {
            do {
                let text = try library.render(values, withTemplate: "t")
                if text == nil { problems.append("a registered template did not render") }
                return (text, [])
            } catch {
                return (nil, error.diagnostics)
            }
        }
        let (first, errors) = outcome()
        let again = outcome()
        if again.text != first || again.errors != errors { problems.append("two renderings differ") }
        if !errors.allSatisfy({ $0.file == "t.mustache" && $0.severity == .error }) {
            problems.append("a rendering that would not end is reported elsewhere: \(errors)")
        }
        // Only a template that writes values unescaped, switches escaping off or changes its
        // delimiters (so that `{{{` may be spelt otherwise), or holds the markup itself, may
        // write it.
        let unescaping = ["{{{", "{{&", "{{%", "{{=", "<script"].contains { text.contains($0) }
        if !unescaping, let first, first.contains("<script") {
            problems.append("a value came out as markup: \(first.prefix(200))")
        }
        return problems
    }
}

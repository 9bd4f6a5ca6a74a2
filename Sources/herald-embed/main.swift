// Writes Sources/HeraldTemplates/EmbeddedTemplates.swift: every file under `templates/` as a
// string literal, keyed by its path relative to that folder, so that the `herald` binary carries
// its default templates and needs no files beside it. `make templates` runs it after a template
// changes; a test fails while the generated file and the folder differ.
// Usage: herald-embed TEMPLATES_DIR OUTPUT.swift

import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: herald-embed TEMPLATES_DIR OUTPUT.swift\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: arguments[1]).standardizedFileURL
var names: [String] = []
if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
    for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        names.append(String(url.standardizedFileURL.path.dropFirst(root.path.count + 1)))
    }
}
names.sort()
var source = "// Generated from templates/ by herald-embed (`make templates`). Do not edit.\n\n"
source += "enum EmbeddedTemplates {\n    static let files: [String: String] = [\n"
for name in names {
    let bytes = try Data(contentsOf: root.appendingPathComponent(name))
    // Escapes keep any content (quotes, backslashes, control characters) exact.
    let literal = String(decoding: bytes, as: UTF8.self).unicodeScalars.map { scalar -> String in
        switch scalar {
        case "\\": "\\\\"
        case "\"": "\\\""
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        default: scalar.value < 0x20 ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
    }.joined()
    source += "        \"\(name)\": \"\(literal)\",\n"
}
source += "    ]\n}\n"
try Data(source.utf8).write(to: URL(fileURLWithPath: arguments[2]), options: .atomic)
print("herald-embed: \(names.count) templates into \(arguments[2])")

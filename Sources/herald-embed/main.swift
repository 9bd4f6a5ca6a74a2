// Writes a Swift file holding the given template files as string literals, keyed by their path
// relative to the templates folder. Used by the EmbedTemplates build-tool plugin.
// Usage: herald-embed TEMPLATES_DIR OUTPUT.swift FILE...

import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: herald-embed TEMPLATES_DIR OUTPUT.swift FILE...\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: arguments[1]).standardizedFileURL.path + "/"
var source = "// Generated from templates/ by the EmbedTemplates plugin. Do not edit.\n\n"
source += "enum EmbeddedTemplates {\n    static let files: [String: String] = [\n"
for path in arguments.dropFirst(3) {
    let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
    let name = standardized.hasPrefix(root) ? String(standardized.dropFirst(root.count)) : standardized
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    // Byte escapes keep any content (quotes, backslashes, non-ASCII) exact.
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

// JSON that Herald writes for people and tools to read (the manifest, the JSON Feed, `--format
// json`): indented, keys sorted, slashes unescaped, ending with a newline. The same value always
// gives the same bytes.

public import Foundation

public enum StableJSON {
    /// `value` as stable JSON.
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// `value` as stable JSON text.
    public static func text(_ value: some Encodable) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}

// HTML fragment -> well-formed XHTML (for EPUB), and an XML well-formedness check that reports
// line and column.

/// XHTML conversion and XML checking.
public enum XHTML {
    /// Converts an HTML fragment to well-formed XHTML. Nothing is sanitized: only what XML cannot
    /// express is dropped (names that are not XML names, namespace-prefixed attributes other than
    /// `xml:lang`/`xml:space`, `xmlns` attributes, comments XML cannot hold, processing
    /// instructions and the doctype). `<script>` and `<style>` content is kept as escaped text.
    ///
    /// - Parameter fragment: HTML as it would appear inside `<body>`.
    /// - Returns: The same content as XHTML markup, without a root element.
    public static func fromHTML(_ fragment: String) -> String {
        FragmentFilter.render(fragment, as: .xhtml, policy: WellFormedPolicy())
    }

    /// Checks that `text` is a well-formed XML document (namespaces included). libxml2 parses it
    /// without network access, without loading DTDs and without substituting entities.
    ///
    /// - Parameter text: A complete XML document.
    /// - Returns: The problems libxml2 found, in order, each with its 1-based line and column;
    ///   empty when the document is well-formed.
    public static func wellFormednessErrors(_ text: String) -> [(line: Int, column: Int, message: String)] {
        LibXML2.wellFormednessErrors(text)
    }
}

/// Keeps everything that can be written as XML.
struct WellFormedPolicy: FragmentPolicy {
    /// Prefixed attributes that need no namespace declaration.
    static let predeclaredAttributes: Set<String> = ["xml:lang", "xml:space"]

    func decide(_ element: FragmentElement) -> ElementDecision {
        guard Self.isXMLName(element.name) else { return .unwrap }
        var seen: Set<String> = []
        let kept = element.attributes.filter { attribute in
            let name = attribute.name
            guard (Self.isXMLName(name) && name != "xmlns") || Self.predeclaredAttributes.contains(name) else {
                return false
            }
            return seen.insert(name).inserted
        }
        return .keep(kept)
    }

    func keepsComment(_ text: String) -> Bool { true }

    var keepsRawText: Bool { true }

    /// An unprefixed XML name in ASCII: a letter or `_`, then letters, digits, `_`, `-`, `.`
    /// (libxml2's HTML parser only produces ASCII names).
    static func isXMLName(_ name: String) -> Bool {
        var bytes = name.utf8.makeIterator()
        guard let first = bytes.next(), isLetter(first) || first == UInt8(ascii: "_") else { return false }
        while let byte = bytes.next() {
            guard isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D || byte == 0x2E else {
                return false
            }
        }
        return true
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
    }
}

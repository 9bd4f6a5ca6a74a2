// Inline styles for the HTML part: mail readers drop style sheets, so each element carries its
// own look in a `style` attribute.

import HeraldCore

enum InlineStyles {
    /// The look of each element the HTML renderer writes.
    static let styles: [String: String] = [
        "p": "margin:0 0 16px;",
        "h1": "font-size:24px;line-height:1.3;margin:28px 0 12px;",
        "h2": "font-size:21px;line-height:1.3;margin:28px 0 12px;border-bottom:1px solid #eeeeee;padding-bottom:4px;",
        "h3": "font-size:18px;line-height:1.3;margin:24px 0 8px;",
        "h4": "font-size:16px;margin:20px 0 8px;",
        "h5": "font-size:15px;margin:16px 0 8px;",
        "h6": "font-size:14px;margin:16px 0 8px;color:#555555;",
        "a": "color:#2a6db0;",
        "blockquote": "margin:0 0 16px;padding:0 0 0 14px;border-left:3px solid #dddddd;color:#555555;",
        "pre": "margin:0 0 16px;padding:12px;background:#f6f6f6;border-radius:4px;overflow-x:auto;font-size:13px;line-height:1.45;",
        "code": "font-family:Menlo,Consolas,'Courier New',monospace;font-size:0.9em;background:#f6f6f6;padding:1px 3px;border-radius:3px;",
        "ul": "margin:0 0 16px;padding-left:24px;",
        "ol": "margin:0 0 16px;padding-left:24px;",
        "li": "margin:0 0 4px;",
        "table": "border-collapse:collapse;margin:0 0 16px;",
        "th": "border:1px solid #dddddd;padding:6px 10px;background:#f6f6f6;",
        "td": "border:1px solid #dddddd;padding:6px 10px;",
        "img": "max-width:100%;height:auto;",
        "hr": "border:none;border-top:1px solid #dddddd;margin:24px 0;",
        "section": "margin-top:32px;font-size:14px;color:#555555;",
        "del": "color:#888888;",
    ]

    /// ``styles`` for the scan: each element's name as bytes and its ` style="…"` attribute.
    private static let attributes: [(name: [UInt8], attribute: String)] = styles.map { name, style in
        (Array(name.utf8), #" style=""# + style + "\"")
    }

    /// The ` style="…"` attribute of the element named `name` (any case), if it has one.
    private static func attribute(forName name: ArraySlice<UInt8>) -> String? {
        guard let first = name.first?.asciiLowercased else { return nil }
        // Compared byte by byte, the first byte and the length first (every tag of the part
        // is asked about: most are not in the table).
        search: for entry in attributes where entry.name.count == name.count && entry.name[0] == first {
            for (offset, byte) in name.dropFirst().enumerated() where entry.name[offset + 1] != byte.asciiLowercased {
                continue search
            }
            return entry.attribute
        }
        return nil
    }

    /// `html` with a `style` attribute added to each start tag of an element in ``styles`` that
    /// has none. The input is the HTML renderer's output: every `<` in text is escaped, so each
    /// `<` starts a tag, a comment or an end tag.
    static func apply(to html: String) -> String {
        // Scanned as bytes (tags and names are ASCII) and put together from the runs between the
        // places a style goes, copied as they are.
        let text = ByteText(html)
        let bytes = text.bytes
        let styleMarker = Array("style=".utf8)
        var result = SplicedText(source: html, capacity: bytes.count + bytes.count / 4)
        var position = 0
        var searched = 0
        while let open = text.firstIndex(of: UInt8(ascii: "<"), from: searched) {
            var nameEnd = open + 1
            while nameEnd < bytes.count, Self.isNameByte(bytes[nameEnd]) { nameEnd += 1 }
            guard let style = Self.attribute(forName: bytes[(open + 1)..<nameEnd]),
                let close = text.firstIndex(of: UInt8(ascii: ">"), from: nameEnd)
            else {
                searched = open + 1
                continue
            }
            if text.firstIndex(of: styleMarker, from: nameEnd, before: close) == nil {
                result.copy(position..<nameEnd)
                result.append(style)
                position = nameEnd
            }
            searched = close
        }
        result.copy(position..<bytes.count)
        return result.text
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}

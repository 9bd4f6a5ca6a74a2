// Inline styles for the HTML part: mail readers drop style sheets, so each element carries its
// own look in a `style` attribute.

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

    /// `html` with a `style` attribute added to each start tag of an element in ``styles`` that
    /// has none. The input is the HTML renderer's output: every `<` in text is escaped, so each
    /// `<` starts a tag, a comment or an end tag.
    static func apply(to html: String) -> String {
        var result = ""
        result.reserveCapacity(html.utf8.count + html.utf8.count / 4)
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            var nameEnd = afterOpen
            while nameEnd < rest.endIndex, rest[nameEnd].isLetter || rest[nameEnd].isNumber { nameEnd = rest.index(after: nameEnd) }
            let name = rest[afterOpen..<nameEnd].lowercased()
            guard let style = styles[name], let close = rest[nameEnd...].firstIndex(of: ">") else {
                result += "<"
                rest = rest[afterOpen...]
                continue
            }
            let attributes = rest[nameEnd..<close]
            result += "<" + rest[afterOpen..<nameEnd]
            if !attributes.contains("style=") { result += " style=\"\(style)\"" }
            result += attributes
            rest = rest[close...]
        }
        return result + rest
    }
}

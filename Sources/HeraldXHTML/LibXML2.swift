// The one file that sees libxml2: it parses an HTML fragment and replays the tree as Swift
// events, and it checks XML well-formedness. Every C value is freed before a function returns.

internal import CLibXML2

/// Thin, C-free entry points into libxml2 for the rest of the module.
enum LibXML2 {
    /// `xmlInitParser()` must run once, before parsers are used from several threads.
    /// A static `let` is initialized exactly once, thread-safely, on first use.
    private static let initialized: Void = { xmlInitParser() }()

    /// Puts the fragment straight into `<body>`. Without it libxml2 moves leading `<style>` or
    /// `<title>` into an implied `<head>`, wraps leading text in an implied `<p>`, and loses a
    /// leading `<<<`.
    private static let bodyPrefix = "<html><body>"

    /// Elements whose first newline an HTML parser drops (libxml2 keeps it; browsers do not).
    private static let leadingNewlineElements: Set<String> = ["pre", "listing", "textarea"]

    // MARK: HTML fragments

    /// Parses `fragment` as the content of `<body>` and calls `visit` for each node in document
    /// order: `.start` and `.end` for every element, text, raw text (libxml2 keeps `<script>`
    /// and `<style>` content as CDATA) and comments. `<html>` and `<body>` (also ones the author
    /// wrote, and the second `<body>` libxml2 opens for content after `</body>`) are transparent;
    /// `<head>`, the DTD and processing instructions are skipped.
    ///
    /// The walk keeps its own stack, so depth costs heap, not C or Swift stack. libxml2 itself
    /// stops parsing past 256 levels ("Excessive depth"), so deeper input is cut off there.
    ///
    /// `walksEarly` (for tests, which hold the two ways to each other) walks the finished parts
    /// of the body while the parser is still reading, and frees them (see ``parseHTML``); the
    /// result is how many nodes right inside the body were walked so.
    @discardableResult
    static func walkHTMLFragment(_ fragment: String, walksEarly: Bool = true, _ visit: (FragmentEvent) -> Void) -> Int {
        _ = initialized
        var source = bodyPrefix + fragment
        // The fragment is a Swift string, so valid UTF-8: libxml2 reads it as it is (named as an
        // encoding, UTF-8 is copied through a converter, which for a long post costs twice its
        // size), and a `<meta charset>` in the author's HTML may not switch it to another.
        let options = Int32(bitPattern: HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)
        return withoutActuallyEscaping(visit) { visit in
            let walk = EarlyWalk(visit: visit)
            let document: htmlDocPtr? = source.withUTF8 { bytes in
                guard bytes.count <= Int(Int32.max) else { return nil }
                return bytes.withMemoryRebound(to: CChar.self) { chars in
                    parseHTML(chars, options: options, walk: walksEarly ? walk : nil)
                }
            }
            guard let document else { return 0 }
            defer { xmlFreeDoc(document) }
            // What the parse did not walk already.
            walkNodes(from: document.pointee.children, visit)
            return walk.walked
        }
    }

    /// Parses a whole HTML document as `htmlReadMemory` does, with one addition: whenever
    /// the parser is about to open an element right inside the first `<body>`, the children of
    /// the body that are finished (all but its last) are walked and freed. The tree libxml2
    /// builds for a long post takes many times the post's size; this way little of it is alive
    /// at once. The last child stays, because the parser looks at it (to join text, and to
    /// decide whether whitespace matters).
    private static func parseHTML(_ chars: UnsafeBufferPointer<CChar>, options: Int32, walk: EarlyWalk?) -> htmlDocPtr? {
        guard let context = xmlCreateMemoryParserCtxt(chars.baseAddress, Int32(chars.count)) else { return nil }
        htmlDefaultSAXHandlerInit()
        if let handler = context.pointee.sax {
            UnsafeMutableRawPointer(handler).copyMemory(from: __htmlDefaultSAXHandler(), byteCount: MemoryLayout<xmlSAXHandlerV1>.size)
        }
        if let walk, let handler = context.pointee.sax {
            walk.startElement = handler.pointee.startElement
            handler.pointee.startElement = { userData, name, attributes in
                guard let context = userData?.assumingMemoryBound(to: xmlParserCtxt.self), let box = context.pointee._private else { return }
                let walk = Unmanaged<EarlyWalk>.fromOpaque(box).takeUnretainedValue()
                walk.flush(context)
                walk.startElement?(userData, name, attributes)
            }
        }
        _ = htmlCtxtUseOptions(context, options)
        context.pointee.html = 1
        let document: htmlDocPtr? = withExtendedLifetime(walk) {
            context.pointee._private = walk.map { Unmanaged.passUnretained($0).toOpaque() }
            _ = htmlParseDocument(context)
            context.pointee._private = nil
            return context.pointee.myDoc
        }
        context.pointee.myDoc = nil
        if context.pointee.dictNames != 0, let document, document.pointee.dict == context.pointee.dict {
            context.pointee.dict = nil
        }
        xmlFreeParserCtxt(context)
        return document
    }

    /// The state of one parse that walks as it goes.
    private final class EarlyWalk {
        let visit: (FragmentEvent) -> Void
        /// libxml2's own handler, which builds the tree.
        var startElement: startElementSAXFunc?
        /// How many nodes were walked and freed during the parse.
        var walked = 0

        init(visit: @escaping (FragmentEvent) -> Void) { self.visit = visit }

        /// Walks and frees the finished children of the first `<body>` when the parser is
        /// right inside it, and nothing before the body would be walked after them.
        func flush(_ context: xmlParserCtxtPtr) {
            guard let body = context.pointee.node, body.pointee.type == XML_ELEMENT_NODE,
                LibXML2.string(body.pointee.name) == "body",
                let html = body.pointee.parent, html.pointee.type == XML_ELEMENT_NODE,
                LibXML2.string(html.pointee.name) == "html", html.pointee.parent?.pointee.type == XML_HTML_DOCUMENT_NODE
            else { return }
            // Only a `<head>` (never walked) or nothing may come before the body, and only a
            // document type before the `<html>`.
            var before = body.pointee.prev
            while let node = before {
                guard node.pointee.type == XML_ELEMENT_NODE, LibXML2.string(node.pointee.name) == "head" else { return }
                before = node.pointee.prev
            }
            before = html.pointee.prev
            while let node = before {
                guard node.pointee.type == XML_DTD_NODE else { return }
                before = node.pointee.prev
            }
            while let first = body.pointee.children, first != body.pointee.last {
                LibXML2.walkNodes(from: first, only: true, visit)
                xmlUnlinkNode(first)
                xmlFreeNode(first)
                walked += 1
            }
        }
    }

    /// Calls `visit` for `start` and what follows it in document order (only for `start` and
    /// its descendants when `only` is set).
    private static func walkNodes(from start: xmlNodePtr?, only: Bool = false, _ visit: (FragmentEvent) -> Void) {
        /// Where to continue once a node's children are done, and whether to close it.
        struct Frame {
            var resume: xmlNodePtr?
            var emitsEnd: Bool
        }
        var stack: [Frame] = []
        var cursor = start
        while true {
            guard let node = cursor else {
                guard let frame = stack.popLast() else { break }
                if frame.emitsEnd { visit(.end) }
                cursor = frame.resume
                continue
            }
            // After the first node, a walk of one node goes no further than its descendants.
            let next = only && stack.isEmpty ? nil : node.pointee.next
            cursor = next
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                let name = string(node.pointee.name)
                switch name {
                case "html", "body":
                    stack.append(Frame(resume: next, emitsEnd: false))
                    cursor = node.pointee.children
                case "head":
                    break
                default:
                    visit(.start(FragmentElement(name: name, attributes: attributes(of: node))))
                    if MarkupWriter.voidElements.contains(name) {
                        // libxml2 2.9 predates HTML5's void `embed`, `source`, `track`, `wbr`,
                        // `keygen` and `bgsound`, and nests what follows them inside: hoist it.
                        visit(.end)
                        stack.append(Frame(resume: next, emitsEnd: false))
                    } else {
                        stack.append(Frame(resume: next, emitsEnd: true))
                    }
                    cursor = node.pointee.children
                }
            case XML_TEXT_NODE:
                var text = string(node.pointee.content)
                if node.pointee.prev == nil, text.hasPrefix("\n"), let parent = node.pointee.parent,
                   parent.pointee.type == XML_ELEMENT_NODE,
                   leadingNewlineElements.contains(string(parent.pointee.name)) {
                    text.removeFirst()
                }
                if !text.isEmpty { visit(.text(text)) }
            case XML_CDATA_SECTION_NODE:
                visit(.rawText(string(node.pointee.content)))
            case XML_COMMENT_NODE:
                visit(.comment(string(node.pointee.content)))
            default:
                // DTD, processing instructions, entity references (the HTML parser makes none).
                break
            }
        }
    }

    /// The attributes of an element, in source order; `value` is nil for a bare `<td nowrap>`.
    private static func attributes(of node: xmlNodePtr) -> [FragmentAttribute] {
        var result: [FragmentAttribute] = []
        var attribute = node.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            let name = string(current.pointee.name)
            guard var child = current.pointee.children else {
                result.append(FragmentAttribute(name: name, value: nil))
                continue
            }
            var value = ""
            while true {
                value += string(child.pointee.content)
                guard let next = child.pointee.next else { break }
                child = next
            }
            result.append(FragmentAttribute(name: name, value: value))
        }
        return result
    }

    private static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    private static func string(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String {
        string(UnsafePointer(pointer))
    }

    // MARK: XML well-formedness

    /// Collects libxml2's structured errors for one parse. Lives only inside one call.
    private final class ProblemSink {
        var problems: [(line: Int, column: Int, message: String)] = []
    }

    /// Parses `text` as an XML document (no network, no entity substitution, no DTD loading)
    /// and returns its errors with line and column, in the order libxml2 reported them.
    static func wellFormednessErrors(_ text: String) -> [(line: Int, column: Int, message: String)] {
        _ = initialized
        guard let context = xmlNewParserCtxt() else {
            return [(line: 0, column: 0, message: "libxml2 could not create a parser context")]
        }
        defer { xmlFreeParserCtxt(context) }
        let sink = ProblemSink()
        // The context's own handler: nothing reaches stderr or the thread's global handler.
        // libxml2 passes the context's userData, which is the context itself.
        context.pointee._private = Unmanaged.passUnretained(sink).toOpaque()
        context.pointee.sax.pointee.serror = { userData, error in
            guard let userData, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
            guard let box = context.pointee._private else { return }
            let sink = Unmanaged<ProblemSink>.fromOpaque(box).takeUnretainedValue()
            var message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
            while message.last?.isWhitespace == true { message.removeLast() }
            sink.problems.append((line: Int(error.pointee.line), column: Int(error.pointee.int2), message: message))
        }
        var source = text
        withExtendedLifetime(sink) {
            let document: xmlDocPtr? = source.withUTF8 { bytes in
                guard bytes.count <= Int(Int32.max) else { return nil }
                let options = Int32(bitPattern: XML_PARSE_NONET.rawValue)
                return bytes.withMemoryRebound(to: CChar.self) { chars in
                    // libxml2 takes a NULL buffer as "no input" and reports nothing; an empty
                    // string must still be reported as an empty document.
                    guard let base = chars.baseAddress else {
                        return xmlCtxtReadMemory(context, "", 0, nil, "UTF-8", options)
                    }
                    return xmlCtxtReadMemory(context, base, Int32(chars.count), nil, "UTF-8", options)
                }
            }
            if let document { xmlFreeDoc(document) }
        }
        if text.utf8.count > Int(Int32.max) {
            sink.problems.append((line: 0, column: 0, message: "document too large for libxml2"))
        }
        return sink.problems
    }
}

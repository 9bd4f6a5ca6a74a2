// The build cache on disk: a compact binary form, read in a few milliseconds for an archive of
// hundreds of posts (a rebuild that changes nothing is mostly this read). Lengths and numbers
// are variable-length integers; strings are UTF-8 after their length; an optional is a byte 0
// or 1 before its value. The file starts with a line naming it and its layout, so that anything
// else in its place is recognised and left aside. The sources come in parts of a few dozen, each
// after its length, so that the parts are decoded on every core at once. A rebuild that keeps a
// source's entry as it was read copies the entry's bytes from the file it read rather than
// encoding it again (after a one-post edit, the rest of an archive's entries).

import Foundation

extension BuildCache {
    /// The first bytes of the file: what it is and the layout of what follows.
    static var header: [UInt8] { Array("herald build cache \(layoutVersion)\n".utf8) }

    /// The cache as written to disk.
    func encoded() -> [UInt8] {
        var writer = CacheWriter()
        writer.bytes = Self.header
        writer.string(herald)
        writer.string(settings)
        // The sources in parts, each after its number of entries and its length in bytes: a
        // reader decodes the parts on every core at once.
        let keys = sources.keys.sorted()
        writer.count(keys.count)
        let parts = stride(from: 0, to: keys.count, by: Self.entriesPerPart).map { $0..<min($0 + Self.entriesPerPart, keys.count) }
        writer.count(parts.count)
        for part in parts {
            var chunk = CacheWriter()
            for key in keys[part] {
                if let asRead, let range = asRead.ranges[key] {
                    chunk.bytes += asRead.bytes[range]
                } else {
                    chunk.string(key)
                    chunk.source(sources[key]!)
                }
            }
            writer.count(part.count)
            writer.count(chunk.bytes.count)
            writer.bytes += chunk.bytes
        }
        for part in [listing, collection] {
            writer.string(part.key)
            writer.entries(part.outputs)
            writer.strings(part.shows)
        }
        writer.entries(extra)
        return writer.bytes
    }

    /// Reads a cache written by ``encoded()``; throws on anything else, or a damaged file.
    static func decoded(_ bytes: [UInt8]) throws(CacheReader.Damaged) -> BuildCache {
        let header = self.header
        guard bytes.count >= header.count, bytes[..<header.count].elementsEqual(header) else { throw .foreign }
        // Read through a pointer: the lanes that decode the parts at once share no reference
        // to count (counting references to the file's one array from both cores, once per
        // string, was a fifth of the decoding's time).
        return try bytes.withUnsafeBufferPointer { (pointer) throws(CacheReader.Damaged) in
            try decoded(CacheReader(bytes: pointer, position: header.count), file: bytes)
        }
    }

    /// The cache `reader` reads, from its first value after the header, in `file`'s bytes.
    private static func decoded(_ reader: CacheReader, file bytesOfFile: [UInt8]) throws(CacheReader.Damaged) -> BuildCache {
        var reader = reader
        let bytes = reader.bytes
        let file = FileBytes(bytes: bytes)
        let herald = try reader.string()
        let settings = try reader.string()
        let count = try reader.count()
        let partCount = try reader.count()
        guard partCount <= bytes.count - reader.position else { throw .damaged }
        var parts: [(entries: Int, bytes: Range<Int>)] = []
        for _ in 0..<partCount {
            let entries = try reader.count()
            let length = try reader.count()
            guard length <= bytes.count - reader.position else { throw .damaged }
            parts.append((entries, reader.position..<(reader.position + length)))
            reader.position += length
        }
        guard parts.reduce(0, { $0 + $1.entries }) == count else { throw .damaged }
        var decodedParts = parts.concurrentMap { part -> [(String, Source, Range<Int>)]? in
            var partReader = CacheReader(bytes: file.bytes, position: part.bytes.lowerBound, end: part.bytes.upperBound)
            var entries: [(String, Source, Range<Int>)] = []
            entries.reserveCapacity(min(part.entries, part.bytes.count))
            do {
                for _ in 0..<part.entries {
                    let start = partReader.position
                    let (key, source) = (try partReader.string(), try partReader.source())
                    entries.append((key, source, start..<partReader.position))
                }
            } catch {
                return nil
            }
            return partReader.position == part.bytes.upperBound ? entries : nil
        }
        var sources: [String: Source] = [:]
        var ranges: [String: Range<Int>] = [:]
        sources.reserveCapacity(count)
        ranges.reserveCapacity(count)
        guard !decodedParts.contains(where: { $0 == nil }) else { throw .damaged }
        // Each entry moved from its part into the dictionary (a copy would count every
        // reference an entry holds, twice).
        for index in decodedParts.indices {
            var part = decodedParts[index].take()!
            part.reverse()
            while let (key, source, range) = part.popLast() {
                sources[key] = source
                ranges[key] = range
            }
        }
        let listing = Collection(key: try reader.string(), outputs: try reader.entries(), shows: try reader.strings())
        let collection = Collection(key: try reader.string(), outputs: try reader.entries(), shows: try reader.strings())
        let extra = try reader.entries()
        guard reader.position == bytes.count else { throw .damaged }
        return BuildCache(
            herald: herald, settings: settings, sources: sources, listing: listing, collection: collection, extra: extra,
            asRead: EntriesAsRead(bytes: bytesOfFile, ranges: ranges))
    }

    /// The file's bytes as the lanes share them: read only, while ``decoded(_:)-swift.type.method`` runs.
    private struct FileBytes: @unchecked Sendable {
        let bytes: UnsafeBufferPointer<UInt8>
    }
}

struct CacheWriter {
    var bytes: [UInt8] = []

    mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A signed number, zigzag-coded so that small negative numbers stay short.
    mutating func int(_ value: Int) { unsigned(UInt64(UInt(bitPattern: (value << 1) ^ (value >> 63)))) }

    mutating func count(_ value: Int) { unsigned(UInt64(max(value, 0))) }

    mutating func string(_ text: String) {
        count(text.utf8.count)
        bytes.append(contentsOf: text.utf8)
    }

    mutating func optional<T>(_ value: T?, _ write: (inout CacheWriter, T) -> Void) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        write(&self, value)
    }

    mutating func strings(_ list: [String]) {
        count(list.count)
        for text in list { string(text) }
    }

    mutating func source(_ source: BuildCache.Source) {
        string(source.path)
        string(source.digest)
        optional(source.stamp) { writer, stamp in
            writer.unsigned(stamp.device)
            writer.unsigned(stamp.inode)
            writer.int(Int(stamp.size))
            writer.int(Int(stamp.modified))
            writer.int(Int(stamp.changed))
        }
        count(source.dependencies.count)
        for (path, digest) in source.dependencies.sorted(by: { $0.key < $1.key }) {
            string(path)
            string(digest)
        }
        count(source.diagnostics.count)
        for diagnostic in source.diagnostics {
            string(diagnostic.severity.rawValue)
            string(diagnostic.id.rawValue)
            optional(diagnostic.file) { $0.string($1) }
            optional(diagnostic.location) { writer, location in
                writer.int(location.line)
                writer.int(location.column)
            }
            string(diagnostic.message)
        }
        entries(source.outputs)
        optional(source.listed) { writer, listing in writer.listing(listing) }
    }

    mutating func listing(_ listing: BuildCache.Listing) {
        string(listing.slug)
        string(listing.lang)
        metadata(listing.metadata)
        optional(listing.translationKey) { writer, key in writer.string(key) }
        count(listing.translations.count)
        for translation in listing.translations {
            string(translation.lang)
            string(translation.slug)
            string(translation.title)
        }
    }

    mutating func entries(_ entries: [ManifestEntry]) {
        count(entries.count)
        for entry in entries {
            optional(entry.source) { $0.string($1) }
            string(entry.format)
            optional(entry.lang) { $0.string($1) }
            string(entry.path)
            int(entry.bytes)
            string(entry.sha256)
        }
    }

    /// Front matter as a listing needs it (where each key was written is not kept).
    mutating func metadata(_ metadata: PostMetadata) {
        optional(metadata.title) { $0.string($1) }
        optional(metadata.date) { writer, date in
            for part in [date.year, date.month, date.day, date.nanosecond] { writer.int(part) }
            for part in [date.hour, date.minute, date.second, date.utcOffset] { writer.optional(part) { $0.int($1) } }
        }
        strings(metadata.authors)
        strings(metadata.tags)
        optional(metadata.summary) { $0.string($1) }
        optional(metadata.slug) { $0.string($1) }
        optional(metadata.lang) { $0.string($1) }
        bytes.append(metadata.draft ? 1 : 0)
        count(metadata.extra.count)
        for (key, value) in metadata.extra {
            string(key)
            self.value(value)
        }
    }

    mutating func value(_ value: MetadataValue) {
        switch value {
        case .null: bytes.append(0)
        case .bool(let flag): bytes.append(flag ? 2 : 1)
        case .int(let number):
            bytes.append(3)
            int(number)
        case .double(let number):
            bytes.append(4)
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: number.bitPattern >> UInt64(shift))) }
        case .string(let text):
            bytes.append(5)
            string(text)
        case .list(let items):
            bytes.append(6)
            count(items.count)
            for item in items { self.value(item) }
        case .map(let entries):
            bytes.append(7)
            count(entries.count)
            for (key, item) in entries.sorted(by: { $0.key < $1.key }) {
                string(key)
                self.value(item)
            }
        }
    }
}

struct CacheReader {
    /// Why a cache file cannot be used.
    enum Damaged: Error {
        /// Not a cache of this layout.
        case foreign
        /// Cut short, or with values that make no sense.
        case damaged
    }

    /// The file's bytes, which outlive the reader.
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    /// Where what this reader reads ends (a part of the file, or all of it).
    let end: Int

    init(bytes: UnsafeBufferPointer<UInt8>, position: Int, end: Int? = nil) {
        self.bytes = bytes
        self.position = position
        self.end = min(end ?? bytes.count, bytes.count)
    }

    mutating func byte() throws(Damaged) -> UInt8 {
        guard position < end else { throw .damaged }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func count() throws(Damaged) -> Int {
        let value = try unsigned()
        guard value <= UInt64(Int.max) else { throw .damaged }
        return Int(value)
    }

    mutating func unsigned() throws(Damaged) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw .damaged }
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { break }
            shift += 7
        }
        return value
    }

    mutating func int() throws(Damaged) -> Int {
        let coded = UInt(try unsigned())
        return Int(bitPattern: (coded >> 1) ^ (0 &- (coded & 1)))
    }

    mutating func string() throws(Damaged) -> String {
        let length = try count()
        guard length <= end - position else { throw .damaged }
        defer { position += length }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<(position + length)]), as: UTF8.self)
    }

    /// A string that is often `known` (an output's or a diagnostic's source, which is the
    /// entry's own path): `known` itself when the bytes are its bytes, so that the thousands
    /// of such strings in a cache are not made again.
    mutating func string(often known: String) throws(Damaged) -> String {
        let length = try count()
        guard length <= end - position else { throw .damaged }
        defer { position += length }
        let bytes = UnsafeBufferPointer(rebasing: self.bytes[position..<(position + length)])
        var known = known
        let same = known.withUTF8 { $0.count == length && (length == 0 || memcmp($0.baseAddress!, bytes.baseAddress!, length) == 0) }
        return same ? known : String(decoding: bytes, as: UTF8.self)
    }

    mutating func optional<T>(_ read: (inout CacheReader) throws(Damaged) -> T) throws(Damaged) -> T? {
        switch try byte() {
        case 0: return nil
        case 1: return try read(&self)
        default: throw .damaged
        }
    }

    mutating func strings() throws(Damaged) -> [String] {
        let count = try count()
        guard count <= end - position else { throw .damaged }
        var list: [String] = []
        for _ in 0..<count { list.append(try string()) }
        return list
    }

    mutating func source() throws(Damaged) -> BuildCache.Source {
        let path = try string()
        let digest = try string()
        let stamp = try optional { (reader) throws(Damaged) in
            FileStamp(
                device: try reader.unsigned(), inode: try reader.unsigned(), size: Int64(try reader.int()),
                modified: Int64(try reader.int()), changed: Int64(try reader.int()))
        }
        var dependencies: [String: String] = [:]
        let dependencyCount = try count()
        guard dependencyCount <= end - position else { throw .damaged }
        for _ in 0..<dependencyCount { dependencies[try string()] = try string() }
        var diagnostics: [Diagnostic] = []
        let diagnosticCount = try count()
        guard diagnosticCount <= end - position else { throw .damaged }
        for _ in 0..<diagnosticCount {
            guard let severity = Diagnostic.Severity(rawValue: try string()) else { throw .damaged }
            let id = DiagnosticID(rawValue: try string())
            let file = try optional { (reader) throws(Damaged) in try reader.string(often: path) }
            let location = try optional { (reader) throws(Damaged) in SourceLocation(line: try reader.int(), column: try reader.int()) }
            diagnostics.append(Diagnostic(severity, id: id, file: file, at: location, try string()))
        }
        let outputs = try entries(often: path)
        let listed = try optional { (reader) throws(Damaged) in
            let (slug, lang, metadata) = (try reader.string(), try reader.string(), try reader.metadata())
            let key = try reader.optional { (reader) throws(Damaged) in try reader.string() }
            let count = try reader.count()
            guard count <= reader.end - reader.position else { throw .damaged }
            var translations: [Translation] = []
            for _ in 0..<count {
                translations.append(Translation(lang: try reader.string(), slug: try reader.string(), title: try reader.string()))
            }
            return BuildCache.Listing(slug: slug, lang: lang, metadata: metadata, translationKey: key, translations: translations)
        }
        return BuildCache.Source(path: path, digest: digest, stamp: stamp, dependencies: dependencies, diagnostics: diagnostics, outputs: outputs, listed: listed)
    }

    /// Manifest entries, whose source is often `source`.
    mutating func entries(often source: String = "") throws(Damaged) -> [ManifestEntry] {
        let count = try count()
        guard count <= end - position else { throw .damaged }
        var entries: [ManifestEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let source = try optional { (reader) throws(Damaged) in try reader.string(often: source) }
            let format = try string()
            let lang = try optional { (reader) throws(Damaged) in try reader.string() }
            entries.append(ManifestEntry(source: source, format: format, lang: lang, path: try string(), bytes: try int(), sha256: try string()))
        }
        return entries
    }

    mutating func metadata() throws(Damaged) -> PostMetadata {
        var metadata = PostMetadata()
        metadata.title = try optional { (reader) throws(Damaged) in try reader.string() }
        metadata.date = try optional { (reader) throws(Damaged) in
            var date = PostDate(year: try reader.int(), month: try reader.int(), day: try reader.int())
            date.nanosecond = try reader.int()
            date.hour = try reader.optional { (reader) throws(Damaged) in try reader.int() }
            date.minute = try reader.optional { (reader) throws(Damaged) in try reader.int() }
            date.second = try reader.optional { (reader) throws(Damaged) in try reader.int() }
            date.utcOffset = try reader.optional { (reader) throws(Damaged) in try reader.int() }
            return date
        }
        metadata.authors = try strings()
        metadata.tags = try strings()
        metadata.summary = try optional { (reader) throws(Damaged) in try reader.string() }
        metadata.slug = try optional { (reader) throws(Damaged) in try reader.string() }
        metadata.lang = try optional { (reader) throws(Damaged) in try reader.string() }
        metadata.draft = try byte() == 1
        let count = try count()
        guard count <= end - position else { throw .damaged }
        for _ in 0..<count { metadata.extra.append((try string(), try value(depth: 0))) }
        return metadata
    }

    /// A front matter value; nesting deeper than any front matter Herald reads is damage.
    mutating func value(depth: Int) throws(Damaged) -> MetadataValue {
        guard depth < 256 else { throw .damaged }
        switch try byte() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try int())
        case 4:
            var pattern: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 8) { pattern |= UInt64(try byte()) << UInt64(shift) }
            return .double(Double(bitPattern: pattern))
        case 5: return .string(try string())
        case 6:
            let count = try count()
            guard count <= end - position else { throw .damaged }
            var items: [MetadataValue] = []
            for _ in 0..<count { items.append(try value(depth: depth + 1)) }
            return .list(items)
        case 7:
            let count = try count()
            guard count <= end - position else { throw .damaged }
            var entries: [String: MetadataValue] = [:]
            for _ in 0..<count { entries[try string()] = try value(depth: depth + 1) }
            return .map(entries)
        default: throw .damaged
        }
    }
}

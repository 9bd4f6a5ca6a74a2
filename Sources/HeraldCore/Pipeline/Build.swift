// `Pipeline.build`: every post through every backend into an output folder, incrementally.
// The cache of the last build (BuildCache) says which posts need reading again; files are
// written only when their bytes change, and what the last build wrote and this one does not
// make is removed.

public import Foundation
import Synchronization

extension Pipeline {
    /// Builds `inputs` into `outputFolder`: every post through every backend, then the outputs
    /// made from all posts (indexes, feeds), and `manifest.json` listing them all.
    ///
    /// The build is incremental: a post whose source and the files it was made from (posts it
    /// links to, its images) are the same as at the last build with the same ``fingerprint``
    /// is not read again, and its outputs stay as they are; a file that would be written with
    /// the bytes it already has is left alone; the outputs the last build listed in its manifest
    /// and this one no longer makes are removed. `force` reads and writes everything. `extra`
    /// lists files the caller wrote elsewhere (translation stubs beside their posts) in the
    /// manifest. `progress` hears of every post read and rendered.
    public func build(
        _ inputs: [Input], into outputFolder: URL, force: Bool = false, listing extra: [ManifestEntry] = [],
        progress: (@Sendable (BuildProgress) -> Void)? = nil
    ) -> Report {
        var report = Report()
        let writer = OutputWriter(root: outputFolder)

        // What the last build left (its manifest, and its cache when it may be trusted), read
        // while every source is looked at on disk (not read: see below).
        let here = FileManager.default.currentDirectoryPath
        // A cache that may be trusted lists what the manifest lists; without one, the manifest
        // says what the last build wrote. The manifest (JSON, a line per output: tens of
        // milliseconds for an archive) is read beside the build and waited for where it is
        // needed: before rendering when files that hold the same bytes are to be left alone, at
        // the end (to remove what is no longer made) with `force`.
        let manifestRead = Mutex<(manifest: Manifest?, damaged: Bool)>((nil, false))
        let readingManifest = DispatchGroup()
        // The cache is read and decoded as work of its own on the system's queue from the start
        // (its parts on every core), while this thread takes the sources' stamps and the
        // settings' fingerprint, which says whether the cache may be trusted.
        let lastBuild = Mutex<(cache: BuildCache?, note: Diagnostic?)>((nil, nil))
        let readingCache = DispatchGroup()
        if !force {
            DispatchQueue.global().async(group: readingCache) {
                let loaded = BuildCache.load(in: writer.root)
                lastBuild.withLock { $0 = loaded }
            }
        }
        // Each stamp is taken before the file is read: a change after it shows next time.
        let stamps = FileStamp.stamps(of: inputs.map { $0.bytes == nil ? $0.path : nil })
        let keys = inputs.map { SourcePaths.standardized($0.path, in: here) }
        let settings = fingerprint
        readingCache.wait()
        let (loadedCache, cacheNote) = lastBuild.withLock { $0 }
        let cache = loadedCache.flatMap { $0.isTrusted(settings: settings) ? $0 : nil }
        report.diagnostics += cacheNote.map { [$0] } ?? []
        // Without a cache to trust, the manifest says what the last build wrote.
        if cache == nil {
            DispatchQueue.global().async(group: readingManifest) {
                let read = Manifest.read(in: writer.root)
                manifestRead.withLock { $0 = read }
            }
        }
        /// What the last build's manifest lists, when there is no cache to trust (read beside
        /// the build); when it cannot be read, a note among the diagnostics of the build's start.
        func lastManifest() -> Manifest? {
            readingManifest.wait()
            let (manifest, damaged) = manifestRead.withLock { $0 }
            if damaged {
                report.diagnostics.insert(.note(
                    .manifestUnreadable, file: writer.root.appendingPathComponent("manifest.json").path,
                    "the last build's manifest cannot be read: files it listed that are no longer made are left in place"),
                    at: cacheNote == nil ? 0 : 1)
            }
            return manifest
        }

        // Each source's entry in the cache, looked up once (each lookup copies an entry: tens of
        // references counted).
        let cached = cache.map { cache in keys.map { cache.sources[$0] } } ?? [BuildCache.Source?](repeating: nil, count: inputs.count)
        // Every source's digest: the last build's for a file that still has the stamp it had
        // then, else the file is read and digested (on every core).
        var given = inputs
        var digests = [String?](repeating: nil, count: inputs.count)
        for index in inputs.indices where inputs[index].bytes == nil {
            guard let stamp = stamps[index], cached[index]?.path == inputs[index].path, cached[index]?.stamp == stamp else { continue }
            digests[index] = cached[index]?.digest
        }
        func readAndDigest(_ indices: [Int]) {
            let read = indices.concurrentMap { index -> [UInt8]? in
                inputs[index].bytes ?? (try? SourceFiles.read(inputs[index].path))
            }
            let digested = read.concurrentMap { $0.map(BuildCache.digest) }
            for (index, (bytes, digest)) in zip(indices, zip(read, digested)) {
                given[index].bytes = bytes
                digests[index] = digest
            }
        }
        readAndDigest(inputs.indices.filter { digests[$0] == nil })
        var fileDigests = FileDigests(known: zip(keys, digests).compactMap { key, digest in digest.map { (key, $0) } })

        // The posts the last build made from the same files.
        var clean = [BuildCache.Source?](repeating: nil, count: inputs.count)
        if cache != nil {
            let candidates = inputs.indices.filter { cached[$0]?.path == inputs[$0].path && cached[$0]?.digest == digests[$0] }
            fileDigests.add(candidates.flatMap { cached[$0]!.dependencies.keys })
            // Each output looked at on disk, on every core: thousands of them in an archive. In
            // runs of posts, so that the cores take hold of the writer and the digests once per
            // run (both cores counting references to one object at once is slow).
            let known = fileDigests
            let runs = stride(from: 0, to: candidates.count, by: 32).map { $0..<min($0 + 32, candidates.count) }
            let unchanged = runs.concurrentMap { run in
                candidates[run].map { index in
                    cached[index]!.dependencies.allSatisfy { known[$0.key] == $0.value } && cached[index]!.outputs.allSatisfy { writer.holds($0) }
                }
            }.joined()
            for (index, isClean) in zip(candidates, unchanged) where isClean {
                clean[index] = cached[index]
            }
        }

        // Whether the cache says of every source the stamp it has now (else it is written again,
        // so that the next build need not read the source).
        let stampsKept = cache != nil && inputs.indices.allSatisfy { cached[$0]?.stamp == stamps[$0] }

        // Nothing to do: every source is as the last build left it, none is gone, and the
        // outputs made from all posts are in place. What the build says is what the last one said.
        if let cache, !force, stampsKept, clean.allSatisfy({ $0 != nil }), Set(keys).count == cache.sources.count,
            keys.count == cache.sources.count, cache.extra == extra, !cache.listing.key.isEmpty, !cache.collection.key.isEmpty,
            (cache.listing.outputs + cache.collection.outputs).allSatisfy(writer.holds),
            FileManager.default.fileExists(atPath: writer.root.appendingPathComponent("manifest.json").path)
        {
            // The posts' positions, newest first (their listings are read where they are).
            let listed = Self.newestFirst(inputs.indices.filter { clean[$0]!.listed != nil }) { clean[$0]!.listed!.metadata.date } slug: { clean[$0]!.listed!.slug }
            // Put together in one array (joining arrays copies every entry of both, thousands).
            var entries: [ManifestEntry] = []
            entries.reserveCapacity(listed.reduce(0) { $0 + clean[$1]!.outputs.count } + cache.listing.outputs.count + cache.collection.outputs.count + extra.count)
            for index in listed { entries += clean[index]!.outputs }
            entries += cache.listing.outputs
            entries += cache.collection.outputs
            report.diagnostics = clean.flatMap { $0!.diagnostics } + report.diagnostics
            report.files.unchanged = entries.count
            entries += extra
            report.manifest = Manifest(outputs: entries)
            report.published = listed.count
            report.lastCache = cache
            return report
        }

        // The others, read (those known by their stamps only now), checked and transformed.
        let changed = inputs.indices.filter { clean[$0] == nil }
        readAndDigest(changed.filter { given[$0].bytes == nil && digests[$0] != nil })
        let total = changed.count
        var loaded = loadRecording(changed.map { given[$0] }, progress: progress.map { ProgressCounter(.reading, total: total, report: $0) })
        // The bytes read are let go: from here on the posts are documents.
        given = []
        var perInput = [[Diagnostic]](repeating: [], count: inputs.count)
        var failed = Set<Int>()
        for (position, index) in changed.enumerated() {
            perInput[index] = loaded.diagnostics[position]
            if loaded.failed.contains(position) { failed.insert(index) }
        }
        let positions = Dictionary(uniqueKeysWithValues: changed.enumerated().map { ($1, $0) })
        let recorders = inputs.indices.map { index in positions[index].map { loaded.recorders[$0] } }

        // Every post the build publishes: the ones just read, and the unchanged ones as the
        // cache lists them (read again only when a listing wants the whole post).
        struct Published {
            var index: Int
            var listed: ListedPost
            var post: Post?
            /// An unchanged post made again because its translations changed.
            var refreshed = false
        }
        var published: [Published] = loaded.posts.map { position, post in
            var post = post
            // Backends render documents: the text each post was read from (for checks and
            // stubs) is let go before the outputs are made.
            post.source = nil
            return Published(index: changed[position], listed: ListedPost(post), post: post)
        }
        let loadedInputs = Set(loaded.posts.map { changed[$0.index] })
        // Nor are the posts kept as they were read, with their text: a long post's source is
        // as big as its document. After a long one, what parsing it freed goes back to the
        // system (short posts' freed memory is what rendering them takes again).
        let readLong = loaded.posts.contains { $0.post.document.nodes.count >= Self.longPostNodes }
        loaded.posts = []
        if readLong { FreedMemory.giveBack() }
        let outside = OutsidePosts(pipeline: self)
        for (index, entry) in clean.enumerated() {
            guard let entry else { continue }
            perInput[index] = entry.diagnostics
            guard let listing = entry.listed else { continue }
            let path = inputs[index].path
            let listed = ListedPost(
                sourcePath: path, slug: listing.slug, lang: listing.lang, metadata: listing.metadata, translationKey: listing.translationKey
            ) { () throws(DiagnosticError) -> Post in
                guard var post = outside.post(at: SourcePaths.standardized(path), step: transforms.count) else { throw DiagnosticError(.error(.readFailed, file: path, "cannot read the post again")) }
                post.source = nil
                return post
            }
            published.append(Published(index: index, listed: listed, post: nil))
        }
        published.sort { $0.index < $1.index }

        // Slugs name output files: two posts of one language may not share one.
        var slugOwners: [String: String] = [:]
        published = published.filter { item in
            let key = context.outputName(slug: item.listed.slug, lang: item.listed.lang).lowercased()
            if let owner = slugOwners[key] {
                perInput[item.index].append(.error(.duplicateSlug, file: item.listed.sourcePath, "slug '\(item.listed.slug)' is already used by \(owner)"))
                failed.insert(item.index)
                return false
            }
            slugOwners[key] = item.listed.sourcePath
            return true
        }
        // Each post's translations; an unchanged post whose translations are not the ones its
        // pages link to is made again.
        let translations = Self.translations(of: published.map(\.listed), context: context)
        for position in published.indices {
            published[position].listed.translations = translations[position]
            published[position].post?.translations = translations[position]
            guard published[position].post == nil, let entry = clean[published[position].index],
                entry.listed?.translations != translations[position]
            else { continue }
            do {
                published[position].post = try published[position].listed.loaded()
                published[position].refreshed = true
            } catch {
                perInput[published[position].index] += error.diagnostics
                failed.insert(published[position].index)
                clean[published[position].index] = nil
            }
        }
        published = published.filter { !failed.contains($0.index) }
        published = Self.newestFirst(published) { $0.listed.metadata.date } slug: { $0.listed.slug }

        // What the last build wrote that this one may make again or remove: every file its
        // manifest lists; with a cache, all but the files of the posts left as they are (the
        // thousands of an archive's unchanged posts, which are neither made nor removed).
        let replaceable: [ManifestEntry]
        if let cache {
            let kept = Set(published.lazy.filter { $0.post == nil }.map { keys[$0.index] })
            replaceable = cache.sources.lazy.filter { !kept.contains($0.key) }.flatMap(\.value.outputs)
                + cache.listing.outputs + cache.collection.outputs + cache.extra
        } else {
            replaceable = lastManifest()?.outputs ?? []
        }
        // By path: a file made again with the same bytes is left alone.
        let previous = force ? [:] : Dictionary(replaceable.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })

        // The posts just read, through every backend on every core, each file written as soon as
        // it is made (unless it already holds the same bytes).
        // Every (post, backend) pair is a piece of work of its own, on every core. A post counts
        // as done when its last backend is.
        let rendering = published.filter { $0.post != nil }
        let counter = progress.map { ProgressCounter(.rendering, total: rendering.count, report: $0) }
        let formats = backends.backends.count
        let remaining = Mutex([Int](repeating: formats, count: rendering.count))
        let pieces = Array(0..<(rendering.count * formats))
        @Sendable func renderPiece(_ piece: Int) -> Rendered {
            let (position, backend) = (piece / formats, backends.backends[piece % formats])
            let item = rendering[position]
            let post = item.post!
            var result = Rendered()
            defer {
                let last = remaining.withLock { left in
                    left[position] -= 1
                    return left[position] == 0
                }
                if last { counter?.step() }
            }
            FileDependencies.recording(into: recorders[item.index] ?? FileDependencies.Recorder()) {
                let outputs: [Output]
                do {
                    outputs = try backend.render(post, context: context)
                } catch let error as DiagnosticError {
                    result.diagnostics += error.diagnostics
                    result.failed = true
                    return
                } catch {
                    result.diagnostics.append(.error(.renderFailed, file: post.sourcePath, "\(backend.format): \(error)"))
                    result.failed = true
                    return
                }
                result.add(Self.write(outputs, with: writer, previous: previous))
            }
            return result
        }
        // A long post's pieces take turns, one after the other on one core while the other
        // core renders the rest: its page, message and book rendered at once would each hold a
        // copy of its document and an output of its size at the same time. What each one
        // freed is given back to the system before the next.
        let isLong = rendering.map { $0.post!.document.nodes.count >= Self.longPostNodes }
        let renderedPieces = pieces.concurrentMap(inTurn: { isLong[$0 / formats] }, after: FreedMemory.giveBack, renderPiece)
        // Each post's pieces together, in the backends' order.
        var renderedByIndex: [Int: Rendered] = [:]
        for (position, item) in rendering.enumerated() {
            var result = Rendered()
            for piece in renderedPieces[(position * formats)..<((position + 1) * formats)] { result.add(piece) }
            renderedByIndex[item.index] = result
        }

        // The files the posts just read were made from, digested at once on every core.
        fileDigests.add(recorders.compactMap { $0?.recorded }.joined())
        func dependencies(of index: Int) -> [String: String] {
            fileDigests.digests(of: recorders[index]!.recorded.subtracting([keys[index]]))
        }
        /// What a post is made from, as the key of the outputs made from all posts sees it.
        func state(of index: Int, digest: String, dependencies: [String: String]) -> String {
            "\(keys[index]) \(digest) \(dependencies.sorted { $0.key < $1.key })"
        }

        // The manifest, post by post, newest first; what the cache will say of each post.
        var entries: [ManifestEntry] = []
        var sources: [String: BuildCache.Source] = [:]
        var built: [Published] = []
        /// The sources whose entries stay exactly as the last cache has them (the post unchanged,
        /// its stamp the same): the new cache copies them from the old one's bytes.
        var keptAsRead: [String] = []
        /// What each published post is made from, by standardized path.
        var states: [String: String] = [:]
        for item in published {
            let index = item.index
            if var entry = clean[index], item.refreshed {
                let result = renderedByIndex[index]!
                entries += result.entries
                report.files.written += result.written
                report.files.unchanged += result.entries.count - result.written
                perInput[index] += result.diagnostics
                if result.failed {
                    failed.insert(index)
                    continue
                }
                entry.outputs = result.entries
                entry.stamp = stamps[index]
                entry.listed?.translations = item.listed.translations
                sources[keys[index]] = entry
                states[keys[index]] = state(of: index, digest: entry.digest, dependencies: entry.dependencies)
                built.append(item)
                continue
            }
            if var entry = clean[index] {
                entries += entry.outputs
                report.files.unchanged += entry.outputs.count
                if entry.stamp == stamps[index] { keptAsRead.append(keys[index]) }
                entry.stamp = stamps[index]
                sources[keys[index]] = entry
                states[keys[index]] = state(of: index, digest: entry.digest, dependencies: entry.dependencies)
                built.append(item)
                continue
            }
            let result = renderedByIndex[index]!
            entries += result.entries
            report.files.written += result.written
            report.files.unchanged += result.entries.count - result.written
            perInput[index] += result.diagnostics
            guard !result.failed, let digest = digests[index] else {
                failed.insert(index)
                continue
            }
            built.append(item)
            report.posts.append(item.post!)
            let madeFrom = dependencies(of: index)
            states[keys[index]] = state(of: index, digest: digest, dependencies: madeFrom)
            guard !perInput[index].contains(where: { $0.severity == .error }) else { continue }
            sources[keys[index]] = BuildCache.Source(
                path: inputs[index].path, digest: digest, stamp: stamps[index], dependencies: madeFrom, diagnostics: perInput[index],
                outputs: result.entries, listed: BuildCache.Listing(item.listed))
        }
        // Drafts left out: their note comes back next time without reading them again.
        for index in inputs.indices where !failed.contains(index) && !loadedInputs.contains(index) {
            if var entry = clean[index] {
                if entry.listed == nil && entry.stamp == stamps[index] { keptAsRead.append(keys[index]) }
                entry.stamp = stamps[index]
                if entry.listed == nil { sources[keys[index]] = entry }
            } else if let digest = digests[index] {
                sources[keys[index]] = BuildCache.Source(
                    path: inputs[index].path, digest: digest, stamp: stamps[index],
                    dependencies: dependencies(of: index),
                    diagnostics: perInput[index], outputs: [], listed: nil)
            }
        }

        // Outputs made from all posts: listings made again when what a post says of itself
        // changed; the others (feeds, books) when that did, or one of the posts they show in full.
        let listingKey = sha256Hex(built.flatMap { item in
            var writer = CacheWriter()
            writer.string(keys[item.index])
            writer.listing(BuildCache.Listing(item.listed))
            return writer.bytes
        })
        func collectionKey(showing shows: [String]) -> String {
            sha256Hex(Array(([listingKey] + shows.map { states[$0] ?? "gone \($0)" }).joined(separator: "\n").utf8))
        }
        func reusable(_ part: BuildCache.Collection?, key: String) -> [ManifestEntry]? {
            guard let part, part.key == key, part.outputs.allSatisfy(writer.holds) else { return nil }
            return part.outputs
        }
        let reusedListing = reusable(cache?.listing, key: listingKey)
        let reusedCollection = cache.flatMap { reusable($0.collection, key: collectionKey(showing: $0.collection.shows)) }
        var listingEntries = reusedListing ?? []
        var collectionEntries = reusedCollection ?? []
        report.files.unchanged += listingEntries.count + collectionEntries.count
        // What is made again: each backend's listing and collection, all at once.
        let listed = built.map(\.listed)
        let work = backends.backends.flatMap { backend in
            (reusedListing == nil ? [(backend, true)] : []) + (reusedCollection == nil ? [(backend, false)] : [])
        }
        // Each lane writes what it made as soon as it is made, on every core when it is many
        // files (a listing's pages).
        @Sendable func renderCollection(_ backend: any Backend, isListing: Bool) -> Result<Rendered, any Error> {
            Result {
                let outputs = try isListing ? backend.renderListing(listed, context: context) : backend.renderCollection(listed, context: context)
                return Self.writeSpread(outputs, with: writer, previous: previous)
            }
        }
        // With a long post just rendered, the collections take turns too (the feeds and books
        // show it in full); the listings do not show it. A listing spreads its pages over the
        // cores.
        let anyLong = isLong.contains(true)
        let renderedCollections = work.concurrentMap(
            inTurn: { !$0.1 && anyLong }, after: FreedMemory.giveBack, spreading: true, renderCollection)
        for ((backend, isListing), made) in zip(work, renderedCollections) {
            let result: Rendered
            do {
                result = try made.get()
            } catch let error as DiagnosticError {
                report.diagnostics += error.diagnostics
                continue
            } catch {
                report.diagnostics.append(.error(.renderFailed, file: outputFolder.path, "\(backend.format): \(error)"))
                continue
            }
            if isListing { listingEntries += result.entries } else { collectionEntries += result.entries }
            report.diagnostics += result.diagnostics
            report.files.written += result.written
            report.files.unchanged += result.entries.count - result.written
        }
        entries += listingEntries
        // The posts the collections showed in full: what their next build looks at.
        let shows = reusedCollection != nil ? cache!.collection.shows : built.filter(\.listed.wasAskedFor).map { keys[$0.index] }
        let madeCollectionKey = collectionKey(showing: shows)
        entries += collectionEntries

        // What the last build wrote and this one no longer makes.
        let made = Set(entries.map(\.path))
        for old in replaceable where !made.contains(old.path) {
            do {
                if try writer.remove(old) { report.files.removed += 1 }
            } catch {
                report.diagnostics.append(.warning(.removeFailed, file: error.path, "cannot remove an output of the last build: \(error.reason)"))
            }
        }

        // The manifest and the cache, written when they changed; when no post was read again
        // and no file written or removed, neither can have.
        report.manifest = Manifest(outputs: entries + extra)
        let untouched = !force && changed.isEmpty && stampsKept && report.files.written == 0 && report.files.removed == 0
            && cache.map { $0.collection.key == madeCollectionKey && $0.listing.key == listingKey && $0.extra == extra } == true
            && FileManager.default.fileExists(atPath: writer.root.appendingPathComponent("manifest.json").path)
        let hasCollectionErrors = report.diagnostics.contains { $0.severity == .error }
        let newCache = BuildCache(
            herald: HeraldVersion.build, settings: settings, sources: sources,
            // Outputs made from all posts that failed are made again next time.
            listing: BuildCache.Collection(key: hasCollectionErrors ? "" : listingKey, outputs: listingEntries),
            collection: BuildCache.Collection(key: hasCollectionErrors ? "" : madeCollectionKey, outputs: collectionEntries, shows: shows),
            extra: extra, asRead: cache?.asRead?.keeping(keptAsRead))
        // Both encoded and written at once.
        let manifest = report.manifest
        let names = untouched ? [] : ["manifest.json", BuildCache.fileName]
        report.diagnostics += names.concurrentMap { name -> [Diagnostic] in
            let path = writer.root.appendingPathComponent(name).path
            guard let data = name == BuildCache.fileName ? Data(newCache.encoded()) : try? manifest.encoded() else {
                return [.error(.writeFailed, file: path, "cannot encode \(name)")]
            }
            guard force || FileManager.default.contents(atPath: path) != data else { return [] }
            do throws(DiagnosticError) {
                try OutputWriter.writeFile(data, to: path, creatingFolder: true)
            } catch {
                return error.diagnostics
            }
            return []
        }.joined()

        report.diagnostics = perInput.flatMap { $0 } + report.diagnostics
        report.failedSources = failed.sorted().map { inputs[$0].path }
        report.published = built.count
        report.lastCache = cache
        return report
    }

    /// `items` newest first by their posts' dates (a post without one last), then by slug.
    static func newestFirst<Item>(_ items: [Item], date: (Item) -> PostDate?, slug: (Item) -> String) -> [Item] {
        let instants = items.map { date($0)?.instant ?? .distantPast }
        let slugs = items.map(slug)
        // The positions are sorted, not the items (a post's listing is a large value to move).
        return items.indices.sorted { lhs, rhs in
            instants[lhs] != instants[rhs] ? instants[lhs] > instants[rhs] : slugs[lhs] < slugs[rhs]
        }.map { items[$0] }
    }

    /// The translations of each of `posts` among the others: the posts with the same
    /// translation key in other languages, one per language (the first met), in the site's
    /// language order and then by tag.
    static func translations(of posts: [ListedPost], context: BuildContext) -> [[Translation]] {
        var members: [String: [Int]] = [:]
        for (position, post) in posts.enumerated() {
            if let key = post.translationKey { members[key, default: []].append(position) }
        }
        func rank(_ lang: String) -> Int {
            context.languages.firstIndex { LanguageTags.matches(lang, $0.tag) } ?? context.languages.count
        }
        return posts.map { post in
            guard let key = post.translationKey, let group = members[key], group.count > 1 else { return [] }
            var seen: Set<String> = [post.lang.lowercased()]
            var found: [Translation] = []
            for other in group where seen.insert(posts[other].lang.lowercased()).inserted {
                found.append(Translation(lang: posts[other].lang, slug: posts[other].slug, title: posts[other].displayTitle))
            }
            return found.sorted { (rank($0.lang), $0.lang) < (rank($1.lang), $1.lang) }
        }
    }

    /// What rendering and writing some outputs came to.
    /// How many nodes make a post long (about a megabyte of Markdown): its outputs are
    /// rendered one at a time.
    static let longPostNodes = 50_000

    struct Rendered: Sendable {
        var entries: [ManifestEntry] = []
        var diagnostics: [Diagnostic] = []
        /// How many of the entries' files were written (the others held the same bytes).
        var written = 0
        var failed = false

        mutating func add(_ other: Rendered) {
            entries += other.entries
            diagnostics += other.diagnostics
            written += other.written
            failed = failed || other.failed
        }
    }

    /// ``write(_:with:previous:)`` spread over every core for many outputs: every one that can
    /// be written is (and listed, in order), not only those before the first that cannot.
    static func writeSpread(_ outputs: [Output], with writer: OutputWriter, previous: [String: ManifestEntry]) -> Rendered {
        guard outputs.count > 8 else { return write(outputs, with: writer, previous: previous) }
        var result = Rendered()
        for written in outputs.concurrentMap({ write([$0], with: writer, previous: previous) }) { result.add(written) }
        return result
    }

    /// Writes `outputs` (each unless its file already holds the same bytes), stopping at the
    /// first that cannot be written; their diagnostics and that failure are in the result.
    static func write(_ outputs: [Output], with writer: OutputWriter, previous: [String: ManifestEntry]) -> Rendered {
        var result = Rendered()
        for output in outputs {
            result.diagnostics += output.diagnostics
            do {
                let (entry, written) = try writer.write(output, unlessSameAs: previous[output.path])
                result.entries.append(entry)
                if written { result.written += 1 }
            } catch {
                result.diagnostics.append(.error(
                    .writeFailed, file: writer.root.appendingPathComponent(output.path).path,
                    "cannot write: \(FileError.reason(of: error))"))
                result.failed = true
                break
            }
        }
        return result
    }
}

/// The files of a build's output folder, counted by what the build did to them.
public struct FileCounts: Sendable, Hashable {
    /// Written because they are new or their bytes changed.
    public var written = 0
    /// Made with the bytes they already had, or kept from the last build without being made.
    public var unchanged = 0
    /// Listed by the last build's manifest and no longer made.
    public var removed = 0

    public init() {}
}

/// Where a build is: how many of the posts it reads again are done, in which phase.
public struct BuildProgress: Sendable {
    public enum Phase: Sendable {
        /// Reading, parsing, checking and transforming.
        case reading
        /// Rendering through the backends and writing.
        case rendering
    }

    public var phase: Phase
    public var done: Int
    public var total: Int
}

/// Counts posts done across threads and tells a progress handler.
final class ProgressCounter: Sendable {
    let phase: BuildProgress.Phase
    let total: Int
    let report: @Sendable (BuildProgress) -> Void
    private let done = Mutex(0)

    init(_ phase: BuildProgress.Phase, total: Int, report: @escaping @Sendable (BuildProgress) -> Void) {
        self.phase = phase
        self.total = total
        self.report = report
    }

    func step() {
        let count = done.withLock { value in
            value += 1
            return value
        }
        report(BuildProgress(phase: phase, done: count, total: total))
    }
}

/// The digests of the files posts were made from, each file read once per build.
struct FileDigests {
    private var digests: [String: String]

    /// Starts from digests already known (the build's sources, by standardized path).
    init(known: [(String, String)]) {
        digests = Dictionary(known, uniquingKeysWith: { first, _ in first })
    }

    subscript(path: String) -> String? { digests[path] }

    /// Digests `paths` not known yet, on every core.
    mutating func add(_ paths: some Sequence<String>) {
        let missing = Array(Set(paths).subtracting(digests.keys))
        for (path, digest) in zip(missing, missing.concurrentMap(BuildCache.digest(ofFileAt:))) { digests[path] = digest }
    }

    /// The digest of each of `paths`.
    mutating func digests(of paths: Set<String>) -> [String: String] {
        add(paths)
        return Dictionary(uniqueKeysWithValues: paths.map { ($0, digests[$0]!) })
    }
}

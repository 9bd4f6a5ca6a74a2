// Memory the allocator holds but nothing uses, given back to the system between a build's
// stages.

#if canImport(Glibc)
    import Glibc
#endif

enum FreedMemory {
    /// Gives back to the system the free pages of the allocator's heap. Parsing a long post
    /// leaves a heap full of cmark-gfm's freed nodes: glibc keeps those pages (it gives back
    /// only the free top of its heap) and the process's peak memory while the outputs are
    /// rendered is theirs plus the renderers'. `malloc_trim` releases every whole free page,
    /// wherever it is. (It is in <malloc.h>, which Swift's Glibc module leaves out.)
    ///
    /// A program that links mimalloc (the `herald` command does) has its free pages given
    /// back by mimalloc itself, which glibc's trim would not reach; the library links neither
    /// and asks for whichever the process has. mimalloc keeps freed pages a while before it
    /// gives them back (which saves an archive of short posts many system calls); once a long
    /// post is met, it is told to give them back at once.
    static func giveBack() {
        #if canImport(Glibc)
            if let collectSymbol = dlsym(nil, "mi_collect") {
                if let versionSymbol = dlsym(nil, "mi_version"), let setSymbol = dlsym(nil, "mi_option_set") {
                    let version = unsafeBitCast(versionSymbol, to: (@convention(c) () -> Int32).self)()
                    // `mi_option_decommit_delay` (`mi_option_purge_delay` since 2.1): the 16th option of mimalloc 2.
                    if (200..<300).contains(version) {
                        unsafeBitCast(setSymbol, to: (@convention(c) (Int32, Int) -> Void).self)(15, 0)
                    }
                }
                unsafeBitCast(collectSymbol, to: (@convention(c) (Bool) -> Void).self)(true)
                return
            }
            guard let symbol = dlsym(nil, "malloc_trim") else { return }
            let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
            _ = trim(0)
        #endif
    }
}

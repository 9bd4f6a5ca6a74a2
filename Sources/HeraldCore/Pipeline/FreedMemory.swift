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
    static func giveBack() {
        #if canImport(Glibc)
            guard let symbol = dlsym(nil, "malloc_trim") else { return }
            let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
            _ = trim(0)
        #endif
    }
}

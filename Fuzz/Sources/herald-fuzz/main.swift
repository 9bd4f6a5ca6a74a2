// libFuzzer's entry point. HERALD_FUZZ chooses what an input is: `pipeline` (the default), a post
// through every backend; `translate`, a source, a stub and a PO file separated by NUL bytes;
// `template`, a user's Mustache template. A broken invariant is a crash, with the list of what
// broke. (One binary for all, so that the sanitized build is made once; no top-level code, as
// libFuzzer brings its own `main`.)

import Foundation
import HeraldFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let problems =
        switch getenv("HERALD_FUZZ").map({ String(cString: $0) }) {
        case "translate": TranslationFuzzer.problems(bytes)
        case "template": TemplateFuzzer.problems(bytes)
        default: PipelineFuzzer.problems(bytes)
        }
    guard problems.isEmpty else {
        FileHandle.standardError.write(Data(("herald-fuzz: broken invariants:\n" + problems.joined(separator: "\n") + "\n").utf8))
        abort()
    }
    return 0
}

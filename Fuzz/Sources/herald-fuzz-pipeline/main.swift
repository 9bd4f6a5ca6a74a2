// libFuzzer's entry point: each input is a post; a broken invariant is a crash, with its list.

import Foundation
import HeraldFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let problems = PipelineFuzzer.problems(Array(UnsafeBufferPointer(start: data, count: size)))
    guard problems.isEmpty else {
        FileHandle.standardError.write(Data(("herald-fuzz-pipeline: broken invariants:\n" + problems.joined(separator: "\n") + "\n").utf8))
        abort()
    }
    return 0
}

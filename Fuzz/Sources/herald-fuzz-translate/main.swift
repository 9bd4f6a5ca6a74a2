// libFuzzer's entry point: each input is a source, a stub and a PO file separated by NUL bytes;
// a dropped translation is a crash, with what was dropped.

import Foundation
import HeraldFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let problems = TranslationFuzzer.problems(Array(UnsafeBufferPointer(start: data, count: size)))
    guard problems.isEmpty else {
        FileHandle.standardError.write(Data(("herald-fuzz-translate: translator's work lost:\n" + problems.joined(separator: "\n") + "\n").utf8))
        abort()
    }
    return 0
}

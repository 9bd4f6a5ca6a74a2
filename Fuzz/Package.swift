// swift-tools-version: 6.1
// Herald's libFuzzer targets, a package of their own: they are built with
// `--sanitize=fuzzer --sanitize=address`, which the main package's builds must not see.
// `make fuzz SECONDS=N` (at the top of the repository) builds and runs them; the invariants
// they check are HeraldFuzzing's, which the tests run too.

import PackageDescription

let package = Package(
    name: "HeraldFuzz",
    dependencies: [.package(name: "Herald", path: "..")],
    targets: [
        // Arbitrary bytes as a post through parse and every backend (HERALD_FUZZ=pipeline), as
        // a source, a stub and a PO file through `translate` and its import (HERALD_FUZZ=translate),
        // or as a template (HERALD_FUZZ=template).
        .executableTarget(
            name: "herald-fuzz",
            dependencies: [.product(name: "HeraldFuzzing", package: "Herald")]),
    ]
)

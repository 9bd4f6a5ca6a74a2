// swift-tools-version: 6.1
// Herald: one Markdown post, parsed once into Herald's AST, published to many formats.

import PackageDescription

/// One settings array for every target: Swift 6 strict concurrency plus explicit `any`.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// The C libraries named, linked into the binary from their archives on Linux: Herald then
/// starts without loading them and the libraries they need (libxml2 brings ICU, liblzma and
/// zlib), about a millisecond of every command, and runs where they are not installed.
/// Elsewhere the system's shared libraries are linked: `shared`, or the ones named.
func archives(_ names: [String], elsewhere shared: [String]? = nil) -> [LinkerSetting] {
    names.map { .linkedLibrary(":lib\($0).a", .when(platforms: [.linux])) }
        + (shared ?? names).map { .linkedLibrary($0, .when(platforms: [.macOS])) }
}

/// What a target that reads libxml2's headers (through CLibXML2) needs: their folder, which
/// Debian's libxml2-dev puts under `libxml2/` and its `pkg-config --cflags` names.
let libxml2Headers: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-I/usr/include/libxml2"], .when(platforms: [.linux]))]

let package = Package(
    name: "Herald",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "herald", targets: ["herald"]),
        .library(name: "HeraldCore", targets: ["HeraldCore"]),
        .library(name: "HeraldMarkdown", targets: ["HeraldMarkdown"]),
        .library(name: "HeraldHTML", targets: ["HeraldHTML"]),
        .library(name: "HeraldEmail", targets: ["HeraldEmail"]),
        .library(name: "HeraldEPUB", targets: ["HeraldEPUB"]),
        .library(name: "HeraldJSONFeed", targets: ["HeraldJSONFeed"]),
        .library(name: "HeraldTranslate", targets: ["HeraldTranslate"]),
        .library(name: "HeraldCheck", targets: ["HeraldCheck"]),
        // For the fuzzing package in Fuzz/.
        .library(name: "HeraldFuzzing", targets: ["HeraldFuzzing"]),
        // `swift package herald …` in a package that depends on Herald.
        .plugin(name: "HeraldCommand", targets: ["HeraldCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        // FilePath, the type of Subprocess's working folder; Subprocess depends on it too.
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        // 3.x rather than 4.x: the same SHA256, and its first build takes about a quarter less time.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // C libraries, installed from Debian packages (libcmark-gfm-dev,
        // libcmark-gfm-extensions-dev, libxml2-dev, libdeflate-dev: `make setup`). Their headers
        // come through these targets; the libraries are linked by the targets that use them
        // (``archives(_:elsewhere:)``).
        .systemLibrary(name: "CCmarkGFM"),
        .systemLibrary(name: "CLibXML2"),
        .systemLibrary(name: "CLibDeflate"),
        // libcurl, for `herald check --online`: opened when the first request is made, not
        // linked, so that Herald starts without it and its libraries (see Sources/CLibCurl).
        // Its header comes from libcurl4-openssl-dev.
        .target(name: "CLibCurl", linkerSettings: [.linkedLibrary("dl")]),

        // The spine. Child processes (filters, sendmail) run through Subprocess; digests come from Crypto.
        .target(
            name: "HeraldCore",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        // The default templates of every backend, compiled into the binary from `templates/`
        // (Sources/HeraldTemplates/EmbeddedTemplates.swift, written by herald-embed: `make templates`).
        // A generated file rather than a build-tool plugin, so that sanitized builds (the fuzzers)
        // need no host tool.
        .target(
            name: "HeraldTemplates",
            dependencies: ["HeraldCore"],
            swiftSettings: swiftSettings),
        .executableTarget(name: "herald-embed", swiftSettings: swiftSettings),
        // Regenerates HeraldCore's Unicode tables from the Unicode data files (`make unicode-tables`).
        .executableTarget(name: "herald-unicode-tables", swiftSettings: swiftSettings),
        .target(
            name: "HeraldMarkdown",
            dependencies: ["HeraldCore", "CCmarkGFM", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings,
            linkerSettings: archives(["cmark-gfm-extensions", "cmark-gfm"])),
        .target(
            name: "HeraldXHTML",
            dependencies: ["HeraldCore", "CLibXML2"],
            swiftSettings: swiftSettings + libxml2Headers,
            // Debian's libxml2 is built with ICU, liblzma and zlib.
            linkerSettings: archives(["xml2", "icuuc", "icudata", "lzma", "z"], elsewhere: ["xml2"])),

        // Backends.
        .target(
            name: "HeraldHTML",
            dependencies: [
                "HeraldCore", "HeraldXHTML", "HeraldTemplates",
            ],
            swiftSettings: swiftSettings),
        // The email backend builds its HTML part with the HTML renderer.
        .target(
            name: "HeraldEmail",
            dependencies: [
                "HeraldCore", "HeraldHTML", "HeraldTemplates",
            ],
            swiftSettings: swiftSettings),

        // The EPUB backend writes its chapters with the HTML renderer, in XHTML.
        .target(
            name: "HeraldEPUB",
            dependencies: [
                "HeraldCore", "HeraldHTML", "HeraldXHTML", "HeraldTemplates", "CLibDeflate",
            ],
            swiftSettings: swiftSettings,
            linkerSettings: archives(["deflate"])),

        // JSON Feed 1.1, written with Herald's public API only (the HTML renderer for content_html).
        .target(
            name: "HeraldJSONFeed",
            dependencies: ["HeraldCore", "HeraldHTML"],
            swiftSettings: swiftSettings),

        // Translation stubs: segments of the source, merged without losing work, PO exchange.
        .target(
            name: "HeraldTranslate",
            dependencies: ["HeraldCore", "HeraldMarkdown"],
            swiftSettings: swiftSettings),

        // `herald check`: lint rules on the AST, and links checked over HTTP.
        .target(
            name: "HeraldCheck",
            dependencies: ["HeraldCore", "HeraldMarkdown", "HeraldTranslate", "CLibCurl"],
            swiftSettings: swiftSettings),

        // `herald serve`: a built site over HTTP on this machine, with live reload and previews.
        .target(name: "HeraldServe", dependencies: ["HeraldCore"], swiftSettings: swiftSettings),

        // Command line.
        .target(
            name: "HeraldCLI",
            dependencies: [
                "HeraldCore", "HeraldMarkdown", "HeraldHTML", "HeraldEmail", "HeraldEPUB", "HeraldTranslate", "HeraldCheck", "HeraldJSONFeed", "HeraldServe",
                "HeraldTemplates",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        // The command links mimalloc, which takes the place of glibc's allocator for the whole
        // process: a build makes and frees millions of small strings, arrays and nodes on both
        // cores, and glibc's malloc and free were an eighth of its time. It is linked by the
        // toolchain's lld with its relative relocations packed (`-z pack-relative-relocs`): at
        // every start the loader reads 17 KB of them rather than 2 MB.
        .executableTarget(
            name: "herald", dependencies: ["HeraldCLI"], swiftSettings: swiftSettings,
            linkerSettings: [
                .linkedLibrary("mimalloc", .when(platforms: [.linux])),
                .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(platforms: [.linux])),
            ]),
        .plugin(
            name: "HeraldCommand",
            capability: .command(
                intent: .custom(verb: "herald", description: "Run herald (build, check, render, …) in this package's folder."),
                permissions: [.writeToPackageDirectory(reason: "herald writes its outputs (a site, email, books) into the package's folder.")]),
            dependencies: ["herald"]),
        // The invariants the fuzzers check (Fuzz/, `make fuzz`), also run by the tests on the inputs
        // the fuzzers found.
        .target(
            name: "HeraldFuzzing",
            dependencies: [
                "HeraldCore", "HeraldMarkdown", "HeraldHTML", "HeraldEmail", "HeraldEPUB", "HeraldJSONFeed", "HeraldTranslate",
                "HeraldCheck", "HeraldXHTML", "HeraldTemplates", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings),
        // `make bench`: every stage timed against cmark-gfm in the same process.
        .executableTarget(
            name: "herald-bench",
            dependencies: ["HeraldCore", "HeraldMarkdown", "HeraldHTML", "HeraldEmail", "HeraldEPUB", "HeraldCheck", "HeraldTemplates"],
            swiftSettings: swiftSettings),

        // Tests.
        .testTarget(name: "HeraldCoreTests", dependencies: ["HeraldCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldMarkdownTests", dependencies: ["HeraldCore", "HeraldMarkdown"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldXHTMLTests", dependencies: ["HeraldXHTML"], swiftSettings: swiftSettings),
        .testTarget(name: "HeraldTemplatesTests", dependencies: ["HeraldCore", "HeraldTemplates"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldHTMLTests", dependencies: ["HeraldCore", "HeraldMarkdown", "HeraldHTML"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldEmailTests", dependencies: ["HeraldCore", "HeraldMarkdown", "HeraldEmail"],
            exclude: ["Golden"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldEPUBTests",
            dependencies: [
                "HeraldCore", "HeraldMarkdown", "HeraldEPUB", "HeraldXHTML",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldJSONFeedTests", dependencies: ["HeraldCore", "HeraldMarkdown", "HeraldJSONFeed"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldTranslateTests", dependencies: ["HeraldCore", "HeraldMarkdown", "HeraldTranslate"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldCheckTests", dependencies: ["HeraldCore", "HeraldMarkdown", "HeraldCheck"],
            swiftSettings: swiftSettings),
        // External filters end to end: real posts through the AST's JSON form and its schema, and
        // filter programs run on posts (needs the Markdown parser and the HTML renderer).
        .testTarget(
            name: "HeraldFilterTests", dependencies: ["HeraldCore", "HeraldMarkdown", "HeraldHTML"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldFuzzingTests", dependencies: ["HeraldFuzzing"], exclude: ["Regressions"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HeraldCLITests",
            dependencies: [
                "HeraldCLI", "HeraldCore", "HeraldMarkdown", "HeraldServe", "HeraldHTML", "HeraldEmail", "HeraldEPUB", "HeraldJSONFeed",
                "HeraldTranslate", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Golden"], swiftSettings: swiftSettings),
    ]
)

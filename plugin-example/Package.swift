// swift-tools-version: 6.1
// A package that uses Herald through its command plugin: `swift package herald …` (see README.md).

import PackageDescription

let package = Package(
    name: "HeraldPluginExample",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
    ],
    targets: []
)

// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .library(name: "SluiceEngine", targets: ["SluiceEngine"]),
        .library(name: "SluiceSQL", targets: ["SluiceSQL"]),
        .library(name: "SluiceTUI", targets: ["SluiceTUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C libraries, one shim header each.
        .systemLibrary(name: "CPgQuery", path: "Sources/CPgQuery"),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ"),

        // SQL understanding: splitting and classification for SQLite and PostgreSQL.
        .target(
            name: "SluiceSQL",
            dependencies: [
                "CPgQuery",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),

        // The engine: metastore, domain services, planner, scheduler, executors.
        .target(
            name: "SluiceEngine",
            dependencies: [
                "SluiceSQL",
                "CLibPQ",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),

        // The terminal UI: state, reducer, render to frames; only its driver touches ncurses.
        .target(
            name: "SluiceTUI",
            dependencies: [
                "SluiceEngine",
                "SluiceSQL",
                "CNcursesw",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),

        // The command-line front end (argument parsing and wiring only).
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceEngine",
                "SluiceTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Benchmarks live apart from tests and print figures beside a baseline.
        .executableTarget(
            name: "sluice-bench",
            dependencies: [
                "SluiceEngine",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Benchmarks/sluice-bench"
        ),
        .executableTarget(
            name: "sluice-scale-bench",
            dependencies: [
                "SluiceEngine",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Benchmarks/sluice-scale-bench"
        ),
        .executableTarget(
            name: "sluice-pg-bench",
            dependencies: ["SluiceEngine", "CLibPQ"],
            path: "Benchmarks/sluice-pg-bench"
        ),

        .executableTarget(
            name: "sluice-tui-bench",
            dependencies: ["SluiceTUI", "SluiceEngine", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/sluice-tui-bench"
        ),
        .executableTarget(
            name: "sluice-sql-bench",
            dependencies: ["SluiceSQL", "CPgQuery", .product(name: "GRDBSQLite", package: "GRDB.swift")],
            path: "Benchmarks/sluice-sql-bench"
        ),

        .testTarget(name: "SluiceSQLTests", dependencies: ["SluiceSQL"]),
        .testTarget(
            name: "SluiceTUITests",
            dependencies: ["SluiceTUI", "SluiceEngine"],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "SluiceEngineTests",
            dependencies: [
                "SluiceEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "SluicePostgresTests",
            dependencies: [
                "SluiceEngine",
                "SluiceTUI",
                "CLibPQ",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "SluiceCLITests",
            dependencies: [
                "SluiceEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

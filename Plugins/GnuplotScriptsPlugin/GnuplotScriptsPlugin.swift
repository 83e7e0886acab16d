import Foundation
import PackagePlugin

/// Embeds the gnuplot scripts at build time: `Scripts/*.gp` is their only copy in the repository, and this
/// command turns them into `EmbeddedScripts.swift` (one raw string literal per file, byte for byte), so
/// the binary writes them beside its plots without a checkout. It reruns only when a script changes.
@main
struct GnuplotScriptsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let scripts = context.package.directoryURL.appending(path: "Scripts")
        let names = try FileManager.default.contentsOfDirectory(atPath: scripts.path)
            .filter { $0.hasSuffix(".gp") }.sorted()
        let inputs = names.map { scripts.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedScripts.swift")
        // Each file becomes `#"""` + its bytes + an empty line + `"""#`: the literal's value is the file
        // exactly, with or without a final newline.
        let script = ##"""
            set -eu
            out="$1"; shift
            {
              echo '// Generated at build time from Scripts/*.gp by GnuplotScriptsPlugin; do not edit.'
              echo ''
              echo '/// The gnuplot scripts of `Scripts/`, byte for byte, so that the binary works without a checkout.'
              echo 'public enum EmbeddedScripts {'
              echo '    /// The file every script loads from its own folder.'
              echo '    public static let commonName = "attnbench-common.gp"'
              echo ''
              echo '    public static let files: [String: String] = ['
              for f in "$@"; do
                printf '        "%s": #"""\n' "$(basename "$f")"
                cat "$f"; echo
                echo '"""#,'
              done
              echo '    ]'
              echo '}'
            } > "$out.tmp"
            mv "$out.tmp" "$out"
            """##
        return [.buildCommand(displayName: "Embedding the gnuplot scripts",
                              executable: URL(fileURLWithPath: "/bin/sh"),
                              arguments: ["-c", script, "embed", output.path] + inputs.map(\.path),
                              inputFiles: inputs, outputFiles: [output])]
    }
}

/// The git commit of the source tree this binary was built from, recorded at build time by
/// `BuildStampPlugin` (not asked of git at run time, so a binary run elsewhere still reports its own).
public enum SourceCommit {
    /// Short hash, `-dirty` when the tree had uncommitted changes, `unknown` outside a git checkout.
    public static let value: String = buildCommit
}
